/**
 * `nacs ev --payment contract`: which contract the EV starts with (a valid one in the store first, also with
 * `--install-contract`, which then says so; else DIR's; else none to install; an expired stored one is not
 * used) and what the session leaves behind (a new contract: "installed" / "updated" with the one it replaced,
 * written to the store; a store that cannot be written is logged and the summary has no `stored`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createCaptureLogger } from "../../link/logger.js";
import { readContractStore, writeContractStore } from "../../link/pki/contract-store-file.js";
import { writePncPki } from "../../link/pki/files.js";
import { issuePncPki } from "../../link/pki/issuer.js";
import { provisioningFromPki } from "../../link/pki/provisioning.js";
import { readCertFields } from "../../v2g/pnc/cert-fields.js";
import {
  createInstalledContracts,
  EVCC_CONTRACT_RENEW_DAYS,
  type InstalledContract,
} from "../../v2g/pnc/installed-contract.js";
import type { EvccState } from "../../v2g/session/evcc-state.js";
import { persistNewContract, planEvContract, settleEvContract } from "./ev-contract.js";

const setup = (async () => {
  const now = new Date();
  const dir = mkdtempSync(join(tmpdir(), "nacs-ev-contract-"));
  const pki = await issuePncPki({ now });
  await writePncPki(join(dir, "pnc"), pki, { now });
  const v = await provisioningFromPki(pki, now);
  const renewal: InstalledContract = {
    chain: { leaf: v.renewal!.chain[0]!, subCas: v.renewal!.chain.slice(1) },
    privateKey: v.renewal!.key,
    emaid: readCertFields(v.renewal!.chain[0]!).subject.find((a) => a.type === "CN")!.value,
    notAfterS: readCertFields(v.renewal!.chain[0]!).notAfterS,
  };
  return { dir, pnc: join(dir, "pnc"), nowS: Math.floor(now.getTime() / 1000), renewal };
})();

test.after(async () => rmSync((await setup).dir, { recursive: true, force: true }));

const evccWith = (contracts: InstalledContract[], action: "install" | "update" | null) =>
  ({
    contracts: createInstalledContracts(contracts),
    pnc: { payment: "Contract", action },
  }) as unknown as EvccState;

test("start: DIR's contract; none with --install-contract; the store's first (also with --install-contract)", async () => {
  const { pnc, dir, nowS, renewal } = await setup;
  const log = createCaptureLogger();
  const fromDir = await planEvContract({ pki: pnc, installContract: false }, nowS, log);
  assert.equal(fromDir.initial?.source, "pki");
  assert.equal(fromDir.pnc.contracts?.contracts.length, 1);
  assert.equal(fromDir.pnc.renewDays, EVCC_CONTRACT_RENEW_DAYS);
  const install = await planEvContract({ pki: pnc, installContract: true, renewDays: 5 }, nowS, log);
  assert.equal(install.initial, null);
  assert.deepEqual(install.pnc.contracts?.contracts, []);
  assert.equal(install.pnc.renewDays, 5);

  const store = join(dir, "store.json");
  writeContractStore(store, [{ contract: renewal, origin: "updated" }]);
  const stored = await planEvContract({ pki: pnc, installContract: true, contractStore: store }, nowS, log);
  assert.equal(stored.initial?.source, "store");
  assert.deepEqual(stored.initial?.contract.chain.leaf, renewal.chain.leaf);
  assert.ok(log.records.some((r) => /holds a valid contract .*not installing/.test(r.msg)));

  // a stored contract past its notAfter is not used: DIR's, or an installation
  const later = renewal.notAfterS + 1;
  assert.equal(
    (await planEvContract({ pki: pnc, installContract: false, contractStore: store }, later, log)).initial
      ?.source,
    "pki",
  );
  assert.equal(
    (await planEvContract({ pki: pnc, installContract: true, contractStore: store }, later, log)).initial,
    null,
  );
});

test("end: an update is reported with the contract it replaced and written to the store; an unwritable store is logged", async () => {
  const { pnc, dir, nowS, renewal } = await setup;
  const log = createCaptureLogger();
  const store = join(dir, "s2", "contracts.json");
  const plan = await planEvContract({ pki: pnc, installContract: false, contractStore: store }, nowS, log);
  const old = plan.initial!.contract;
  // nothing new: reported as it came, nothing written
  const same = await settleEvContract(plan, evccWith([old], null), nowS, log);
  assert.equal(same?.source, "pki");
  assert.equal(same?.stored, undefined);
  assert.deepEqual(readContractStore(store), []);
  // updated in the session
  const upd = await settleEvContract(plan, evccWith([renewal], "update"), nowS, log);
  assert.equal(upd?.source, "updated");
  assert.equal(upd?.stored, store);
  assert.deepEqual(upd?.previous, {
    emaid: old.emaid,
    notAfter: new Date(old.notAfterS * 1000).toISOString(),
  });
  const [entry, ...rest] = readContractStore(store);
  assert.equal(rest.length, 0);
  assert.equal(entry?.origin, "updated");
  assert.deepEqual(entry?.contract.chain.leaf, renewal.chain.leaf);
  // installed (no contract at start)
  const ins = await planEvContract({ pki: pnc, installContract: true }, nowS, log);
  assert.equal((await settleEvContract(ins, evccWith([renewal], "install"), nowS, log))?.source, "installed");
  // the store's directory is a file: not written, logged, no `stored`
  const blocker = join(dir, "blocker");
  writeFileSync(blocker, "x");
  const bad = { ...plan, store: { path: join(blocker, "contracts.json"), entries: [] } };
  const r = await settleEvContract(bad, evccWith([renewal], "update"), nowS, log);
  assert.equal(r?.source, "updated");
  assert.equal(r?.stored, undefined);
  assert.ok(log.records.some((x) => x.level === "error" && /cannot write the contract store/.test(x.msg)));
  assert.equal(readFileSync(blocker, "utf8"), "x");
});

test("mid-session: a new contract is written as soon as the EVCC holds it, once; the end reports it stored", async () => {
  const { pnc, dir, nowS, renewal } = await setup;
  const log = createCaptureLogger();
  const store = join(dir, "s3", "contracts.json");
  const plan = await planEvContract({ pki: pnc, installContract: false, contractStore: store }, nowS, log);
  const old = plan.initial!.contract;
  // before the update: nothing to write
  assert.equal(persistNewContract(plan, evccWith([old], "update"), nowS, log), undefined);
  assert.deepEqual(readContractStore(store), []);
  // the update arrived (the session goes on): written now
  assert.equal(persistNewContract(plan, evccWith([renewal], "update"), nowS, log), store);
  assert.deepEqual(readContractStore(store)[0]?.contract.chain.leaf, renewal.chain.leaf);
  const writes = () => log.records.filter((r) => /written to/.test(r.msg)).length;
  assert.equal(writes(), 1);
  // later phases and the end do not write it again, and the summary says where it is
  assert.equal(persistNewContract(plan, evccWith([renewal], "update"), nowS, log), store);
  const end = await settleEvContract(plan, evccWith([renewal], "update"), nowS, log);
  assert.equal(end?.stored, store);
  assert.equal(writes(), 1);
});
