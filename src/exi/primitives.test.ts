import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fromHex, loadVectors, sharedSkip, toHex } from "../../tools/codegen/vectors.js";
import { ExiDecodeError } from "./errors.js";
import { BitReader } from "./reader.js";
import { BitWriter } from "./writer.js";

test(
  "primitives.jsonl: every vector decodes and re-encodes byte-exact",
  { skip: sharedSkip("vectors") },
  () => {
    const prims = loadVectors("primitives");
    assert.ok(prims.length >= 20, "expected the primitive vectors");
    for (const v of prims) {
      const r = new BitReader(fromHex(v.hex));
      const w = new BitWriter(4);
      switch (v.datatype) {
        case "unsignedInteger":
          assert.equal(r.uint(), Number(v.value), v.message);
          w.uint(Number(v.value));
          break;
        case "signedInteger":
          assert.equal(r.int(), Number(v.value), v.message);
          w.int(Number(v.value));
          break;
        case "boolean":
          assert.equal(r.bit() === 1, v.value === "true", v.message);
          w.bits(v.value === "true" ? 1 : 0, 1);
          break;
        case "string":
          assert.equal(r.string(1000, 0, "test"), v.value, v.message);
          w.string(v.value, 1000, "s");
          break;
        case "binary": {
          const b = r.binary(1000, "test");
          const body = v.hex.slice(2);
          assert.equal(toHex(b), body, v.message);
          w.binary(b, 1000, "b");
          break;
        }
        default:
          assert.fail(`unknown datatype ${v.datatype}`);
      }
      assert.equal(toHex(w.finish()), v.hex, `${v.message} re-encodes`);
    }
  },
);

test("n-bit values round-trip at every bit offset", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 32 }), fc.nat()), { maxLength: 40 }), (items) => {
      const w = new BitWriter(1);
      const vals = items.map(([n, x]) => [n, n === 32 ? x : x % 2 ** n] as const);
      for (const [n, x] of vals) w.bits(x, n);
      const r = new BitReader(w.finish());
      for (const [n, x] of vals) assert.equal(r.bits(n), x);
    }),
    { numRuns: 200 },
  );
});

test("integers, strings and binaries round-trip unaligned", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 7 }),
      fc.maxSafeInteger(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.string({ unit: "grapheme", maxLength: 20 }),
      fc.uint8Array({ maxLength: 20 }),
      (pad, n, big, s, bin) => {
        const w = new BitWriter(2);
        w.bits(0, pad);
        w.int(n);
        w.intBig(big);
        w.string(s, 100, "s");
        w.binary(bin, 100, "b");
        const r = new BitReader(w.finish());
        r.bits(pad);
        assert.equal(r.int(), n);
        assert.equal(r.intBig(), big);
        assert.equal(r.string(100, 1, "t"), s);
        assert.deepEqual(r.binary(100, "t"), bin);
      },
    ),
    { numRuns: 200 },
  );
});

test("string-table hits from EXIficient-style peers are resolved (local and global)", () => {
  const w = new BitWriter();
  w.string("abc", 10, "s"); // literal, qid 1
  w.string("xyz", 10, "s"); // literal, qid 2
  w.uint(0); // local hit on qid 1: table of 1 → 0 bits
  w.uint(1); // global hit: table of 2 → 1 bit
  w.bits(1, 1);
  const r = new BitReader(w.finish());
  assert.equal(r.string(10, 1, "t"), "abc");
  assert.equal(r.string(10, 2, "t"), "xyz");
  assert.equal(r.string(10, 1, "t"), "abc");
  assert.equal(r.string(10, 3, "t"), "xyz");
});

test("truncated input and over-long values raise ExiDecodeError with the bit offset", () => {
  assert.throws(
    () => new BitReader(fromHex("80")).uint(),
    (e) => e instanceof ExiDecodeError && e.bitOffset === 8,
  );
  assert.throws(() => new BitReader(fromHex("0561")).string(10, 0, "t"), ExiDecodeError);
  const strict = new BitReader(fromHex("0a00"));
  strict.strict = true;
  assert.throws(() => strict.binary(4, "t"), /exceeds maxLength 4/);
  assert.throws(
    () => new BitReader(fromHex("ffffffffffffffffff01")).uint(),
    (e) => e instanceof ExiDecodeError && e.code === "EXI_LIMIT",
  );
});

