import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  DUTY_IEC_MAX_80A_PCT,
  DUTY_IEC_MIN_6A_PCT,
  DUTY_J1772_MAX_80A_PCT,
  DUTY_J1772_MIN_6A_PCT,
  PWM_HIGH_RANGE_MIN_A,
  PWM_LOW_RANGE_MAX_A,
} from "./constants.js";
import { currentToDuty, DUTY_DIGITAL_COMM, type DutyMeaning, dutyToCurrent, offeredCurrent } from "./pwm.js";

const amps = (m: DutyMeaning) => (m.kind === "current" ? m.amps : Number.NaN);

test("worked values of the SAE J1772 / IEC 61851-1 duty formulas", () => {
  const worked: [number, number][] = [
    [6, 10],
    [10, 16.7],
    [16, 26.7],
    [32, 53.3],
    [40, 66.7],
    [48, 80],
    [51, 85],
    [60, 88],
    [80, 96],
  ];
  for (const [a, d] of worked) {
    const got = currentToDuty(a);
    assert.ok(got !== null && Math.abs(got - d) < 0.05, `${a} A → ${got} %, expected ${d} %`);
  }
});

test("out of range → no PWM (null)", () => {
  for (const a of [0, 5.99, 80.01, 100, -6, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(currentToDuty(a), null, `${a} A`);
    assert.equal(offeredCurrent(a), null);
  }
});

const lowRange = fc.double({ min: 6, max: PWM_LOW_RANGE_MAX_A, noNaN: true });
// (a hair above 52.5 A, because 52.500…01 / 2.5 + 64 rounds to exactly 85 % in binary floating point)
const highRange = fc.double({ min: PWM_HIGH_RANGE_MIN_A + 1e-9, max: 80, noNaN: true });
// 52.5 A gives 85 %, which reads back as 51 A (85 % belongs to the low formula), so it is part of the gap
const gap = fc.oneof(
  fc.constant(PWM_HIGH_RANGE_MIN_A),
  fc.double({ min: PWM_LOW_RANGE_MAX_A, max: PWM_HIGH_RANGE_MIN_A, noNaN: true, minExcluded: true }),
);

test("property: dutyToCurrent(currentToDuty(I)) ≈ I on 6–51 A and 52.5 < I ≤ 80 A, both profiles", () => {
  fc.assert(
    fc.property(fc.oneof(lowRange, highRange), fc.constantFrom("j1772" as const, "iec" as const), (a, p) => {
      const d = currentToDuty(a);
      assert.ok(d !== null);
      assert.ok(Math.abs(amps(dutyToCurrent(d, p)) - a) < 1e-9, `${a} A → ${d} %`);
      assert.equal(offeredCurrent(a), a);
    }),
    { numRuns: 300 },
  );
});

test("property: the 51 < I ≤ 52.5 A gap is clamped to 51 A (85 %), as EVerest does", () => {
  fc.assert(
    fc.property(gap, (a) => {
      const d = currentToDuty(a);
      assert.equal(d, currentToDuty(51));
      assert.ok(Math.abs(amps(dutyToCurrent(d as number)) - 51) < 1e-9);
      assert.equal(offeredCurrent(a), 51);
    }),
    { numRuns: 100 },
  );
});

test("property: offered current never exceeds the request and is non-decreasing in duty", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 6, max: 80, noNaN: true }),
      fc.double({ min: 6, max: 80, noNaN: true }),
      (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok((currentToDuty(lo) as number) <= (currentToDuty(hi) as number));
        assert.ok(amps(dutyToCurrent(currentToDuty(lo) as number)) <= lo + 1e-9);
      },
    ),
    { numRuns: 200 },
  );
});

test("EV side: fixed bands 0 %, 100 %, < 3 %, 3–7 % digital, 7–8 % none", () => {
  assert.deepEqual(dutyToCurrent(0), { kind: "f" });
  assert.deepEqual(dutyToCurrent(100), { kind: "x1" });
  assert.equal(dutyToCurrent(2.9).kind, "no-charging");
  for (const d of [3, DUTY_DIGITAL_COMM, 7]) assert.deepEqual(dutyToCurrent(d), { kind: "digital" });
  for (const p of ["j1772", "iec"] as const) assert.equal(dutyToCurrent(7.5, p).kind, "no-charging");
  assert.equal(dutyToCurrent(Number.NaN).kind, "no-charging");
});

test("EV side: disputed edges differ by profile (SAE J1772-2017 vs IEC 61851-1, unconfirmed)", () => {
  // 6 A edge
  assert.equal(dutyToCurrent(DUTY_IEC_MIN_6A_PCT, "iec").kind, "current");
  assert.equal(amps(dutyToCurrent(DUTY_IEC_MIN_6A_PCT, "iec")), 6);
  assert.equal(dutyToCurrent(DUTY_IEC_MIN_6A_PCT, "j1772").kind, "no-charging");
  assert.equal(dutyToCurrent(9, "j1772").kind, "no-charging");
  assert.equal(amps(dutyToCurrent(DUTY_J1772_MIN_6A_PCT, "j1772")), 6);
  // 80 A edge
  assert.equal(amps(dutyToCurrent(96.3, "j1772")), 80);
  assert.equal(amps(dutyToCurrent(DUTY_J1772_MAX_80A_PCT, "j1772")), 80);
  assert.equal(dutyToCurrent(96.8, "j1772").kind, "no-charging");
  assert.equal(amps(dutyToCurrent(96.8, "iec")), 80);
  assert.equal(amps(dutyToCurrent(DUTY_IEC_MAX_80A_PCT, "iec")), 80);
  assert.equal(dutyToCurrent(97.01, "iec").kind, "no-charging");
  assert.equal(dutyToCurrent(99, "iec").kind, "no-charging");
  // default is j1772
  assert.deepEqual(dutyToCurrent(9), dutyToCurrent(9, "j1772"));
});
