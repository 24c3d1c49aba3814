/**
 * ISO 15118-20 Plug & Charge, SECC and EVCC back to back (TLS 1.3 link): AuthorizationSetupRes offers PnC with
 * a fresh GenChallenge only with -20 PnC configured and on TLS 1.3; the EV with a valid -20 contract selects PnC
 * and sends the signed PnC_AReqAuthorizationMode; the SECC checks challenge, chain (to an installed MO root)
 * and signature, and answers -20 responseCodeType codes with named stop reasons; EIM otherwise.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { issuePnc20Pki, issuePncPki, materialFromPki } from "../../../link/pki/index.js";
import { createContract20 } from "../../pnc/contract20.js";
import type { EvccConfig } from "../../session/evcc-state.js";
import { createSecc } from "../../session/secc.js";
import type { SeccConfig, SeccPnc20Config } from "../../session/secc-state.js";
import { event, lastResponse, request, startSecc } from "../../session/testing/drive-secc.js";
import { type PairResult, runPair } from "../../session/testing/pair.js";
import { encodeIso20 } from "../envelope.js";
import { iso20EvccModule } from "../evcc/module.js";
import { pncOffered } from "./authorization-setup.js";

const NOW = new Date("2031-03-01T00:00:00Z");
const EPOCH_S = NOW.getTime() / 1000;
const CHALLENGE = Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i);

/** The request names our EVCC sent, with consecutive repeats collapsed. */
function evFlow(r: PairResult): string[] {
  const out: string[] = [];
  for (const m of r.wire) if (m.from === "ev" && out[out.length - 1] !== m.name) out.push(m.name);
  return out;
}

/** A session that stops itself after a few charge loops. */
function run(ev: Partial<EvccConfig>, evse: Partial<SeccConfig>): PairResult {
  let asked = false;
  return runPair(
    { protocols: ["iso20"], epochS: EPOCH_S, ...ev },
    { protocols: ["iso20"], epochS: EPOCH_S, ...evse },
    {
      onStep: (p, t) => {
        if (asked || p.wire.filter((m) => m.name === "DC_ChargeLoopReq").length < 3) return undefined;
        asked = true;
        return [{ at: t, to: "ev", ev: { kind: "control", control: { op: "stop" }, tMs: t } }];
      },
    },
  );
}

