import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { hiddenClassChurn } from "../testing/hidden-class.js";
import { type CpLevelClass, classifyCpVoltage, evaluateCpSample } from "./classify.js";

// First in this file, before other tests make evaluateCpSample's sites megamorphic (testing/hidden-class.ts).
test("evaluateCpSample: every reading has one hidden class (a 5 % PWM sample of state C, as on a charging cable)", () => {
  const sample = (i: number) => ({ high: 6 + (i % 3) * 0.01, low: -12, duty: 5, tMs: i });
  assert.equal(
    hiddenClassChurn((i) => evaluateCpSample(sample(i), "C", "F")),
    null,
  );
});

const ALL: CpLevelClass[] = ["A", "B", "C", "D", "E", "F", "pilot-fault"];

// IEC 61851-1 Table A.4 with chargebyte CPUtils hysteresis: [voltage, previous, expected]
const CASES: [number, CpLevelClass, CpLevelClass][] = [
  [13.01, "A", "pilot-fault"],
  [13, "B", "A"],
  [11, "B", "A"],
  [10.99, "A", "A"],
  [10.99, "B", "B"],
  [10, "C", "B"],
  [9.99, "A", "B"],
  [8, "C", "B"],
  [7.99, "A", "B"],
  [7.99, "B", "B"],
  [7.99, "C", "C"],
  [7, "D", "C"],
  [6.99, "A", "C"],
  [5, "D", "C"],
  [4.99, "C", "C"],
  [4.99, "B", "C"],
  [4.99, "D", "D"],
  [4, "E", "D"],
  [3.99, "A", "D"],
  [2, "A", "D"],
  [1.99, "D", "E"],
  [-1, "F", "E"],
  [-1.01, "E", "E"],
  [-1.01, "A", "E"],
  [-2, "D", "E"],
  [-1.5, "F", "pilot-fault"],
  [-2.01, "E", "pilot-fault"],
  [-10, "F", "pilot-fault"],
  [-10.01, "F", "F"],
  [-10.01, "E", "pilot-fault"],
  [-11, "F", "F"],
  [-11, "A", "pilot-fault"],
  [-11.01, "A", "F"],
  [-13, "B", "F"],
  [-13.01, "F", "pilot-fault"],
  [Number.NaN, "A", "pilot-fault"],
];

test("IEC 61851-1 Table A.4 bands and hysteresis at every edge", () => {
  for (const [v, prev, want] of CASES) assert.equal(classifyCpVoltage(v, prev), want, `${v} V after ${prev}`);
});

test("property: outside the hysteresis bands the class does not depend on the previous class", () => {
  const hyst = (v: number) =>
    (v >= 10 && v < 11) ||
    (v >= 7 && v < 8) ||
    (v >= 4 && v < 5) ||
    (v >= -2 && v < -1) ||
    (v >= -11 && v < -10);
  fc.assert(
    fc.property(fc.double({ min: -20, max: 20, noNaN: true }), (v) => {
      fc.pre(!hyst(v));
      const classes = new Set(ALL.map((p) => classifyCpVoltage(v, p)));
      assert.equal(classes.size, 1, `${v} V`);
    }),
    { numRuns: 300 },
  );
});

test("chargebyte CPUtils checks: diode fault needs an EV present, CP short needs a low high plateau", () => {
  const ev = (high: number, low: number, duty: number) =>
    evaluateCpSample({ tMs: 0, high, low, duty }, "A", "F");
  assert.equal(ev(8.9, -8.9, 50).fault, "diode-fault");
  assert.equal(ev(8.9, -8.9, 50).state, "B");
  assert.equal(ev(12, -12, 50).fault, null, "empty socket under PWM is A, not a diode fault");
  assert.equal(ev(12, -12, 50).state, "A");
  assert.equal(ev(0.5, -0.5, 50).fault, "cp-short");
  assert.equal(ev(0.5, -0.5, 50).state, "E");
  assert.equal(ev(1, 1, 100).fault, "cp-short");
  assert.equal(ev(-9, -9, 0).fault, "cp-short");
  assert.equal(ev(-12, -12, 0).state, "F");
  assert.equal(ev(9, -12, 50).diodeProven, true);
  assert.equal(ev(9, 9, 100).diodeProven, false);
  assert.equal(ev(9, -12, Number.NaN).fault, "pilot-fault");
});
