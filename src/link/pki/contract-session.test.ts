/**
 * ISO 15118-2 Contract payment end to end in virtual time: our EVCC and SECC machines back to back with a PnC
 * PKI issued here; the SECC's checks one by one (driving it with our EVCC's builders): chain, eMAID,
 * challenge, signature, replay, MeteringReceipt signature; each failure ends with its ResponseCode and a
 * named stop reason.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as iso2 from "../../codecs/iso2/index.js";
import { createContract } from "../../v2g/pnc/contract-store.js";
import { predictableBytes } from "../../v2g/pnc/testing/fixture.js";
import { signFragments } from "../../v2g/pnc/xmldsig.js";
import { ends, request, startSecc, through } from "../../v2g/session/testing/drive-secc.js";
import { runPair, stopEvAfterLoops } from "../../v2g/session/testing/pair.js";

import { issuePncPki } from "./issuer.js";
import { materialFromPki, type PncMaterial } from "./material.js";

const EPOCH_S = 1_700_000_000;
const NOW = new Date(EPOCH_S * 1000);

function seccPnc(m: PncMaterial, extra: object = {}) {
  return {
    pnc: {
      moRoots: m.moRoots,
      v2gRoots: m.v2gRoots,
      randomBytes: predictableBytes(),
      ...extra,
    },
    protocols: ["iso2" as const],
    epochS: EPOCH_S,
  };
}
const evPnc = (m: PncMaterial, extra: object = {}) => ({
  protocols: ["iso2" as const],
  contract: createContract(m.contractChain, m.contractKey),
  epochS: EPOCH_S,
  ...extra,
});

describe("ISO-2 Contract payment", async () => {
  const m = await materialFromPki(await issuePncPki({ now: NOW }));
  const other = await materialFromPki(await issuePncPki({ now: NOW }));

  test("a full DC session with Contract payment: PaymentDetails, signed Authorization, terminated", () => {
    const r = runPair(evPnc(m), { ...seccPnc(m), receiptRequired: true }, stopEvAfterLoops(3));
    const names = r.wire.map((w) => w.name);
    assert.ok(names.includes("PaymentDetailsReq"), names.join(","));
    assert.ok(names.includes("MeteringReceiptReq"), "the signed receipt is verified");
    assert.equal(r.evseEnd?.reason, "terminated", r.evseEnd?.detail);
    assert.equal(r.evEnd?.reason, "terminated", r.evEnd?.detail);
    assert.equal(r.evse.payment?.option, "Contract");
  });

  test("without TLS Contract is not offered (EIM session), unless the lab switch is set", () => {
    const d = startSecc("iso2", seccPnc(m));
    // startSecc connects without TLS for ISO-2
    const res = through(d, ["SessionSetup", "ServiceDiscovery"]);
    assert.deepEqual((res?.body.PaymentOptionList as { PaymentOption: string[] }).PaymentOption, [
      "ExternalPayment",
    ]);
    const lab = startSecc("iso2", { ...seccPnc(m), pnc: { ...seccPnc(m).pnc, withoutTls: true } });
    const res2 = through(lab, ["SessionSetup", "ServiceDiscovery"]);
    assert.deepEqual((res2?.body.PaymentOptionList as { PaymentOption: string[] }).PaymentOption, [
      "ExternalPayment",
      "Contract",
    ]);
    // the EVCC without a contract chooses ExternalPayment
    const eim = runPair({ protocols: ["iso2"], epochS: EPOCH_S }, seccPnc(m), stopEvAfterLoops(2));
    assert.equal(eim.evse.payment?.option, "ExternalPayment");
    assert.equal(eim.evseEnd?.reason, "terminated");
  });

  const failures: [string, object, object, string, string][] = [
    [
      "unknown MO root",
      {},
      { moRoots: other.moRoots, v2gRoots: other.v2gRoots },
      "FAILED_CertChainError",
      "contract-invalid",
    ],
    ["expired contract", {}, { moRoots: m.moRoots }, "FAILED_CertificateExpired", "contract-expired"],
    ["revoked certificate", {}, { isRevoked: () => true }, "FAILED_CertificateRevoked", "contract-revoked"],
    ["bad signature", { pncFault: "bad-signature" }, {}, "FAILED_SignatureError", "signature-invalid"],
    [
      "replayed challenge",
      { pncFault: "replayed-challenge" },
      {},
      "FAILED_ChallengeInvalid",
      "challenge-invalid",
    ],
  ];
  for (const [label, ev, secc, code, reason] of failures)
    test(`${label}: ${code}, stop reason ${reason}`, () => {
      const base = seccPnc(m);
      const epochS = label === "expired contract" ? EPOCH_S + 3 * 365 * 86_400 : EPOCH_S;
      const evCfg = { ...evPnc(m, ev), ...(label === "expired contract" && { epochS }) };
      // an EV that still believes its contract valid (clock behind) sends it anyway
      if (label === "expired contract")
        evCfg.contract = { ...evCfg.contract, notAfterMs: Number.MAX_SAFE_INTEGER };
      const r = runPair(evCfg, { ...base, epochS, pnc: { ...base.pnc, ...secc } });
      assert.equal(r.evseEnd?.reason, reason, r.evseEnd?.detail);
      assert.match(r.evseEnd?.detail ?? "", new RegExp(code));
      assert.equal(r.evEnd?.reason, "failed-response");
      assert.match(r.evEnd?.detail ?? "", new RegExp(code));
    });

  test("MeteringReceiptReq with a signature that does not verify: FAILED_MeteringSignatureNotValid", () => {
    const r = runPair(
      evPnc(m, { pncFault: "bad-metering-signature" }),
      { ...seccPnc(m), receiptRequired: true },
      stopEvAfterLoops(3),
    );
    assert.equal(r.evseEnd?.reason, "metering-signature-invalid", r.evseEnd?.detail);
    assert.match(r.evseEnd?.detail ?? "", /FAILED_MeteringSignatureNotValid: SIG_VALUE/);
    assert.match(r.evEnd?.detail ?? "", /MeteringReceiptRes FAILED_MeteringSignatureNotValid/);
  });

  /** Drive the SECC through PaymentDetails with our EVCC's builders; returns the driver. */
  function toPaymentDetails() {
    const d = startSecc("iso2", { ...seccPnc(m), pnc: { ...seccPnc(m).pnc, withoutTls: true } }, evPnc(m));
    d.ev = { ...d.ev, payment: "Contract" };
    through(d, ["SessionSetup", "ServiceDiscovery", "PaymentSelection"]);
    const pd = request(d, "PaymentDetails");
    assert.equal(pd?.body.ResponseCode, "OK");
    return { d, challenge: pd?.body.GenChallenge as Uint8Array };
  }

  function signedAuthorization(
    d: ReturnType<typeof toPaymentDetails>["d"],
    challenge: Uint8Array,
    key = m.contractKey,
  ) {
    const body = { Id: "ID1", GenChallenge: challenge };
    const msg: iso2.V2G_Message = {
      Header: { SessionID: d.s.sessionId!, Signature: signFragments([{ AuthorizationReq: body }], key) },
      Body: { AuthorizationReq: body },
    };
    d.t += 50;
    return iso2.encode(msg);
  }

  test("the first AuthorizationReq must carry the challenge; a replay of it in an Ongoing repeat fails", async () => {
    const { event, lastResponse } = await import("../../v2g/session/testing/drive-secc.js");
    const { d, challenge } = toPaymentDetails();
    assert.equal(challenge.length, 16);
    // pending authorization: Ongoing, then the same signed request again (a replay)
    d.s = { ...d.s, readings: { ...d.s.readings, authorization: "pending" } };
    event(d, { kind: "message", payloadType: 0x8001, bytes: signedAuthorization(d, challenge), tMs: d.t });
    assert.equal(lastResponse(d)?.body.ResponseCode, "OK");
    assert.equal(lastResponse(d)?.body.EVSEProcessing, "Ongoing");
    // an unsigned empty repeat is fine ([V2G2-684])
    const rep = request(d, "Authorization");
    assert.equal(rep?.body.ResponseCode, "OK");
    d.t += 50;
    event(d, { kind: "message", payloadType: 0x8001, bytes: signedAuthorization(d, challenge), tMs: d.t });
    assert.equal(lastResponse(d)?.body.ResponseCode, "FAILED_ChallengeInvalid");
    assert.equal(ends(d).at(-1)?.reason, "challenge-invalid");
    assert.match(ends(d).at(-1)?.detail ?? "", /already used/);
  });

  test("a signature by another key, or none: FAILED_SignatureError; no challenge: FAILED_ChallengeInvalid", async () => {
    const { event, lastResponse } = await import("../../v2g/session/testing/drive-secc.js");
    const a = toPaymentDetails();
    event(a.d, {
      kind: "message",
      payloadType: 0x8001,
      bytes: signedAuthorization(a.d, a.challenge, other.contractKey),
      tMs: a.d.t,
    });
    assert.equal(lastResponse(a.d)?.body.ResponseCode, "FAILED_SignatureError");
    assert.equal(ends(a.d).at(-1)?.reason, "signature-invalid");
    const b = toPaymentDetails();
    const unsigned = request(b.d, "Authorization", {
      patch: () => ({ Id: "ID1", GenChallenge: b.challenge }),
    });
    assert.equal(unsigned?.body.ResponseCode, "FAILED_SignatureError");
    assert.match(ends(b.d).at(-1)?.detail ?? "", /SIG_MISSING/);
    const c = toPaymentDetails();
    const none = request(c.d, "Authorization", { patch: () => ({}) });
    assert.equal(none?.body.ResponseCode, "FAILED_ChallengeInvalid");
  });

  test("PaymentDetails: an eMAID other than the leaf CN is FAILED_CertChainError; case does not matter", () => {
    const d = startSecc("iso2", { ...seccPnc(m), pnc: { ...seccPnc(m).pnc, withoutTls: true } }, evPnc(m));
    d.ev = { ...d.ev, payment: "Contract" };
    through(d, ["SessionSetup", "ServiceDiscovery", "PaymentSelection"]);
    const bad = request(d, "PaymentDetails", { patch: (b) => ({ ...b, eMAID: "DEXYZC999999999" }) });
    assert.equal(bad?.body.ResponseCode, "FAILED_CertChainError");
    assert.equal(
      (bad?.body.GenChallenge as Uint8Array).length,
      16,
      "a failed response still has its GenChallenge",
    );
    assert.equal(ends(d).at(-1)?.reason, "contract-invalid");
    const d2 = startSecc("iso2", { ...seccPnc(m), pnc: { ...seccPnc(m).pnc, withoutTls: true } }, evPnc(m));
    d2.ev = { ...d2.ev, payment: "Contract" };
    through(d2, ["SessionSetup", "ServiceDiscovery", "PaymentSelection"]);
    const emaid = d2.ev.cfg.contract!.emaid;
    const hy = emaid.toLowerCase(); // the request's eMAID is at most 15 characters: no room for hyphens
    const ok = request(d2, "PaymentDetails", { patch: (b) => ({ ...b, eMAID: hy }) });
    assert.equal(ok?.body.ResponseCode, "OK");
  });
});
