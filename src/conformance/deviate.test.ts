/**
 * Each deviation puts the intended bytes on the wire: decodable messages with the named field changed and
 * everything else as it was, or V2GTP headers broken exactly as asked (ISO 15118-2 §7.8.3); a board action
 * or a resumed session leaves the request as it is.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeV2gtpHeader } from "../v2g/index.js";
import { deviate, type Outgoing, type WireAction } from "./deviate.js";
import type { TesterBehaviour } from "./types.js";
import { bytesOfHex, decodeWire, encodeWire, hexOf } from "./wire-codec.js";

const SID = bytesOfHex("1122334455667788");
const at = { message: "ChargeParameterDiscoveryReq" };
const cpd = encodeWire("iso2", SID, "ChargeParameterDiscoveryReq", {
  RequestedEnergyTransferMode: "DC_extended",
  DC_EVChargeParameter: {
    DC_EVStatus: { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 50 },
    EVMaximumCurrentLimit: { Multiplier: 0, Unit: "A", Value: 200 },
    EVMaximumVoltageLimit: { Multiplier: 0, Unit: "V", Value: 900 },
  },
});
const out: Outgoing = { name: "ChargeParameterDiscoveryReq", payloadType: 0x8001, bytes: cpd, occurrence: 1 };
const run = (b: TesterBehaviour, earlier = new Map<string, Uint8Array>()) => deviate(b, "iso2", out, earlier);
const sent = (a: WireAction | undefined): Uint8Array => {
  assert.ok(a && (a.kind === "send" || a.kind === "raw"), `a send, got ${a?.kind}`);
  return a.bytes;
};

test("mutate: the named field changes, the SessionID and every other field stay", () => {
  const [a] = run({
    kind: "mutate",
    at,
    set: { RequestedEnergyTransferMode: "DC_core", "DC_EVChargeParameter.EVMaximumVoltageLimit.Value": 50 },
  });
  const w = decodeWire("iso2", sent(a));
  assert.equal(w.name, "ChargeParameterDiscoveryReq");
  assert.equal(hexOf(w.sessionId ?? new Uint8Array()), "1122334455667788");
  assert.equal(w.body.RequestedEnergyTransferMode, "DC_core");
  const p = w.body.DC_EVChargeParameter as Record<string, { Value: number }>;
  assert.equal(p.EVMaximumVoltageLimit?.Value, 50);
  assert.equal(p.EVMaximumCurrentLimit?.Value, 200);
  assert.equal(a?.kind === "send" && a.deviation, true);
});

test("replay: the earlier request's body under the current SessionID; inject: hide, send, then the request", () => {
  const sd = encodeWire("iso2", bytesOfHex("00"), "ServiceDiscoveryReq", {});
  const [a] = run(
    { kind: "replay", at, message: "ServiceDiscoveryReq" },
    new Map([["ServiceDiscoveryReq", sd]]),
  );
  const w = decodeWire("iso2", sent(a));
  assert.deepEqual(
    [w.name, hexOf(w.sessionId ?? new Uint8Array())],
    ["ServiceDiscoveryReq", "1122334455667788"],
  );
  assert.throws(
    () => run({ kind: "replay", at, message: "PowerDeliveryReq" }),
    /no PowerDeliveryReq was sent/,
  );
  const inj = run({ kind: "inject", at, message: "ServiceDetailReq", body: { ServiceID: 9999 } });
  assert.deepEqual(
    inj.map((x) => x.kind),
    ["hide-response", "send", "after-response"],
  );
  assert.equal(decodeWire("iso2", sent(inj[1])).body.ServiceID, 9999);
  assert.deepEqual(inj[2]?.kind === "after-response" && inj[2].bytes, cpd);
});

test("repeat: the request twice, the SECC's answer to the copy kept from the controller", () => {
  const r = run({ kind: "repeat", at });
  assert.deepEqual(
    r.map((x) => x.kind),
    ["send", "hide-response", "send"],
  );
  assert.deepEqual(sent(r[0]), cpd);
  assert.deepEqual(sent(r[2]), cpd);
});

test("V2GTP headers broken byte by byte: payload type, version, inverse version, length; truncation", () => {
  const pt = sent(run({ kind: "payload-type", at, payloadType: 0x9000 })[0]);
  assert.deepEqual(decodeV2gtpHeader(pt), { payloadType: 0x9000, payloadLength: cpd.length });
  assert.deepEqual(pt.subarray(8), cpd);
  const hv = sent(run({ kind: "header-version", at, version: 0x02, inverse: 0xfd })[0]);
  assert.deepEqual([...hv.subarray(0, 4)], [0x02, 0xfd, 0x80, 0x01]);
  assert.throws(() => decodeV2gtpHeader(hv), /version/);
  const inv = sent(run({ kind: "header-version", at, version: 0x01, inverse: 0xff })[0]);
  assert.throws(() => decodeV2gtpHeader(inv), /inverse/);
  const len = sent(run({ kind: "length", at, length: 0xffffffff })[0]);
  assert.equal(new DataView(len.buffer, len.byteOffset).getUint32(4), 0xffffffff);
  const extra = sent(run({ kind: "length", at, length: { extra: 100 } })[0]);
  assert.equal(new DataView(extra.buffer, extra.byteOffset).getUint32(4), cpd.length + 100);
  const tr = run({ kind: "truncate", at, bytes: 5 });
  assert.deepEqual([...sent(tr[0])], [0x01, 0xfe, 0x80, 0x01, 0x00]);
  assert.equal(tr[1]?.kind, "silent");
});

test("silent holds the request; drop closes the connection instead", () => {
  assert.deepEqual(
    run({ kind: "silent", at }).map((x) => x.kind),
    ["silent"],
  );
  assert.deepEqual(
    run({ kind: "drop", at }).map((x) => x.kind),
    ["close"],
  );
});

test("property: any SessionID (1–8 bytes) goes on the wire as given, the body unchanged (DIN and ISO-2)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constantFrom("din", "iso2"), (id, p) => {
      const protocol = p as "din" | "iso2";
      const bytes = encodeWire(protocol, SID, "CableCheckReq", {
        DC_EVStatus: { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 42 },
      });
      const [a] = deviate(
        { kind: "session-id", at: { message: "CableCheckReq" }, sessionIdHex: hexOf(id) },
        protocol,
        { name: "CableCheckReq", payloadType: 0x8001, bytes, occurrence: 1 },
        new Map(),
      );
      const w = decodeWire(protocol, sent(a));
      assert.equal(hexOf(w.sessionId ?? new Uint8Array()), hexOf(id));
      assert.deepEqual(w.body, decodeWire(protocol, bytes).body);
    }),
    { numRuns: 60 },
  );
});

test("property: any payload length goes into the header as given, the payload after it unchanged", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
      const b = sent(run({ kind: "length", at, length: n })[0]);
      assert.equal(new DataView(b.buffer, b.byteOffset).getUint32(4), n);
      assert.deepEqual(b.subarray(8), cpd);
    }),
    { numRuns: 100 },
  );
});

test("board and pause-resume: the request goes out unchanged, marked; a board action comes first", () => {
  const board = run({ kind: "board", at, action: "s2-open" });
  assert.deepEqual(
    board.map((a) => a.kind),
    ["board", "send"],
  );
  assert.equal(board[0]?.kind === "board" && board[0].action, "s2-open");
  assert.deepEqual(sent(board[1]), cpd);
  assert.equal(board[1]?.kind === "send" && board[1].deviation, true);
  const resumed = run({ kind: "pause-resume", at });
  assert.equal(resumed.length, 1);
  assert.deepEqual(sent(resumed[0]), cpd);
  assert.equal(resumed[0]?.kind === "send" && resumed[0].deviation, true);
});
