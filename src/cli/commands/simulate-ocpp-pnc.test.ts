/**
 * Plug & Charge through OCPP 2.0.1 (C07): `nacs simulate --ocpp … --payment contract` against `nacs csms`.
 * No card is presented; once the EV's contract passed PaymentDetails, the station sends Authorize with the
 * contract's eMAID and the OCSP hash data of its chain (the SECC answers AuthorizationRes Ongoing until the
 * CSMS accepted), and the transaction runs Started … Ended, schema-clean both ways.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { assertOcppClean, runCsmsSession } from "../testing/csms-session.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-pnc-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("simulate --ocpp --payment contract: Authorize eMAID + iso15118CertificateHashData, no card; the session charges", async () => {
  const csmsRecord = join(dir, "csms.ndjson");
  const r = await runCsmsSession({
    dir,
    name: "pnc",
    script: null,
    station: "CP1",
    csmsArgs: ["--record", csmsRecord],
    simulateArgs: ["--payment", "contract"],
  });
  const tx = assertOcppClean(r);
  assert.equal(r.sim.stopReason, "target SOC reached");
  const calls = readFileSync(csmsRecord, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { kind: string; action?: string; payload?: Record<string, unknown> })
    .filter((x) => x.kind === "call" && x.action === "Authorize");
  assert.equal(calls.length, 1, "one Authorize: the contract, no card");
  const p = calls[0]!.payload as {
    idToken: { idToken: string; type: string };
    iso15118CertificateHashData: { hashAlgorithm: string; issuerNameHash: string; serialNumber: string }[];
  };
  assert.equal(p.idToken.type, "eMAID");
  assert.match(p.idToken.idToken, /^[A-Z]{2}[A-Z0-9]{3}[A-Z0-9]{9}/, "an eMAID (ISO 15118-2 Annex H)");
  assert.equal(
    p.iso15118CertificateHashData.length,
    2,
    "the leaf and MO Sub-CA 2 (their issuers are in the chain)",
  );
  for (const h of p.iso15118CertificateHashData) {
    assert.equal(h.hashAlgorithm, "SHA256");
    assert.match(h.issuerNameHash, /^[0-9a-f]{64}$/);
    assert.match(h.serialNumber, /^[0-9a-f]+$/);
  }
  assert.ok(
    tx.events.some((e) => e.triggerReason === "Authorized"),
    "the CSMS's acceptance authorised the tx",
  );
});