describe("ISO 15118-20 Plug & Charge", async () => {
  const pki = await issuePnc20Pki({ now: NOW });
  const foreign = await issuePnc20Pki({ now: NOW });
  const pki2 = await issuePncPki({ now: NOW });
  const m = await materialFromPki(pki);
  const mForeign = await materialFromPki(foreign);
  const m2 = await materialFromPki(pki2);
  const contract20 = createContract20(m.contractChain, m.contractKey);
  const pnc20: SeccPnc20Config = {
    moRoots: m.moRoots,
    v2gRoots: m.v2gRoots,
    randomBytes: (n) => CHALLENGE.slice(0, n),
  };

  test("PnC: offered on TLS 1.3, selected by the EV with a contract, signed, checked, the DC session completes", () => {
    const r = run({ contract20 }, { pnc20 });
    assert.equal(r.negotiated, "iso20");
    assert.deepEqual(evFlow(r).slice(0, 5), [
      "supportedAppProtocolReq",
      "SessionSetupReq",
      "AuthorizationSetupReq",
      "AuthorizationReq",
      "ServiceDiscoveryReq",
    ]);
    assert.equal(r.wire.filter((x) => x.name === "AuthorizationReq").length, 1, "Finished at once");
    assert.equal(r.ev.iso20?.auth, "PnC");
    assert.equal(r.evse.iso20?.authService, "PnC");
    assert.deepEqual(r.evse.iso20?.pncContract, { emaid: "DENACC00000001" });
    assert.equal(r.evse.iso20?.pncChallenge, null, "the challenge is spent");
    assert.equal(r.evEnd?.reason, "terminated", r.evEnd?.detail);
    assert.equal(r.evseEnd?.reason, "terminated", r.evseEnd?.detail);
  });

  test("EIM stays the default: no -20 PKI on the SECC, or no -20 contract on the EV", () => {
    for (const [ev, evse] of [
      [{ contract20 }, {}],
      [{}, { pnc20 }],
    ] as const) {
      const r = run(ev, evse);
      assert.equal(r.ev.iso20?.auth ?? "EIM", "EIM");
      assert.equal(r.evse.iso20?.authService, "EIM");
      assert.equal(r.evEnd?.reason, "terminated", r.evEnd?.detail);
    }
  });

  test("PnC is offered only on TLS 1.3 (or the lab switch), with a 16-byte GenChallenge", () => {
    const s = createSecc({ protocols: ["iso20"], pnc20 });
    assert.equal(pncOffered({ ...s, connTls: "1.3" }), true);
    assert.equal(pncOffered({ ...s, connTls: null }), false);
    assert.equal(pncOffered({ ...s, connTls: "1.2" }), false);
    assert.equal(pncOffered({ ...s, cfg: { ...s.cfg, pnc20: { ...pnc20, withoutTls: true } } }), true);
    assert.equal(pncOffered({ ...createSecc({ protocols: ["iso20"] }), connTls: "1.3" }), false);
    const d = startSecc("iso20", { pnc20 });
    request(d, "SessionSetup");
    const res = request(d, "AuthorizationSetup");
    assert.deepEqual(res?.body.AuthorizationServices, ["EIM", "PnC"]);
    assert.deepEqual(res?.body.PnC_ASResAuthorizationMode, { GenChallenge: CHALLENGE });
    assert.equal(res?.body.EIM_ASResAuthorizationMode, undefined);
  });

  test("a contract from another MO root: WARNING_CertificateValidationError, contract-invalid", () => {
    const r = run({ contract20: createContract20(mForeign.contractChain, mForeign.contractKey) }, { pnc20 });
    assert.equal(r.evseEnd?.reason, "contract-invalid");
    assert.match(
      r.evseEnd?.detail ?? "",
      /^AuthorizationRes WARNING_CertificateValidationError: .*BAD_SIGNATURE/,
    );
    assert.equal(r.evEnd?.reason, "failed-response");
    assert.match(r.evEnd?.detail ?? "", /AuthorizationRes WARNING_CertificateValidationError/);
    assert.ok(!evFlow(r).includes("ServiceDiscoveryReq"));
  });

  test("a flipped bit in the signature: FAILED_SignatureError, signature-invalid", () => {
    const r = run({ contract20, pncFault: "bad-signature" }, { pnc20 });
    assert.equal(r.evseEnd?.reason, "signature-invalid");
    assert.match(r.evseEnd?.detail ?? "", /^AuthorizationRes FAILED_SignatureError: SIG_VALUE/);
    assert.match(r.evEnd?.detail ?? "", /FAILED_SignatureError/);
  });

  test("an expired contract: WARNING_CertificateExpired, contract-expired", () => {
    // the SECC's clock is three years on; the EV's is not (it believes its contract valid)
    const r = run({ contract20 }, { pnc20, epochS: EPOCH_S + 3 * 365 * 86_400 });
    assert.equal(r.evseEnd?.reason, "contract-expired");
    assert.match(r.evseEnd?.detail ?? "", /WARNING_CertificateExpired/);
  });

  test("a GenChallenge that is not ours: WARNING_ChallengeInvalid, challenge-invalid", () => {
    const d = startSecc("iso20", { pnc20, epochS: EPOCH_S }, { contract20, epochS: EPOCH_S });
    request(d, "SessionSetup");
    request(d, "AuthorizationSetup");
    const wrong = CHALLENGE.map((b) => b ^ 0xff);
    d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, auth: "PnC", pncChallenge: wrong } };
    const res = request(d, "Authorization");
    assert.equal(res?.body.ResponseCode, "WARNING_ChallengeInvalid");
    assert.equal(res?.body.EVSEProcessing, "Finished");
    const end = d.all.find((x) => x.effect.kind === "session-end")?.effect;
    assert.ok(end?.kind === "session-end" && end.stopReason === "challenge-invalid");
  });

  test("PnC selected where it was not offered: WARNING_AuthorizationSelectionInvalid", () => {
    const d = startSecc("iso20", { epochS: EPOCH_S }, { contract20, epochS: EPOCH_S });
    request(d, "SessionSetup");
    request(d, "AuthorizationSetup");
    d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, auth: "PnC", pncChallenge: CHALLENGE } };
    const res = request(d, "Authorization");
    assert.equal(res?.body.ResponseCode, "WARNING_AuthorizationSelectionInvalid");
    assert.equal(d.s.iso20?.authorized, false);
  });

  test("a P-256 contract (lab peers): refused by default, accepted with labP256", () => {
    const lab = createContract20(m2.contractChain, m2.contractKey, { lab: true });
    const roots = { moRoots: m2.moRoots, v2gRoots: m2.v2gRoots };
    const refused = run({ contract20: lab }, { pnc20: { ...pnc20, ...roots } });
    assert.equal(refused.evseEnd?.reason, "contract-invalid");
    assert.match(refused.evseEnd?.detail ?? "", /MALFORMED: leaf: .*ecdsa-with-SHA512/);
    const ok = run({ contract20: lab }, { pnc20: { ...pnc20, ...roots, labP256: true } });
    assert.equal(ok.evse.iso20?.authService, "PnC");
    assert.equal(ok.evseEnd?.reason, "terminated", ok.evseEnd?.detail);
  });

  test("a signed PnC AuthorizationReq with one flipped bit never crashes the SECC and is never accepted changed (property)", () => {
    // the request our EVCC signs for this session's challenge
    const base = startSecc("iso20", { pnc20, epochS: EPOCH_S }, { contract20, epochS: EPOCH_S });
    const ev = { ...base.ev, iso20: { ...base.ev.iso20!, auth: "PnC" as const, pncChallenge: CHALLENGE } };
    const msg = iso20EvccModule.messages.Authorization!;
    const body = msg.build(ev) as Record<string, unknown>;
    const sig = msg.signature?.(ev, body as never);
    request(base, "SessionSetup");
    const sid = base.s.sessionId!;
    const good = encodeIso20(sid, "AuthorizationReq", body, 0n, sig).bytes;
    const original = JSON.stringify(iso20EvccModule.decode(good).body, (_k, v) =>
      typeof v === "bigint" ? String(v) : v instanceof Uint8Array ? Array.from(v) : v,
    );
    const answer = (bytes: Uint8Array) => {
      const d = startSecc("iso20", { pnc20, epochS: EPOCH_S }, { contract20, epochS: EPOCH_S });
      request(d, "SessionSetup");
      request(d, "AuthorizationSetup");
      d.t += 50;
      event(d, { kind: "message", payloadType: 0x8002, bytes, tMs: d.t }); // must not throw
      return lastResponse(d);
    };
    // the unchanged request is accepted
    assert.equal(answer(good)?.body.ResponseCode, "OK");
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(good.length * 8 - 1), (bit) => {
        const bytes = good.slice();
        bytes[bit >> 3]! ^= 0x80 >> (bit & 7);
        const res = answer(bytes);
        if (res?.element === "AuthorizationRes" && !String(res.body.ResponseCode).startsWith("OK")) refused++;
        if (res?.element !== "AuthorizationRes" || !String(res.body.ResponseCode).startsWith("OK")) return;
        // accepted: only what the signature does not cover (Header SessionID/TimeStamp) may differ
        const got = iso20EvccModule.decode(bytes).body as Record<string, unknown>;
        const { Header: _h, ...rest } = got;
        const { Header: _o, ...orig } = JSON.parse(original) as Record<string, unknown>;
        assert.equal(
          JSON.stringify(rest, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)),
          JSON.stringify(orig),
          `bit ${bit}: a changed signed request was accepted`,
        );
      }),
      { numRuns: 60, seed: 2026 },
    );
    assert.ok(refused > 10, `${refused} mutations reached the PnC checks and were refused`);
  });

  test("PnC with the payment port pending: Ongoing, the repeated signed request is not re-checked; a rejection is WARNING_GeneralPnCAuthorizationError", () => {
    for (const final of ["accepted", "rejected"] as const) {
      const d = startSecc("iso20", { pnc20, epochS: EPOCH_S }, { contract20, epochS: EPOCH_S });
      event(d, { kind: "port", readings: { authorization: "pending" }, tMs: 1 });
      request(d, "SessionSetup");
      request(d, "AuthorizationSetup");
      const ev = { ...d.ev, iso20: { ...d.ev.iso20!, auth: "PnC" as const, pncChallenge: CHALLENGE } };
      const msg = iso20EvccModule.messages.Authorization!;
      const body = msg.build(ev) as Record<string, unknown>;
      const bytes = encodeIso20(
        d.s.sessionId!,
        "AuthorizationReq",
        body,
        0n,
        msg.signature?.(ev, body as never),
      ).bytes;
      const send = () => {
        d.t += 200;
        event(d, { kind: "message", payloadType: 0x8002, bytes, tMs: d.t });
        const b = lastResponse(d)?.body;
        return { ResponseCode: b?.ResponseCode, EVSEProcessing: b?.EVSEProcessing };
      };
      assert.deepEqual(send(), { ResponseCode: "OK", EVSEProcessing: "Ongoing" });
      assert.deepEqual(
        send(),
        { ResponseCode: "OK", EVSEProcessing: "Ongoing" },
        "the repeat is not a replay",
      );
      event(d, { kind: "port", readings: { authorization: final }, tMs: d.t });
      const last = send();
      assert.equal(last?.EVSEProcessing, "Finished");
      assert.equal(last?.ResponseCode, final === "accepted" ? "OK" : "WARNING_GeneralPnCAuthorizationError");
      assert.equal(d.s.iso20?.authorized, final === "accepted");
      assert.equal(d.s.iso20?.authService, final === "accepted" ? "PnC" : null);
    }
  });
});
