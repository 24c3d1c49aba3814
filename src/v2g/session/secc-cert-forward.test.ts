/**
 * ISO 15118-2 CertificateInstallation / CertificateUpdate with the CPS behind the backend (OCPP 2.0.1
 * Get15118EVCertificate): the SECC holds the request's EXI for the host, relays the backend's EXI as is, and
 * answers FAILED_NoCertificateAvailable itself when the backend has nothing, is late, or answers with
 * something other than the expected response of this session.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as iso2 from "../../codecs/iso2/index.js";
import { NS_ISO_15118_2 } from "../handshake/namespaces.js";
import { iso2EvccModule as isoMod } from "../iso2/evcc/module.js";
import { buildInstallationReq, buildUpdateReq } from "../pnc/cert-evcc.js";
import { type PncFixture, pncFixture } from "../pnc/testing/fixture.js";
import { verifySignature } from "../pnc/xmldsig.js";
import { CPS_BACKEND_TIMER } from "./secc-cert-forward.js";
import type { SeccConfig } from "./secc-state.js";
import { type Driver, ends, event, iso2ToPaymentSelection, startSecc } from "./testing/drive-secc.js";

/** A session up to PaymentServiceSelection (Contract, ContractCertificate set `set`), CPS behind the backend. */
function start(f: PncFixture, cfg: Partial<SeccConfig> = {}, set = 1): Driver {
  const d = startSecc("iso2", {
    cpsBackend: true,
    paymentOptions: ["Contract", "ExternalPayment"],
    epochS: f.epochS + 60,
    ...cfg,
  });
  iso2ToPaymentSelection(d, "Contract", set);
  return d;
}

/** Send the installation request; returns its EXI. */
function sendInstall(d: Driver, f: PncFixture): Uint8Array {
  const req = buildInstallationReq(f.oem.cert, f.oem.key, f.roots);
  const enc = isoMod.encode(d.s.sessionId!, "CertificateInstallationReq", req.body, undefined, req.signature);
  d.t += 50;
  event(d, { kind: "message", payloadType: 0x8001, bytes: enc.bytes, tMs: d.t });
  return enc.bytes;
}

/** What a backend's CPS answers (the local CPS of the fixture), encoded with `sessionId`. */
function backendAnswer(f: PncFixture, requestExi: Uint8Array, sessionId: Uint8Array): Uint8Array {
  const m = iso2.decode(requestExi);
  const a = f.cps.install(m.Body.CertificateInstallationReq!);
  return iso2.encode({
    Header: { SessionID: sessionId, Signature: a.signature },
    Body: { CertificateInstallationRes: a.body },
  });
}

const sent = (d: Driver) => d.fx.filter((x) => x.kind === "send");

test("CPS behind the backend: the request is held (no response), its EXI handed over as is; the backend's EXI is relayed byte for byte and PaymentDetails may follow", async () => {
  const f = await pncFixture();
  const d = start(f);
  // the ContractCertificate service is offered without a local CPS
  const exi = sendInstall(d, f);
  assert.equal(sent(d).length, 0, "no response before the backend answered");
  const fw = d.s.certForward;
  assert.ok(fw);
  assert.deepEqual(
    [fw.action, fw.element, fw.res, fw.schema],
    ["Install", "CertificateInstallationReq", "CertificateInstallationRes", NS_ISO_15118_2],
  );
  assert.deepEqual(fw.exi, exi);
  assert.equal(d.s.timers[CPS_BACKEND_TIMER], d.t + 4_500);
  const answer = backendAnswer(f, fw.exi, d.s.sessionId!);
  d.t += 800;
  event(d, { kind: "certificate-response", id: fw.id, exi: answer, tMs: d.t });
  const out = sent(d);
  assert.equal(out.length, 1);
  assert.deepEqual(out[0]!.kind === "send" && out[0]!.bytes, answer);
  const res = iso2.decode(answer);
  assert.ok(verifySignature(res, f.cpsChain.leaf).ok);
  assert.equal(d.s.certForward, null);
  assert.equal(d.s.timers[CPS_BACKEND_TIMER], undefined);
  assert.ok(d.s.timers.sequence !== undefined, "the sequence timer runs again");
  assert.equal(ends(d).length, 0);
  assert.equal(d.s.last, "CertificateInstallation");
  // a late second answer to the same request is ignored
  event(d, { kind: "certificate-response", id: fw.id, exi: answer, tMs: d.t + 1 });
  assert.equal(sent(d).length, 0);
});

