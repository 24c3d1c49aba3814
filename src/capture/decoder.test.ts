import assert from "node:assert/strict";
import { test } from "node:test";
import { appHandshake, din } from "../codecs/index.js";
import { encodeV2gtpMessage } from "../v2g/index.js";
import { type CaptureEvent, createCaptureDecoder } from "./decoder.js";
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW } from "./formats.js";
import type { CapturedPacket } from "./reader.js";
import { createPacketSynthesizer } from "./synth.js";

function pkt(i: number, linkType: number, data: Uint8Array): CapturedPacket {
  return {
    kind: "packet",
    index: i,
    interfaceId: 0,
    linkType,
    tsSec: 100 + i,
    tsNsec: 0,
    data,
    origLen: data.length,
  };
}

/** Re-encapsulate an Ethernet frame for another link type. */
function relink(eth: Uint8Array, linkType: number): Uint8Array {
  const et = eth.subarray(12, 14);
  const rest = eth.subarray(14);
  if (linkType === LINKTYPE_LINUX_SLL)
    return Uint8Array.from([0, 0, 0, 1, 0, 6, ...eth.subarray(6, 12), 0, 0, ...et, ...rest]);
  if (linkType === LINKTYPE_LINUX_SLL2)
    return Uint8Array.from([...et, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, ...eth.subarray(6, 12), 0, 0, ...rest]);
  if (linkType === LINKTYPE_RAW) return rest;
  // two VLAN tags (QinQ)
  return Uint8Array.from([...eth.subarray(0, 12), 0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 20, ...et, ...rest]);
}

function frames(): Uint8Array[] {
  const s = createPacketSynthesizer({}, { mss: 5 });
  const out = [...s.connect()];
  const v = (from: "ev" | "evse", exi: Uint8Array) =>
    out.push(...s.v2gtp(from, encodeV2gtpMessage(0x8001, exi)));
  v(
    "ev",
    appHandshake.encodeDocument({
      supportedAppProtocolReq: {
        AppProtocol: [
          {
            ProtocolNamespace: "urn:iso:15118:2:2013:MsgDef",
            VersionNumberMajor: 2,
            VersionNumberMinor: 0,
            SchemaID: 3,
            Priority: 1,
          },
        ],
      },
    }),
  );
  v(
    "evse",
    appHandshake.encodeDocument({
      supportedAppProtocolRes: { ResponseCode: "OK_SuccessfulNegotiation", SchemaID: 3 },
    }),
  );
  v(
    "ev",
    din.encodeDocument({
      V2G_Message: {
        Header: { SessionID: Uint8Array.of(0) },
        Body: { SessionSetupReq: { EVCCID: Uint8Array.of(1) } },
      },
    } as never),
  );
  return out;
}

function run(list: CapturedPacket[], opts?: Parameters<typeof createCaptureDecoder>[0]): CaptureEvent[] {
  const d = createCaptureDecoder(opts);
  return [...list.flatMap((p) => d.push(p)), ...d.end()];
}

test("decoder: Ethernet, QinQ VLAN, Linux SLL/SLL2 and raw IP give the same events", () => {
  const eth = frames();
  const ref = run(eth.map((f, i) => pkt(i, LINKTYPE_ETHERNET, f))).map(
    (e) => `${e.layer} ${e.from} ${e.type}`,
  );
  assert.deepEqual(
    ref.filter((l) => l.startsWith("v2g")),
    ["v2g ev supportedAppProtocolReq", "v2g evse supportedAppProtocolRes", "v2g ev V2G_Message"],
  );
  for (const lt of [LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW, -1]) {
    const evs = run(eth.map((f, i) => pkt(i, lt === -1 ? LINKTYPE_ETHERNET : lt, relink(f, lt))));
    assert.deepEqual(
      evs.map((e) => `${e.layer} ${e.from} ${e.type}`),
      ref,
      `link type ${lt}`,
    );
  }
});

test("decoder: SAP picks the schema (ISO-2 here, so a DIN body fails loudly with hex); --schema and guessing without SAP", () => {
  const eth = frames();
  const ev = run(eth.map((f, i) => pkt(i, LINKTYPE_ETHERNET, f)));
  const last = ev.filter((e) => e.layer === "v2g").at(-1)!;
  assert.equal(last.schema, "iso2");
  assert.ok(
    last.error && last.hex,
    "a DIN message under a negotiated ISO-2 schema is reported with error and hex",
  );
  // capture starting mid-session (no SYN, no SAP): the DIN message is guessed, or decoded with --schema
  const s = createPacketSynthesizer({}, { mss: 1440 });
  s.connect();
  const one = s.v2gtp(
    "ev",
    encodeV2gtpMessage(
      0x8001,
      din.encodeDocument({
        V2G_Message: {
          Header: { SessionID: Uint8Array.of(0) },
          Body: { SessionSetupReq: { EVCCID: Uint8Array.of(1) } },
        },
      } as never),
    ),
  );
  const mid = one.map((f, i) => pkt(i, LINKTYPE_ETHERNET, f));
  const guessed = run(mid).find((e) => e.layer === "v2g")!;
  assert.equal(guessed.schema, "din");
  assert.equal(guessed.schemaGuessed, true);
  assert.equal(guessed.from, "ev");
  const forced = run(mid, { schema: "iso2" }).find((e) => e.layer === "v2g")!;
  assert.equal(forced.schema, "iso2");
  assert.ok(forced.error);
});

test("decoder: an unsupported link type is warned about once per interface, naming the number", () => {
  const eth = frames();
  const list: CapturedPacket[] = [
    ...eth.slice(0, 3).map((f, i) => ({ ...pkt(i, 147, f), interfaceId: 1 })),
    ...eth.map((f, i) => pkt(3 + i, LINKTYPE_ETHERNET, f)),
    ...eth.slice(0, 2).map((f, i) => ({ ...pkt(20 + i, 105, f), interfaceId: 2 })),
  ];
  const d = createCaptureDecoder();
  const ev = [...list.flatMap((p) => d.push(p)), ...d.end()];
  const warn = ev.filter((e) => e.type === "UnknownLinkType");
  assert.equal(warn.length, 2, "one warning per interface");
  assert.equal(warn[0]?.layer, "capture");
  assert.match(warn[0]?.warnings?.[0] ?? "", /^interface 1: link type 147 is not supported/);
  assert.match(warn[1]?.warnings?.[0] ?? "", /^interface 2: link type 105 is not supported/);
  assert.deepEqual(warn[0]?.message, { interface: 1, linkType: 147 });
  assert.equal(d.stats.unknownLinkPackets, 5);
  assert.ok(
    ev.some((e) => e.type === "supportedAppProtocolRes"),
    "the supported interface is decoded",
  );
});
