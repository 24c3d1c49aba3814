/** Scaled-number helpers: a RationalNumber (ISO 15118-20) stands for the number it was made from. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { numberToRational, rationalToNumber } from "./values.js";

test("numberToRational: -37499 Wh is not rounded to 0 × 10^14 (an exact-looking fit of a vanishing value)", () => {
  const r = numberToRational(-37499);
  assert.ok(Math.abs(rationalToNumber(r) + 37499) <= 5, JSON.stringify(r));
  assert.deepEqual(numberToRational(37499), { Exponent: 1, Value: 3750 });
});

test("numberToRational: within half a unit of its exponent of the number (fast-check)", () => {
  fc.assert(
    fc.property(fc.double({ min: -3e8, max: 3e8, noNaN: true }), (x) => {
      const r = numberToRational(x);
      const back = rationalToNumber(r);
      const unit = 10 ** r.Exponent;
      assert.ok(Math.abs(back - x) <= unit / 2 + 1e-9 * Math.abs(x), `${x} → ${JSON.stringify(r)} = ${back}`);
      // the coarsest exponent that still fits a short: never a zero Value for a number of at least 1
      if (Math.abs(x) >= 1) assert.notEqual(r.Value, 0, `${x} → ${JSON.stringify(r)}`);
    }),
    { numRuns: 2000 },
  );
});

test("numberToRational: a value that is not exact in xs:short is rounded, never flushed to 0 × 10^14", () => {
  assert.deepEqual(numberToRational(29999.4), { Exponent: 0, Value: 29999 });
  assert.deepEqual(numberToRational(1_000_000.3), { Exponent: 2, Value: 10000 });
  assert.equal(rationalToNumber(numberToRational(0)), 0);
});

/**
 * Largest relative rounding error of a RationalNumber: an xs:short Value keeps at least 3277 units once the
 * exponent is as small as the range allows, so half a unit is at most 0.5 / 3276.7 ≈ 1.53e-4 of the value
 * (35.4935… → 3549 × 10⁻² is 9.9e-5 off; 32.7749 → 3277 × 10⁻² would be 1.5e-4).
 */
const RATIONAL_MAX_RELATIVE_ERROR = 0.5 / 3276.7;

test("numberToRational: within half a unit of a short Value (relative 1.53e-4) of any number in ±3e9 (property)", () => {
  fc.assert(
    fc.property(fc.double({ min: -3e9, max: 3e9, noNaN: true }), (x) => {
      const back = rationalToNumber(numberToRational(x));
      return Math.abs(back - x) <= Math.max(1e-6, RATIONAL_MAX_RELATIVE_ERROR * Math.abs(x) * (1 + 1e-9));
    }),
    { numRuns: 20_000 },
  );
  // the counterexample that showed the former 1e-4 bound too tight
  const x = 35.493549354935496;
  assert.ok(Math.abs(rationalToNumber(numberToRational(x)) - x) > 1e-4 * x);
});
