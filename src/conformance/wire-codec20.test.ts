/**
 * The tester's ISO 15118-20 wire: a -20 message decodes by its V2GTP payload type (ISO 15118-20: 0x8002 / 0x8003 / 0x8004)
 * into name, SessionID and body below the Header, and encodes back; each deviation on a -20 request keeps
 * the SessionID and the schema set, swaps a choice element when a mutation removes one (null) and sets the
 * other, and sends an injected or replayed message in the payload type of its own schema set.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { iso20 } from "../codecs/index.js";
import { decodeV2gtpHeader } from "../v2g/index.js";
import { deviate, type Outgoing, type WireAction } from "./deviate.js";
import { bytesOfHex, decodeWire, encodeWire, hexOf, wirePayloadType } from "./wire-codec.js";

const SID = bytesOfHex("1122334455667788");
const rn = (Value: number) => ({ Exponent: 0, Value });
const DC_LIMITS = {
  EVMaximumChargePower: rn(15000),
  EVMinimumChargePower: rn(0),
  EVMaximumChargeCurrent: rn(200),
  EVMinimumChargeCurrent: rn(0),
  EVMaximumVoltage: rn(900),
  EVMinimumVoltage: rn(200),
};
const cpd = encodeWire("iso20", SID, "DC_ChargeParameterDiscoveryReq", {
  DC_CPDReqEnergyTransferMode: DC_LIMITS,
});
const out: Outgoing = {
  name: "DC_ChargeParameterDiscoveryReq",
  payloadType: 0x8004,
  bytes: cpd,
  occurrence: 1,
};
const at = { message: "DC_ChargeParameterDiscoveryReq" };
const sent = (a: WireAction | undefined): { bytes: Uint8Array; payloadType: number } => {
  assert.ok(a && a.kind === "send", `a send, got ${a?.kind}`);
  return { bytes: a.bytes, payloadType: a.payloadType };
};

test("-20 wire: decoded by payload type (DC 0x8004) into name, SessionID and the body below the Header", () => {
  const w = decodeWire("iso20", cpd, false, 0x8004);
  assert.equal(w.name, "DC_ChargeParameterDiscoveryReq");
  assert.equal(hexOf(w.sessionId ?? new Uint8Array()), "1122334455667788");
  assert.deepEqual(Object.keys(w.body), ["DC_CPDReqEnergyTransferMode"]);
  assert.deepEqual((w.body.DC_CPDReqEnergyTransferMode as typeof DC_LIMITS).EVMaximumVoltage, rn(900));
  // the DC set's bytes read as CommonMessages are not this message
  let asCommon: string | undefined;
  try {
    asCommon = decodeWire("iso20", cpd, false, 0x8002).name;
  } catch {
    asCommon = undefined;
  }
  assert.notEqual(asCommon, "DC_ChargeParameterDiscoveryReq");
  assert.deepEqual(
    ["SessionSetupReq", "AC_ChargeLoopReq", "DC_ChargeLoopReq", "supportedAppProtocolReq"].map((n) =>
      wirePayloadType("iso20", n, 0x8001),
    ),
    [0x8002, 0x8003, 0x8004, 0x8001],
  );
  assert.equal(wirePayloadType("iso2", "DC_ChargeLoopReq", 0x8001), 0x8001);
});

test("-20 mutate: null removes a choice element, the other is set; SessionID and schema set stay", () => {
  const [a] = deviate(
    {
      kind: "mutate",
      at,
      set: {
        DC_CPDReqEnergyTransferMode: null,
        BPT_DC_CPDReqEnergyTransferMode: {
          ...DC_LIMITS,
          EVMaximumDischargePower: rn(10000),
          EVMinimumDischargePower: rn(0),
          EVMaximumDischargeCurrent: rn(20),
          EVMinimumDischargeCurrent: rn(0),
        },
      },
    },
    "iso20",
    out,
    new Map(),
  );
  const s = sent(a);
  assert.equal(s.payloadType, 0x8004);
  const w = decodeWire("iso20", s.bytes, false, s.payloadType);
  assert.equal(hexOf(w.sessionId ?? new Uint8Array()), "1122334455667788");
  assert.deepEqual(Object.keys(w.body), ["BPT_DC_CPDReqEnergyTransferMode"]);
  const [b] = deviate(
    { kind: "mutate", at, set: { "DC_CPDReqEnergyTransferMode.EVMaximumVoltage": rn(50) } },
    "iso20",
    out,
    new Map(),
  );
  const m = decodeWire("iso20", sent(b).bytes, false, 0x8004).body
    .DC_CPDReqEnergyTransferMode as typeof DC_LIMITS;
  assert.deepEqual([m.EVMaximumVoltage, m.EVMaximumChargeCurrent], [rn(50), rn(200)]);
});

test("-20 inject and replay: the message goes in its own schema set's payload type", () => {
  const inj = deviate(
    { kind: "inject", at: { message: "AuthorizationSetupReq" }, message: "DC_CableCheckReq", body: {} },
    "iso20",
    {
      name: "AuthorizationSetupReq",
      payloadType: 0x8002,
      bytes: encodeWire("iso20", SID, "AuthorizationSetupReq", {}),
      occurrence: 1,
    },
    new Map(),
  );
  const s = sent(inj[1]);
  assert.equal(s.payloadType, 0x8004);
  assert.equal(decodeWire("iso20", s.bytes, false, 0x8004).name, "DC_CableCheckReq");
  const sd = encodeWire("iso20", bytesOfHex("0000000000000000"), "ServiceDiscoveryReq", {});
  const [r] = deviate(
    { kind: "replay", at, message: "ServiceDiscoveryReq" },
    "iso20",
    out,
    new Map([["ServiceDiscoveryReq", sd]]),
  );
  const rs = sent(r);
  assert.equal(rs.payloadType, 0x8002);
  const w = decodeWire("iso20", rs.bytes, false, rs.payloadType);
  assert.deepEqual(
    [w.name, hexOf(w.sessionId ?? new Uint8Array())],
    ["ServiceDiscoveryReq", "1122334455667788"],
  );
});

test("property: any 8-byte SessionID goes on a -20 request as given, the body unchanged", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (id) => {
      const [a] = deviate({ kind: "session-id", at, sessionIdHex: hexOf(id) }, "iso20", out, new Map());
      // an ISO 15118-20 DC document: the root element, its Header with the SessionID as given
      const doc = iso20.dc.decodeDocument(sent(a).bytes) as unknown as Record<
        string,
        { Header: { SessionID: Uint8Array } }
      >;
      assert.equal(
        hexOf(doc.DC_ChargeParameterDiscoveryReq?.Header.SessionID ?? new Uint8Array()),
        hexOf(id),
      );
      const w = decodeWire("iso20", sent(a).bytes, false, 0x8004);
      assert.deepEqual(w.body, decodeWire("iso20", cpd, false, 0x8004).body);
    }),
    { numRuns: 50 },
  );
});

test("-20 wrong payload type: the DC request framed as CommonMessages, byte for byte, then silence", () => {
  const [a, b] = deviate({ kind: "payload-type", at, payloadType: 0x8002 }, "iso20", out, new Map());
  assert.ok(a?.kind === "raw");
  const h = decodeV2gtpHeader(a.bytes);
  assert.deepEqual([h.payloadType, h.payloadLength], [0x8002, cpd.length]);
  assert.deepEqual(a.bytes.subarray(8), cpd);
  assert.ok("DC_ChargeParameterDiscoveryReq" in (iso20.dc.decodeDocument(a.bytes.subarray(8)) as object));
  assert.equal(b?.kind, "silent");
});