test("CH bit + Integer in one read (chIntIn): values, range and a set CH bit, with bit offsets", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (pad, v) => {
      const w = new BitWriter(2);
      w.bits(0, pad);
      w.bits(0, 1); // CH
      w.int(v);
      w.bits(0, 1); // EE
      const r = new BitReader(w.finish());
      r.bits(pad);
      assert.equal(r.chIntIn(-(2 ** 40), 2 ** 40, "t"), v);
      assert.equal(r.bits(1), 0);
      const r2 = new BitReader(w.finish());
      r2.strict = true;
      r2.bits(pad);
      assert.throws(
        () => r2.chIntIn(v + 1, v + 2, "t"),
        (e) => e instanceof ExiDecodeError && e.code === "EXI_VALUE" && e.bitOffset === pad + 1,
      );
    }),
    { numRuns: 100 },
  );
  const w = new BitWriter();
  w.bits(0, 3);
  w.bits(1, 1); // CH bit set: not a declared production
  w.int(5);
  const r = new BitReader(w.finish());
  r.bits(3);
  assert.throws(
    () => r.chIntIn(0, 10, "t"),
    (e) => e instanceof ExiDecodeError && e.code === "EXI_EVENT" && e.bitOffset === 3,
  );
});

test("merged reads: badBits, enumErr and rangeErr report the offending bit offset", () => {
  const r = new BitReader(Uint8Array.from([0b0010_0100, 0]));
  r.strict = true;
  const x = r.bits(6); // 001001
  assert.throws(
    () => r.badBits(x, 0b101000, 6, "t"), // CH at offset 0 (clear), EE at offset 2 (set)
    (e) => e instanceof ExiDecodeError && e.code === "EXI_EVENT" && e.bitOffset === 2,
  );
  assert.throws(
    () => r.enumErr(7, 7, "t", 1),
    (e) => e instanceof ExiDecodeError && e.code === "EXI_VALUE" && e.bitOffset === 1,
  );
  assert.throws(
    () => r.rangeErr(9, 3, "t", 4),
    (e) =>
      e instanceof ExiDecodeError && e.code === "EXI_VALUE" && /above the schema maximum 3/.test(e.message),
  );
});

test("writer: reused across streams without clearing, results never alias the buffer", () => {
  const w = new BitWriter(8);
  w.reset();
  w.bits(0xffffff, 24);
  w.bits(0xffffff, 24);
  const a = w.finish();
  w.reset();
  w.bits(1, 3); // 001 then padding: stale ones must not leak
  const b = w.finish();
  assert.deepEqual([...b], [0b0010_0000]);
  assert.deepEqual([...a], [255, 255, 255, 255, 255, 255]);
  w.reset();
  w.bits(0, 5);
  w.string("héllo wörld", 100, "s"); // non-ASCII path
  w.binary(Uint8Array.from([1, 2, 3, 250]), 10, "b"); // unaligned bytes
  const r = new BitReader(w.finish());
  r.bits(5);
  assert.equal(r.string(100, 0, "t"), "héllo wörld");
  assert.deepEqual([...r.binary(10, "t")], [1, 2, 3, 250]);
});

test("tolerant reader: facet violations are kept and their bit offsets recorded; strict throws; hard limits throw", () => {
  const w = new BitWriter();
  w.bits(0, 3);
  w.bits(6, 3); // ranged(3, -3, 3): value 3
  w.bits(7, 3); // ranged(3, -3, 3): value 4 > 3
  w.bits(12, 4); // enumeration index 12 of 10 values (4-bit code)
  w.uint(20 + 2); // string of 20 characters, maxLength 15
  for (let k = 0; k < 20; k++) w.bits(0x41, 8);
  w.uint(9); // binary of 9 bytes, maxLength 8
  for (let k = 0; k < 9; k++) w.bits(k, 8);
  w.int(40000); // short range
  const bytes = w.finish();
  const r = new BitReader(bytes);
  r.bits(3);
  assert.equal(r.ranged(3, -3, 3, "t"), 3);
  assert.equal(r.ranged(3, -3, 3, "t"), 4);
  assert.equal(r.enumValue(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], 4, "t"), 12);
  assert.equal(r.string(15, 0, "t"), "A".repeat(20));
  assert.deepEqual(r.binary(8, "t"), Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]));
  assert.equal(r.intIn(-32768, 32767, "t"), 40000);
  assert.deepEqual(r.facets, [6, 9, 13, 13 + 8 + 160, 13 + 8 + 160 + 8 + 72]);
  const s = new BitReader(bytes, 6);
  s.strict = true;
  assert.throws(
    () => s.ranged(3, -3, 3, "t"),
    (e) => e instanceof ExiDecodeError && e.code === "EXI_VALUE" && e.bitOffset === 6,
  );
  // over the hard limit (limits.ts) even a tolerant reader throws
  const big = new BitWriter();
  big.uint(70000 + 2);
  assert.throws(
    () => new BitReader(big.finish()).string(15, 0, "t"),
    (e) => e instanceof ExiDecodeError && e.code === "EXI_LIMIT",
  );
  // reset clears the recorded violations and sets the mode
  assert.equal(r.reset(bytes, 0, true).facets.length, 0);
  assert.equal(r.strict, true);
});