test("CPS behind the backend: no answer in 4.5 s, no certificate, undecodable EXI, the wrong element or SessionID → FAILED_NoCertificateAvailable from the SECC, naming why", async () => {
  const f = await pncFixture();
  const code = (d: Driver) => {
    const out = sent(d)[0];
    assert.ok(out && out.kind === "send");
    return iso2.decode(out.bytes).Body.CertificateInstallationRes!.ResponseCode;
  };
  const cases: [string, (d: Driver, id: number, exi: Uint8Array) => void, RegExp][] = [
    [
      "late",
      (d) => event(d, { kind: "timer", id: CPS_BACKEND_TIMER, tMs: d.s.timers[CPS_BACKEND_TIMER]! }),
      /did not answer within 4500 ms/,
    ],
    [
      "none",
      (d, id) => event(d, { kind: "certificate-response", id, exi: null, detail: "Failed", tMs: d.t + 5 }),
      /has no certificate \(Failed\)/,
    ],
    [
      "garbage",
      (d, id) =>
        event(d, { kind: "certificate-response", id, exi: new Uint8Array([0x80, 0x98, 0xff]), tMs: d.t + 5 }),
      /does not decode/,
    ],
    [
      "element",
      (d, id) =>
        event(d, {
          kind: "certificate-response",
          id,
          exi: iso2.encode({
            Header: { SessionID: d.s.sessionId! },
            Body: { SessionStopRes: { ResponseCode: "OK" } },
          }),
          tMs: d.t + 5,
        }),
      /answered SessionStopRes, not CertificateInstallationRes/,
    ],
    [
      "session",
      (d, id, exi) =>
        event(d, {
          kind: "certificate-response",
          id,
          exi: backendAnswer(f, exi, new Uint8Array(8).fill(7)),
          tMs: d.t + 5,
        }),
      /Header\.SessionID 0707070707070707/,
    ],
  ];
  for (const [name, act, why] of cases) {
    const d = start(f);
    const exi = sendInstall(d, f);
    act(d, d.s.certForward!.id, exi);
    assert.equal(code(d), "FAILED_NoCertificateAvailable", name);
    const e = ends(d);
    assert.equal(e.length, 1, name);
    assert.equal(e[0]!.reason, "certificate-installation-refused", name);
    assert.match(e[0]!.detail, why, name);
  }
});

test("CPS behind the backend: a request while one waits ends the session; a refused request is not forwarded; CertificateUpdate is forwarded as Update", async () => {
  const f = await pncFixture();
  let d = start(f);
  sendInstall(d, f);
  const again = isoMod.encode(d.s.sessionId!, "PaymentDetailsReq", {
    eMAID: "USNACC000000001",
    ContractSignatureCertChain: { Certificate: f.contracts[0].chain.leaf },
  });
  event(d, { kind: "message", payloadType: 0x8001, bytes: again.bytes, tMs: d.t + 5 });
  assert.match(ends(d)[0]?.detail ?? "", /waits for the backend/);
  // signed with the wrong key: the SECC refuses it itself (nothing for the backend)
  d = start(f);
  const req = buildInstallationReq(f.oem.cert, f.contracts[0].privateKey, f.roots);
  const enc = isoMod.encode(d.s.sessionId!, "CertificateInstallationReq", req.body, undefined, req.signature);
  event(d, { kind: "message", payloadType: 0x8001, bytes: enc.bytes, tMs: d.t + 5 });
  assert.equal(d.s.certForward, null);
  assert.equal(
    iso2.decode((sent(d)[0] as { bytes: Uint8Array }).bytes).Body.CertificateInstallationRes!.ResponseCode,
    "FAILED_SignatureError",
  );
  d = start(f, {}, 2);
  const upd = buildUpdateReq({ ...f.contracts[0], notAfterS: 0 }, f.roots);
  const u = isoMod.encode(d.s.sessionId!, "CertificateUpdateReq", upd.body, undefined, upd.signature);
  event(d, { kind: "message", payloadType: 0x8001, bytes: u.bytes, tMs: d.t + 5 });
  assert.deepEqual([d.s.certForward?.action, d.s.certForward?.res], ["Update", "CertificateUpdateRes"]);
});
