/**
 * Property tests of the EXI codecs: random and mutated bytes either decode or raise ExiDecodeError in
 * bounded time; every message obtained that way (a valid message of the schema, since the decoder accepts
 * only the grammar) satisfies decode(encode(m)) deep-equals m.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fromHex, loadVectors, sharedSkip } from "../../tools/codegen/vectors.js";
import { ExiDecodeError, ExiEncodeError } from "../exi/errors.js";
import { CODECS } from "./testing.js";

const skip = sharedSkip("vectors");
const seeds = skip
  ? []
  : ["din", "iso2", "apphand"].flatMap((f) =>
      loadVectors(f)
        .filter((_, i) => i % 7 === 0)
        .map((v) => ({ set: v.standard, bytes: fromHex(v.hex) })),
    );

function check(set: string, bytes: Uint8Array): "ok" | "rejected" {
  const c = CODECS[set]!;
  const t0 = performance.now();
  let doc: Record<string, unknown>;
  try {
    doc = c.decodeDocument(bytes);
  } catch (e) {
    assert.ok(e instanceof ExiDecodeError, `untyped error: ${(e as Error).stack}`);
    assert.ok(performance.now() - t0 < 200, "decode must fail fast");
    return "rejected";
  }
  let again: Uint8Array;
  try {
    again = c.encodeDocument(doc as never, { lenientLengths: true });
  } catch (e) {
    // a decoded value may exceed a facet the decoder tolerates (strings up to 64 chars)
    assert.ok(e instanceof ExiEncodeError, `untyped error: ${(e as Error).stack}`);
    return "ok";
  }
  assert.deepEqual(c.decodeDocument(again), doc);
  return "ok";
}

test("mutated vectors: decode or ExiDecodeError; decoded messages round-trip", { skip }, () => {
  let ok = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }),
      ({ set, bytes }, flips) => {
        const b = bytes.slice();
        for (const [i, bit] of flips) {
          const k = 1 + (i % (b.length - 1)); // keep the 0x80 header
          b[k]! ^= 1 << bit;
        }
        if (check(set, b) === "ok") ok++;
      },
    ),
    { numRuns: 400 },
  );
  assert.ok(ok > 20, `expected some mutated messages to decode (got ${ok})`);
});

test("random bytes after the header: decode or ExiDecodeError, never a hang", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("din", "iso2", "apphand", "CommonMessages", "DC"),
      fc.uint8Array({ maxLength: 200 }),
      (set, tail) => {
        check(set, Uint8Array.from([0x80, ...tail]));
      },
    ),
    { numRuns: 300 },
  );
});

test("truncations of every seed raise ExiDecodeError", { skip }, () => {
  for (const { set, bytes } of seeds.slice(0, 40))
    for (let n = 1; n < bytes.length - 1; n += 3)
      assert.throws(() => CODECS[set]!.decodeDocument(bytes.subarray(0, n)), ExiDecodeError);
});
