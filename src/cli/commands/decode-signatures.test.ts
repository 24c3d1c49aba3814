/**
 * `nacs decode FILE --check --certs PATH` on a Plug & Charge session of our own simulator (ISO-2 DC, Contract
 * payment, recorded with the `nacs simulate --pcap` recorder): the signed AuthorizationReq verifies with the
 * contract leaf of the session's PaymentDetailsReq and its chain validates to the roots of the `nacs pki init`
 * directory it ran with (exit 0); with another PKI's directory the chain fails (exit 1, a SIGNATURE_CHAIN
 * error); `--certs` takes PEM and DER files, and names a bad file or a flag used without `--check`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { CheckReport } from "../../capture/check.js";
import { issuePncPki, materialFromPki, writePncPki } from "../../link/pki/index.js";
import { DC_SIM_EV_MAC, DC_SIM_EVSE_MAC } from "../../sim/dc/build.js";
import { DcSession } from "../../sim/dc/session.js";
import { UsageError } from "../errors.js";
import { createPcapRecorder } from "../record-pcap.js";
import { runDecodeCapture } from "./decode-capture.js";

const EPOCH_S = 1_790_000_000;
let tmp = "";
let ours = "";
let theirs = "";
let capture = "";

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "nacs-decsig-"));
  ours = join(tmp, "pki");
  theirs = join(tmp, "other-pki");
  const pki = await issuePncPki({ now: new Date(EPOCH_S * 1000) });
  await writePncPki(ours, pki);
  await writePncPki(theirs, await issuePncPki({ now: new Date(EPOCH_S * 1000) }));
  const chunks: Uint8Array[] = [];
  const rec = createPcapRecorder((b) => chunks.push(b.slice()), {
    evMac: DC_SIM_EV_MAC,
    evseMac: DC_SIM_EVSE_MAC,
    epochMs: EPOCH_S * 1000,
  });
  const r = new DcSession({
    batteryKwh: 75,
    socStart: 20,
    targetSoc: 22,
    chargerKw: 150,
    protocol: "iso2",
    seed: 7,
    pnc: { ...(await materialFromPki(pki)), epochS: EPOCH_S },
    onWire: rec.tap,
  }).run();
  assert.equal(r.stopReason, "target SOC reached");
  capture = join(tmp, "pnc.pcapng");
  writeFileSync(capture, Buffer.concat(chunks));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function decode(raw: Record<string, unknown>, file = capture) {
  const out: string[] = [];
  const status = await runDecodeCapture(
    file,
    { progress: false, ...raw },
    { out: (l) => out.push(l), err: () => {}, isTty: false },
  );
  return { status, out };
}
const report = (out: string[]) => JSON.parse(out.at(-1)!) as CheckReport;

test("our simulator's PnC session: the signed AuthorizationReq verifies, its chain validates to --certs DIR (exit 0)", async (t) => {
  const { status, out } = await decode({ check: true, json: true, certs: [ours] });
  const r = report(out);
  assert.equal(status, 0, JSON.stringify(r.findings.filter((f) => f.severity === "error")));
  assert.equal(r.signatures.length, 1);
  const s = r.signatures[0]!;
  assert.equal(s.message, "AuthorizationReq");
  assert.equal(s.outcome, "verified");
  assert.equal(s.signer, "PaymentDetailsReq contract leaf");
  assert.deepEqual(s.references, [{ uri: "#ID1", element: "AuthorizationReq" }]);
  assert.equal(s.rule, "[V2G2-461]");
  assert.equal(s.chain?.code, "OK", JSON.stringify(s.chain));
  t.diagnostic(`AuthorizationReq #${s.frame}: ${s.outcome} by ${s.signerSubject}, chain ${s.chain?.detail}`);
  // the text report has the section and the note
  const text = await decode({ check: true, certs: [ours] });
  assert.equal(text.status, 0);
  assert.ok(text.out.includes("Signatures: 1 (1 verified)"), text.out.join("\n"));
  assert.ok(text.out.some((l) => /AuthorizationReq +verified +#ID1=AuthorizationReq by .*chain OK/.test(l)));
  assert.ok(text.out.some((l) => /INFO +SIGNATURE_VERIFIED .*AuthorizationReq/.test(l)));
});

test("the same session with another PKI's roots: chain error, a failing finding, exit 1", async () => {
  const { status, out } = await decode({ check: true, json: true, certs: [theirs] });
  const r = report(out);
  assert.equal(status, 1);
  assert.equal(r.signatures[0]!.outcome, "chain-error");
  const f = r.findings.filter((x) => x.severity === "error");
  assert.deepEqual(
    f.map((x) => x.code),
    ["SIGNATURE_CHAIN"],
  );
  assert.match(
    f[0]!.message,
    /AuthorizationReq \(message #\d+\): chain error: .*BAD_SIGNATURE: Sub-CA 1: no trusted root named .*\[V2G2-885\]/,
  );
});

test("--certs: PEM and DER files, repeated; without certificates the signature still verifies (no chain)", async () => {
  const pem = readFileSync(join(ours, "contract-leaf.chain.pem"), "latin1");
  const b64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/.exec(
    readFileSync(join(ours, "mo-root.pem"), "latin1"),
  )![1]!;
  writeFileSync(join(tmp, "mo-root.der"), Buffer.from(b64.replace(/\s+/g, ""), "base64"));
  writeFileSync(join(tmp, "chain.pem"), pem);
  const both = await decode({
    check: true,
    json: true,
    certs: [join(tmp, "chain.pem"), join(tmp, "mo-root.der")],
  });
  assert.equal(both.status, 0);
  assert.equal(report(both.out).signatures[0]!.chain?.code, "OK");
  const none = await decode({ check: true, json: true });
  assert.equal(none.status, 0);
  assert.equal(report(none.out).signatures[0]!.outcome, "verified");
  assert.equal(report(none.out).signatures[0]!.chain, undefined);
});

test("--certs errors name the flag and the file", async () => {
  const bad = join(tmp, "bad.pem");
  writeFileSync(bad, "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n");
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ certs: [ours] }, /--certs: only with --check/],
    [{ check: true, certs: [join(tmp, "nope")] }, /--certs: value ".*nope" is not allowed: no such file/],
    [{ check: true, certs: [bad] }, /--certs: .*bad\.pem: tbsCertificate: /],
    [{ check: true, certs: [capture] }, /--certs: .*pnc\.pcapng: no PEM or DER certificate/],
  ];
  for (const [raw, re] of cases)
    await assert.rejects(
      decode(raw),
      (e: Error) => e instanceof UsageError && re.test(e.message),
      String(re),
    );
});
