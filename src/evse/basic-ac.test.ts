import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type CpState,
  currentToDuty,
  DUTY_DIGITAL_COMM,
  T_POWER_OFF_UNDER_LOAD_MS,
  T_PWM_MIN_UPDATE_INTERVAL_MS,
} from "../pilot/index.js";
import {
  type EvseAcEffect,
  type EvseAcEvent,
  type EvseAcState,
  evseAcConfig,
  initialEvseAc,
  stepEvseAc,
} from "./basic-ac.js";

/** Feed events in order; return the final state and all effects with the time of the event causing them. */
function run(s0: EvseAcState, events: EvseAcEvent[]): [EvseAcState, { tMs: number; fx: EvseAcEffect }[]] {
  let s = s0;
  const out: { tMs: number; fx: EvseAcEffect }[] = [];
  for (const e of events) {
    const [n, fx] = stepEvseAc(s, e);
    s = n;
    for (const f of fx) out.push({ tMs: e.tMs, fx: f });
  }
  return [s, out];
}

const cp = (state: CpState, tMs: number): EvseAcEvent => ({ kind: "cp", state, tMs });
const diode = (tMs: number): EvseAcEvent => ({ kind: "diode", verified: true, tMs });
const charging = (cfg = evseAcConfig()) => run(initialEvseAc(cfg), [cp("B", 100), diode(110), cp("C", 1000)]);

test("A→B offers PWM for the configured current; B→C closes the contactor", () => {
  const [s1, fx1] = run(initialEvseAc(evseAcConfig({ maxCurrentA: 40 })), [cp("B", 100)]);
  assert.deepEqual(
    fx1.filter((e) => e.fx.kind === "set-duty").map((e) => e.fx),
    [{ kind: "set-duty", duty: currentToDuty(40) }],
  );
  assert.equal(s1.contactorClosed, false);
  const [s2, fx2] = run(s1, [diode(110), cp("C", 1000)]);
  assert.ok(s2.contactorClosed);
  assert.deepEqual(
    fx2.filter((e) => e.fx.kind === "contactor"),
    [{ tMs: 1000, fx: { kind: "contactor", closed: true } }],
  );
});

test("digital communication configured: 5 % and no power until HLC allows it", () => {
  const [s, fx] = charging(evseAcConfig({ digitalComm: true }));
  assert.deepEqual(fx.find((e) => e.fx.kind === "set-duty")?.fx, {
    kind: "set-duty",
    duty: DUTY_DIGITAL_COMM,
  });
  assert.equal(s.contactorClosed, false);
  const [s2] = run(s, [{ kind: "hlc-power", allowed: true, tMs: 2000 }]);
  assert.ok(s2.contactorClosed);
});

test("no contactor closing before the EV diode is proven", () => {
  const [s] = run(initialEvseAc(evseAcConfig()), [cp("B", 100), cp("C", 1000)]);
  assert.equal(s.contactorClosed, false);
  const [s2] = run(s, [diode(1010)]);
  assert.equal(s2.contactorClosed, true);
});

for (const next of ["B", "A", "E", "F"] as const) {
  test(`C→${next} opens the contactor in the same step`, () => {
    const [s] = charging();
    const [s2, fx] = run(s, [cp(next, 5000)]);
    assert.equal(s2.contactorClosed, false);
    assert.deepEqual(
      fx.filter((e) => e.fx.kind === "contactor"),
      [{ tMs: 5000, fx: { kind: "contactor", closed: false } }],
    );
  });
}

test("D: power only with ventilation", () => {
  const noVent = run(initialEvseAc(evseAcConfig()), [cp("B", 0), diode(10), cp("D", 100)])[0];
  assert.equal(noVent.contactorClosed, false);
  const vent = run(initialEvseAc(evseAcConfig({ ventilationAvailable: true })), [
    cp("B", 0),
    diode(10),
    cp("D", 100),
  ])[0];
  assert.equal(vent.contactorClosed, true);
  const [cToD] = run(charging()[0], [cp("D", 5000)]);
  assert.equal(cToD.contactorClosed, false, "C→D without ventilation: power off");
});

test("cp faults and EVSE faults: power off and F (0 %)", () => {
  for (const e of [
    { kind: "cp-fault", fault: "diode-fault", tMs: 5000 },
    { kind: "fault", reason: "RCD", tMs: 5000 },
  ] as EvseAcEvent[]) {
    const [s, fx] = run(charging()[0], [e]);
    assert.equal(s.contactorClosed, false);
    assert.equal(s.duty, 0);
    assert.ok(fx.some((x) => x.fx.kind === "set-duty" && x.fx.duty === 0));
  }
  const [short] = run(charging()[0], [{ kind: "cp-fault", fault: "cp-short", tMs: 5000 }]);
  assert.equal(short.contactorClosed, false);
  assert.equal(short.cp, "E");
});

