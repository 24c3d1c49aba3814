import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  decodeV2gtpHeader,
  decodeV2gtpMessage,
  encodeV2gtpHeader,
  encodeV2gtpMessage,
  isKnownPayloadType,
  V2GTP_DEFAULT_MAX_PAYLOAD,
  V2gtpError,
  V2gtpPayloadType,
} from "./v2gtp.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const code = (c: string) => (e: unknown) => e instanceof V2gtpError && e.code === c;
const knownTypes = [...new Set(Object.values(V2gtpPayloadType))];

test("v2gtp: header bytes 01 FE, big-endian type and length (ISO 15118-2 §7.8.3)", () => {
  assert.equal(hex(encodeV2gtpHeader(0x8001, 0x0102)), "01fe800100000102");
  assert.deepEqual(decodeV2gtpHeader(unhex("01fe900000000002")), { payloadType: 0x9000, payloadLength: 2 });
  assert.equal(V2GTP_DEFAULT_MAX_PAYLOAD, 65536);
});

test("v2gtp: every listed payload type incl. ISO-20 ones and 0xA000-0xFFFF is known; others are not", () => {
  for (const t of [0x8001, 0x8002, 0x8003, 0x8004, 0x8005, 0x8006, 0x8101, 0x8102, 0x8103, 0x8104]) {
    assert.ok(isKnownPayloadType(t), t.toString(16));
  }
  for (const t of [0x9000, 0x9001, 0x9002, 0x9003, 0xa000, 0xffff]) assert.ok(isKnownPayloadType(t));
  for (const t of [0x0000, 0x8000, 0x8007, 0x8100, 0x8105, 0x9004, 0x9fff]) assert.ok(!isKnownPayloadType(t));
});

test("v2gtp: bad headers are named errors", () => {
  assert.throws(() => decodeV2gtpHeader(unhex("02fd800100000000")), code("bad-version"));
  assert.throws(() => decodeV2gtpHeader(unhex("01ff800100000000")), code("bad-inverse-version"));
  assert.throws(() => decodeV2gtpHeader(unhex("01fe123400000000")), code("unknown-payload-type"));
  assert.deepEqual(decodeV2gtpHeader(unhex("01fe123400000000"), 0, { allowUnknownPayloadTypes: true }), {
    payloadType: 0x1234,
    payloadLength: 0,
  });
  assert.throws(() => decodeV2gtpHeader(unhex("01fe800100010001")), code("too-long"));
  assert.throws(() => decodeV2gtpHeader(unhex("01fe800100000011"), 0, { maxPayload: 16 }), /≤ 16/);
  assert.throws(() => decodeV2gtpHeader(unhex("01fe8001")), code("truncated"));
  assert.throws(() => decodeV2gtpMessage(unhex("01fe80010000000300")), code("length-mismatch"));
  assert.throws(
    () => decodeV2gtpHeader(unhex("01fe800100000000"), 0, { maxPayload: -1 }),
    code("bad-option"),
  );
  assert.throws(() => encodeV2gtpHeader(0x10000, 0), code("bad-field"));
  assert.throws(() => encodeV2gtpHeader(0x8001, -1), code("bad-field"));
});

test("v2gtp: message encode → decode round-trips (property)", () => {
  fc.assert(
    fc.property(fc.constantFrom(...knownTypes), fc.uint8Array({ maxLength: 300 }), (t, p) => {
      const m = decodeV2gtpMessage(encodeV2gtpMessage(t, p));
      assert.equal(m.payloadType, t);
      assert.equal(hex(m.payload), hex(p));
    }),
    { numRuns: 300 },
  );
});

test("v2gtp: random bytes decode or throw V2gtpError, never anything else (property)", () => {
  const nearlyValid = fc
    .tuple(
      fc.constantFrom(0x01, 0x02),
      fc.constantFrom(0xfe, 0xfd),
      fc.integer({ min: 0, max: 0xffff }),
      fc.uint8Array({ maxLength: 40 }),
    )
    .map(([v, iv, t, rest]) => {
      const b = new Uint8Array(8 + rest.length);
      b[0] = v;
      b[1] = iv;
      new DataView(b.buffer).setUint16(2, t);
      new DataView(b.buffer).setUint32(4, rest.length);
      b.set(rest, 8);
      return b;
    });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), nearlyValid), (b) => {
      try {
        const m = decodeV2gtpMessage(b);
        assert.equal(hex(encodeV2gtpMessage(m.payloadType, m.payload)), hex(b));
      } catch (e) {
        assert.ok(e instanceof V2gtpError, `unexpected ${String(e)}`);
      }
    }),
    { numRuns: 500 },
  );
});
