/** RationalNumber / PhysicalValue encoding: exact when possible, else the closest value that fits xs:short. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { numberToRational, rationalToNumber } from "./values.js";

test("numberToRational: a value that is not exact in xs:short is rounded, never flushed to 0 × 10^14", () => {
  assert.deepEqual(numberToRational(29999.4), { Exponent: 0, Value: 29999 });
  assert.deepEqual(numberToRational(1_000_000.3), { Exponent: 2, Value: 10000 });
  assert.equal(rationalToNumber(numberToRational(0)), 0);
});

test("numberToRational: within 1e-4 relative of any number in ±3e9 (property)", () => {
  fc.assert(
    fc.property(fc.double({ min: -3e9, max: 3e9, noNaN: true }), (x) => {
      const back = rationalToNumber(numberToRational(x));
      return Math.abs(back - x) <= Math.max(1e-6, 1e-4 * Math.abs(x));
    }),
  );
});
