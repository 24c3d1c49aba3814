/**
 * SessionIDs shorter than 8 bytes on both sides: a Tesla Supercharger hands out 4-byte SessionIDs
 * (uhi22/pyPLC `results/2023-03-02_SuperCharger_CableCheck_error.pcapng`, SessionSetupRes frame 575) and
 * answers FAILED_UnknownSession to any other; our EVCC echoes what it got, our SECC can hand them out.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { appHandshake, din } from "../../codecs/index.js";
import { createEvcc, stepEvcc } from "./evcc.js";
import { newSessionId } from "./session-id.js";
import { ends, request, startSecc, through } from "./testing/drive-secc.js";

/** SessionSetupRes of a Tesla Supercharger V3: SessionID 06EF0071, EVSEID = its MAC, DateTimeNow 0. */
const SUPERCHARGER_SESSION_SETUP_RES = Buffer.from("809a0101bbc01c51e0201b71109c7f646c0000", "hex");

const v2gtp = (exi: Uint8Array) => ({ kind: "message" as const, payloadType: 0x8001, bytes: exi });

test("EVCC: a 4-byte SessionID from a Supercharger's SessionSetupRes is echoed in every later request", () => {
  let s = createEvcc({ protocols: ["din"] });
  [s] = stepEvcc(s, { kind: "connected", tMs: 0 });
  const sapRes = appHandshake.encodeDocument({
    supportedAppProtocolRes: { ResponseCode: "OK_SuccessfulNegotiation", SchemaID: 1 },
  });
  [s] = stepEvcc(s, { ...v2gtp(sapRes), tMs: 10 });
  const [s2, fx] = stepEvcc(s, { ...v2gtp(SUPERCHARGER_SESSION_SETUP_RES), tMs: 20 });
  assert.equal(Buffer.from(s2.sessionId ?? []).toString("hex"), "06ef0071");
  const sent = fx.find((f) => f.kind === "send");
  assert.ok(sent && sent.kind === "send", JSON.stringify(fx.map((f) => f.kind)));
  assert.equal(sent.name, "ServiceDiscoveryReq");
  const doc = din.decodeDocument(sent.bytes) as { V2G_Message: { Header: { SessionID: Uint8Array } } };
  assert.equal(Buffer.from(doc.V2G_Message.Header.SessionID).toString("hex"), "06ef0071");
});

for (const protocol of ["din", "iso2"] as const) {
  test(`${protocol} SECC with 4-byte SessionIDs: hands them out, accepts them, refuses another`, () => {
    const d = startSecc(protocol, { sessionIdLength: 4 });
    const r = request(d, "SessionSetup");
    assert.equal(r?.sessionId.length, 4);
    d.ev = { ...d.ev, sessionId: r!.sessionId };
    const sd = through(d, ["ServiceDiscovery"]);
    assert.match(String(sd?.body.ResponseCode), /^OK/);
    const bad = request(d, "PaymentSelection", { sessionId: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) });
    assert.equal(bad?.body.ResponseCode, "FAILED_UnknownSession");
    assert.equal(ends(d)[0]?.reason, "unknown-session");
  });
}

test("property: newSessionId gives `length` bytes (1–8), never all zero", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n, seed) => {
      const { id } = newSessionId(seed, n);
      return id.length === n && id.some((b) => b !== 0);
    }),
  );
});
