/**
 * The EV's contract installed through the CSMS (OCPP 2.0.1 M01 Get15118EVCertificate; OCPP 1.6J the same in a
 * DataTransfer): `nacs simulate --ocpp … --payment contract --install-contract --pki DIR` against
 * `nacs csms --v2g-pki DIR`. The SECC forwards the EV's CertificateInstallationReq, relays the CSMS's
 * CertificateInstallationRes byte for byte, the EV installs the contract and pays with it (C07 Authorize with
 * its eMAID), and the session charges; every message schema-valid both ways.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as iso2 from "../../codecs/iso2/index.js";
import { hexToBytes } from "../../exi/hex.js";
import { assertOcppClean, runCsmsSession } from "../testing/csms-session.js";
import { exitWithin, spawnNacs } from "../testing/spawn-nacs.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-cert-"));
const pki = join(dir, "pki");
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => {
  const init = spawnNacs(["pki", "init", pki]);
  assert.equal(await exitWithin(init, "nacs pki init", 60_000), 0, init.err);
});

type CsmsRec = {
  kind: string;
  dir?: string;
  action?: string;
  payload?: Record<string, unknown>;
  detail?: string;
};

for (const version of ["2.0.1", "1.6"] as const) {
  test(`simulate --ocpp (${version}) --install-contract: CertificateInstallation through the CSMS's CPS, relayed byte for byte; the EV pays with the new contract`, async () => {
    const csmsRecord = join(dir, `csms-${version}.ndjson`);
    const r = await runCsmsSession({
      dir,
      name: `cert-${version}`,
      script: null,
      station: "CP1",
      csmsArgs: ["--record", csmsRecord, "--v2g-pki", pki],
      simulateArgs: [
        "--payment",
        "contract",
        "--pki",
        pki,
        "--install-contract",
        ...(version === "1.6" ? ["--ocpp-version", "1.6"] : []),
      ],
    });
    assertOcppClean(r);
    assert.equal(r.sim.stopReason, "target SOC reached");
    const recs = readFileSync(csmsRecord, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as CsmsRec);
    const action = version === "1.6" ? "DataTransfer" : "Get15118EVCertificate";
    const results = recs.filter(
      (x) =>
        x.kind === "result" &&
        x.dir === "tx" &&
        x.action === action &&
        (version === "2.0.1" || String(x.payload?.data).includes("exiResponse")),
    );
    assert.equal(results.length, 1, `one ${action} answered`);
    const inner =
      version === "1.6"
        ? (JSON.parse(String(results[0]!.payload!.data)) as Record<string, unknown>)
        : results[0]!.payload!;
    assert.equal(inner.status, "Accepted");
    const exi = Buffer.from(String(inner.exiResponse), "base64");
    assert.match(recs.find((x) => x.kind === "cps")?.detail ?? "", /^contract [A-Z0-9]{14,15}/);
    // the SECC sent exactly the CSMS's bytes
    const sent = r.record.filter(
      (m) => m.type === "msg" && m.from === "evse" && m.name === "CertificateInstallationRes",
    );
    assert.equal(sent.length, 1);
    assert.deepEqual(Buffer.from(hexToBytes(String(sent[0]!.bytes))), exi);
    assert.equal(iso2.decode(new Uint8Array(exi)).Body.CertificateInstallationRes?.ResponseCode, "OK");
    // …and the EV paid with the contract it installed
    const pd = r.record.find((m) => m.type === "msg" && m.name === "PaymentDetailsRes");
    assert.ok(pd, "PaymentDetails followed");
    // (1.6: the 2.0.1 AuthorizeRequest in a DataTransfer, OCA's PnC whitepaper)
    const auth = recs
      .filter((x) => x.kind === "call" && x.dir === "rx")
      .flatMap((x) =>
        x.action === "Authorize" && version === "2.0.1"
          ? [x.payload!]
          : x.action === "DataTransfer" && x.payload?.messageId === "Authorize"
            ? [JSON.parse(String(x.payload.data)) as Record<string, unknown>]
            : [],
      );
    assert.equal(auth.length, 1);
    assert.equal((auth[0]!.idToken as { type: string }).type, "eMAID");
    assert.ok(Array.isArray(auth[0]!.iso15118CertificateHashData));
  });
}

test("simulate --ocpp --install-contract against a CSMS without a CPS: FAILED_NoCertificateAvailable, the session ends with the reason", async () => {
  const r = await runCsmsSession({
    dir,
    name: "cert-none",
    script: null,
    station: "CP1",
    simulateArgs: ["--payment", "contract", "--pki", pki, "--install-contract"],
  }).catch((err: Error) => err);
  // the session ends without charging; the run itself must still end normally (exit 0) with the reason
  assert.ok(!(r instanceof Error), r instanceof Error ? r.message : "");
  const res = r.record.find((m) => m.type === "msg" && m.name === "CertificateInstallationRes");
  assert.ok(res);
  assert.equal(
    iso2.decode(hexToBytes(String(res.bytes))).Body.CertificateInstallationRes?.ResponseCode,
    "FAILED_NoCertificateAvailable",
  );
  assert.match(JSON.stringify(r.sim), /contract installation refused \(FAILED_NoCertificateAvailable\)/);
});
