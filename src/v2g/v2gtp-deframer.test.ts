import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { encodeV2gtpMessage, V2gtpError, V2gtpPayloadType } from "./v2gtp.js";
import { createV2gtpDeframer } from "./v2gtp-deframer.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const pts = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...pts, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const arbMsg = fc.record({
  payloadType: fc.constantFrom(...new Set(Object.values(V2gtpPayloadType))),
  payload: fc.uint8Array({ maxLength: 200 }),
});

test("deframer: any split of any message sequence yields the same messages (property)", () => {
  fc.assert(
    fc.property(fc.array(arbMsg, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (msgs, cuts) => {
      const stream = concat(msgs.map((m) => encodeV2gtpMessage(m.payloadType, m.payload)));
      const d = createV2gtpDeframer();
      const got = splitAt(stream, cuts).flatMap((c) => d.push(c));
      assert.equal(d.error, undefined);
      assert.equal(d.buffered, 0);
      assert.deepEqual(
        got.map((m) => [m.payloadType, hex(m.payload)]),
        msgs.map((m) => [m.payloadType, hex(m.payload)]),
      );
    }),
    { numRuns: 400 },
  );
});

test("deframer: one message over single-byte chunks, several messages in one chunk", () => {
  const a = encodeV2gtpMessage(0x8001, unhex("80000000"));
  const b = encodeV2gtpMessage(0x8002, unhex(""));
  const d = createV2gtpDeframer();
  for (const byte of a.subarray(0, a.length - 1)) assert.deepEqual(d.push(Uint8Array.of(byte)), []);
  assert.equal(d.buffered, a.length - 1);
  const last = d.push(a.subarray(a.length - 1));
  assert.equal(hex(last[0]!.payload), "80000000");
  const chunk = concat([a, b, a]);
  const many = d.push(chunk);
  assert.deepEqual(
    many.map((m) => m.payloadType),
    [0x8001, 0x8002, 0x8001],
  );
  assert.equal(many[0]!.payload.buffer, chunk.buffer, "a payload inside one chunk is a view, not a copy");
});

test("deframer: bad header → messages before it returned, error set, deframer dead", () => {
  const good = encodeV2gtpMessage(0x8001, unhex("aa"));
  const d = createV2gtpDeframer();
  const out = d.push(concat([good, unhex("16030100a5")])); // a TLS record where V2GTP was expected
  assert.equal(out.length, 1);
  assert.ok(d.error instanceof V2gtpError);
  assert.equal(d.error.code, "bad-version");
  assert.throws(
    () => d.push(good),
    (e: unknown) => e === d.error,
  );
});

test("deframer: length over maxPayload is 'too-long' before any payload is buffered", () => {
  const d = createV2gtpDeframer({ maxPayload: 100 });
  assert.deepEqual(d.push(unhex("01fe8001000000")), []);
  assert.deepEqual(d.push(unhex("65")), []);
  assert.equal(d.error?.code, "too-long");
  const d2 = createV2gtpDeframer();
  d2.push(unhex("01fe80010001000100"));
  assert.equal(d2.error?.code, "too-long", "default maxPayload is 64 KiB");
  assert.throws(
    () => createV2gtpDeframer({ maxPayload: 1.5 }),
    (e: unknown) => e instanceof V2gtpError,
  );
});

test("deframer: random streams never throw from push; errors are V2gtpError (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 30 }), { maxLength: 6 }), (chunks) => {
      const d = createV2gtpDeframer({ maxPayload: 64 });
      for (const c of chunks) {
        if (d.error) break;
        d.push(c);
      }
      if (d.error) assert.ok(d.error instanceof V2gtpError);
    }),
    { numRuns: 300 },
  );
});
