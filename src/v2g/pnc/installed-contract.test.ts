/**
 * The EVCC's installed-contract store: which certificate action a session asks for (RISE-V2G's rule: update a
 * contract that expires soon).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  contractAction,
  createInstalledContracts,
  currentContract,
  EVCC_CONTRACT_RENEW_DAYS,
  type InstalledContract,
  putContract,
} from "./installed-contract.js";

const DAY = 86_400;
const contract = (emaid: string, notAfterS: number, k = 1): InstalledContract => ({
  chain: { leaf: Uint8Array.of(k), subCas: [] },
  privateKey: new Uint8Array(32).fill(k),
  emaid,
  notAfterS,
});

test(`contractAction: install without a valid contract, update within ${EVCC_CONTRACT_RENEW_DAYS} days of expiry, else nothing`, () => {
  const now = 1_800_000_000;
  assert.equal(contractAction(createInstalledContracts(), now), "install");
  assert.equal(
    contractAction(createInstalledContracts([contract("DENAC0000000001", now - 1)]), now),
    "install",
  );
  const edge = now + EVCC_CONTRACT_RENEW_DAYS * DAY;
  assert.equal(contractAction(createInstalledContracts([contract("DENAC0000000001", edge)]), now), "update");
  assert.equal(contractAction(createInstalledContracts([contract("DENAC0000000001", edge + 1)]), now), null);
  assert.equal(
    contractAction(createInstalledContracts([contract("DENAC0000000001", edge + 1)]), now, 30),
    "update",
  );
});

test("putContract: a contract for the same eMAID (separators and case ignored) replaces the old one", () => {
  let s = putContract(createInstalledContracts(), contract("DE-NAC-000000001", 10, 1));
  s = putContract(s, contract("DE1234567890123", 10, 2));
  s = putContract(s, contract("denac000000001", 20, 3));
  assert.deepEqual(
    s.contracts.map((c) => c.chain.leaf[0]),
    [2, 3],
  );
  assert.equal(currentContract(s, 15)?.chain.leaf[0], 3);
  assert.equal(currentContract(s, 25), undefined);
});
