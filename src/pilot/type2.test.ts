import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  T2_ERROR_ABOVE_OHM,
  T2_ERROR_BELOW_OHM,
  T2_R_13A_OHM,
  T2_R_20A_OHM,
  T2_R_32A_OHM,
  T2_R_63A_OHM,
} from "./pp-constants.js";
import { classifyType2Pp, TYPE2_PP_BANDS } from "./type2.js";

test("nominal IEC 62196 Type 2 coding resistors classify to their ampacity", () => {
  assert.equal(classifyType2Pp(T2_R_13A_OHM), 13);
  assert.equal(classifyType2Pp(T2_R_20A_OHM), 20);
  assert.equal(classifyType2Pp(T2_R_32A_OHM), 32);
  assert.equal(classifyType2Pp(T2_R_63A_OHM), 63);
});

test("band edges are inside their band; error limits give null", () => {
  for (const b of TYPE2_PP_BANDS) {
    assert.equal(classifyType2Pp(b.min), b.amps, `${b.min} Ω`);
    assert.equal(classifyType2Pp(b.max), b.amps, `${b.max} Ω`);
  }
  assert.equal(classifyType2Pp(T2_ERROR_BELOW_OHM - 0.1), null);
  assert.equal(classifyType2Pp(T2_ERROR_ABOVE_OHM + 0.1), null);
  assert.equal(classifyType2Pp(0), null);
  assert.equal(classifyType2Pp(Number.NaN), null);
  assert.equal(classifyType2Pp(Number.POSITIVE_INFINITY), null);
});

test("values between bands take the lower ampacity", () => {
  assert.equal(classifyType2Pp(1000), 13); // between 20 A (≤ 936) and 13 A (≥ 1100)
  assert.equal(classifyType2Pp(350), 20); // between 32 A and 20 A
  assert.equal(classifyType2Pp(150), 32); // between 63 A and 32 A
  assert.equal(classifyType2Pp(3000), 13); // above the 13 A band, below the error limit
  assert.equal(classifyType2Pp(70), 63); // below the 63 A band, above the error limit
});

test("property: a higher resistance never codes a higher ampacity", () => {
  const r = fc.double({ min: T2_ERROR_BELOW_OHM, max: T2_ERROR_ABOVE_OHM, noNaN: true });
  fc.assert(
    fc.property(r, r, (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const cl = classifyType2Pp(lo);
      const ch = classifyType2Pp(hi);
      assert.ok(cl !== null && ch !== null && ch <= cl, `${lo} Ω → ${cl}, ${hi} Ω → ${ch}`);
    }),
    { numRuns: 200 },
  );
});