test("stop-pwm under load: X1 at once, power off exactly 6 s later if the EV stays in C", () => {
  const [s0] = charging();
  const [s1, fx1] = run(s0, [{ kind: "stop-pwm", tMs: 10_000 }]);
  assert.equal(s1.duty, 100);
  assert.ok(s1.contactorClosed);
  const deadline = 10_000 + T_POWER_OFF_UNDER_LOAD_MS;
  assert.ok(fx1.some((e) => e.fx.kind === "set-timer" && e.fx.atMs === deadline));
  assert.ok(
    run(s1, [{ kind: "timer", id: "deadline", tMs: deadline - 1 }])[0].contactorClosed,
    "still closed 1 ms before",
  );
  assert.equal(run(s1, [{ kind: "timer", id: "deadline", tMs: deadline }])[0].contactorClosed, false);
  assert.equal(run(s1, [cp("B", 10_500)])[0].contactorClosed, false, "C→B opens at once");
});

test("PWM changes are rate limited; the latest request wins", () => {
  const [s0] = charging(); // PWM started at 100 ms
  const t1 = 100 + T_PWM_MIN_UPDATE_INTERVAL_MS + 1000;
  const [s1, fx1] = run(s0, [
    { kind: "set-current", amps: 16, tMs: t1 },
    { kind: "set-current", amps: 20, tMs: t1 + 1000 },
    { kind: "set-current", amps: 10, tMs: t1 + 2000 },
  ]);
  const duties = fx1.filter((e) => e.fx.kind === "set-duty");
  assert.deepEqual(duties, [{ tMs: t1, fx: { kind: "set-duty", duty: currentToDuty(16) } }]);
  const at = t1 + T_PWM_MIN_UPDATE_INTERVAL_MS;
  assert.ok(fx1.some((e) => e.fx.kind === "set-timer" && e.fx.atMs === at));
  assert.equal(run(s1, [{ kind: "timer", id: "deadline", tMs: at - 1 }])[1].length, 0);
  const [s2, fx2] = run(s1, [{ kind: "timer", id: "deadline", tMs: at }]);
  assert.deepEqual(fx2, [{ tMs: at, fx: { kind: "set-duty", duty: currentToDuty(10) } }]);
  assert.equal(s2.duty, currentToDuty(10));
});

test("an out-of-range current offers no PWM (X1) and no power", () => {
  const [s] = run(initialEvseAc(evseAcConfig({ maxCurrentA: 90 })), [cp("B", 0), diode(10), cp("C", 100)]);
  assert.equal(s.duty, 100);
  assert.equal(s.contactorClosed, false);
});

const anyEvent: fc.Arbitrary<EvseAcEvent> = fc.oneof(
  fc.record({
    kind: fc.constant("cp" as const),
    state: fc.constantFrom<CpState>("A", "B", "C", "D", "E", "F"),
  }),
  fc.record({ kind: fc.constant("diode" as const), verified: fc.boolean() }),
  fc.record({
    kind: fc.constant("cp-fault" as const),
    fault: fc.constantFrom("diode-fault" as const, "cp-short" as const, "pilot-fault" as const),
  }),
  fc.record({ kind: fc.constant("set-current" as const), amps: fc.integer({ min: 0, max: 90 }) }),
  fc.constantFrom(
    { kind: "stop-pwm" as const },
    { kind: "resume-pwm" as const },
    { kind: "timer", id: "deadline" as const },
  ),
  fc.constantFrom({ kind: "reset" as const }, { kind: "fault" as const, reason: "x" }),
) as fc.Arbitrary<EvseAcEvent>;

test("property: never powered in A, B, E, F or in a fault; duty always 0, 5–96 or 100", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(anyEvent, fc.integer({ min: 0, max: 8000 })), { maxLength: 40 }),
      fc.boolean(),
      (evs, vent) => {
        let s = initialEvseAc(evseAcConfig({ ventilationAvailable: vent }));
        let t = 0;
        for (const [e, dt] of evs) {
          t += dt;
          s = stepEvseAc(s, { ...e, tMs: t } as EvseAcEvent)[0];
          if (["A", "B", "E", "F"].includes(s.cp) || s.fault) assert.equal(s.contactorClosed, false);
          if (s.cp === "D" && !vent) assert.equal(s.contactorClosed, false);
          assert.ok(s.duty === 0 || s.duty === 100 || (s.duty >= 5 && s.duty <= 96), `duty ${s.duty}`);
        }
      },
    ),
    { numRuns: 300 },
  );
});
