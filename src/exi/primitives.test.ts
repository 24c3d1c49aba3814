import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fromHex, loadVectors, toHex } from "../../tools/codegen/vectors.js";
import { ExiDecodeError } from "./errors.js";
import { BitReader } from "./reader.js";
import { BitWriter } from "./writer.js";

const prims = loadVectors("primitives");

test("primitives.jsonl: every vector decodes and re-encodes byte-exact", () => {
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
});

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
  assert.throws(() => new BitReader(fromHex("0a00")).binary(4, "t"), /exceeds maxLength 4/);
  assert.throws(
    () => new BitReader(fromHex("ffffffffffffffffff01")).uint(),
    (e) => e instanceof ExiDecodeError && e.code === "EXI_LIMIT",
  );
});
