import assert from "node:assert/strict";
import { test } from "node:test";
import { appHandshake, din, iso2 } from "../../../src/codecs/index.js";
import { bytesToHex } from "../../../src/exi/hex.js";
import { decodeMsgHex, negotiatedFamily, schemaCandidates, v2gtpPayload } from "./msg-decode.js";

const setup = {
  V2G_Message: {
    Header: { SessionID: new Uint8Array(8) },
    Body: { SessionSetupReq: { EVCCID: new Uint8Array([1, 2, 3, 4, 5, 6]) } },
  },
};
const DIN_HEX = bytesToHex(din.encodeDocument(setup as never));
const ISO2_HEX = bytesToHex(iso2.encodeDocument(setup as never));
const SAP_HEX = bytesToHex(
  appHandshake.encodeDocument({
    supportedAppProtocolReq: {
      AppProtocol: [
        {
          ProtocolNamespace: "urn:din:70121:2012:MsgDef",
          VersionNumberMajor: 2,
          VersionNumberMinor: 0,
          SchemaID: 1,
          Priority: 1,
        },
      ],
    },
  } as never),
);

/** V2GTP header (ISO 15118-2 §7.8.3) around a payload. */
const v2gtp = (payloadType: number, hex: string) => {
  const n = hex.length / 2;
  const h = [
    1,
    0xfe,
    payloadType >> 8,
    payloadType & 255,
    n >>> 24,
    (n >>> 16) & 255,
    (n >>> 8) & 255,
    n & 255,
  ];
  return bytesToHex(new Uint8Array(h)) + hex;
};

test("msg decode: the session's protocol decides DIN vs ISO-2; the SAP handshake by its name", () => {
  const d = decodeMsgHex(DIN_HEX, "SessionSetupReq", "din");
  assert.ok(d.ok && d.schema === "din" && d.type === "SessionSetupReq");
  const i = decodeMsgHex(ISO2_HEX, "SessionSetupReq", "iso2");
  assert.ok(i.ok && i.schema === "iso2" && i.type === "SessionSetupReq");
  // a wrong or missing protocol hint only changes the order tried
  const w = decodeMsgHex(ISO2_HEX, "SessionSetupReq", "iso20");
  assert.ok(w.ok && w.schema === "iso2");
  const s = decodeMsgHex(SAP_HEX, "supportedAppProtocolReq");
  assert.ok(s.ok && s.schema === "apphand");
  assert.equal(
    (s.message as { AppProtocol: { ProtocolNamespace: string }[] }).AppProtocol[0]!.ProtocolNamespace,
    "urn:din:70121:2012:MsgDef",
  );
});

test("msg decode: the whole V2GTP message is accepted too; its payload type picks the ISO 15118-20 set", () => {
  const w = decodeMsgHex(v2gtp(0x8001, DIN_HEX), "SessionSetupReq", "din");
  assert.ok(w.ok && w.schema === "din");
  assert.deepEqual(v2gtpPayload(new Uint8Array([1, 0xfe, 0x80, 0x04, 0, 0, 0, 1, 0xaa])), {
    payloadType: 0x8004,
    payload: new Uint8Array([0xaa]),
  });
  assert.deepEqual(schemaCandidates("DC_ChargeLoopReq", undefined, 0x8004), ["iso20-dc"]);
  assert.equal(schemaCandidates("SessionSetupReq", "iso20")[0], "iso20-common");
});

test("msg decode: bad bytes are reported naming the field, never thrown", () => {
  const r = decodeMsgHex("80F", "SessionSetupReq", "din");
  assert.ok(!r.ok && /^field bytes: /.test(r.error));
  const g = decodeMsgHex("FFFFFFFF", "SessionSetupReq", "din");
  assert.ok(!g.ok && /no schema decodes it/.test(g.error));
});

test("msg decode: the negotiated family from the recorded SAP handshake", () => {
  const offer = (ns: string, id: number) =>
    bytesToHex(
      appHandshake.encodeDocument({
        supportedAppProtocolReq: {
          AppProtocol: [
            {
              ProtocolNamespace: "urn:din:70121:2012:MsgDef",
              VersionNumberMajor: 2,
              VersionNumberMinor: 0,
              SchemaID: 1,
              Priority: 2,
            },
            {
              ProtocolNamespace: ns,
              VersionNumberMajor: 2,
              VersionNumberMinor: 0,
              SchemaID: id,
              Priority: 1,
            },
          ],
        },
      } as never),
    );
  const answer = (id: number) =>
    bytesToHex(
      appHandshake.encodeDocument({
        supportedAppProtocolRes: { ResponseCode: "OK_SuccessfulNegotiation", SchemaID: id },
      } as never),
    );
  const session = (req: string, res: string) => [
    { name: "supportedAppProtocolReq", bytes: req },
    { name: "supportedAppProtocolRes", bytes: res },
    { name: "SessionSetupReq" },
  ];
  assert.equal(negotiatedFamily(session(offer("urn:iso:15118:2:2013:MsgDef", 7), answer(7))), "iso2");
  assert.equal(negotiatedFamily(session(offer("urn:iso:15118:2:2013:MsgDef", 7), answer(1))), "din");
  assert.equal(
    negotiatedFamily([{ name: "supportedAppProtocolReq" }, { name: "supportedAppProtocolRes" }]),
    undefined,
  );
});
