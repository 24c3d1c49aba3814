import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { currentToDuty, dutyToCurrent, type PpState, T_EV_FOLLOW_DUTY_MS } from "../pilot/index.js";
import {
  type EvAcEffect,
  type EvAcEvent,
  type EvAcState,
  evAcConfig,
  initialEvAc,
  stepEvAc,
} from "./basic-ac.js";

type WithoutTime<T> = T extends unknown ? Omit<T, "tMs"> : never;

function run(s0: EvAcState, events: EvAcEvent[]): [EvAcState, EvAcEffect[]] {
  let s = s0;
  const all: EvAcEffect[] = [];
  for (const e of events) {
    const [n, fx] = stepEvAc(s, e);
    s = n;
    all.push(...fx);
  }
  return [s, all];
}

const duty32 = currentToDuty(32) ?? 0;
const bms = (tMs: number, targetReached = false): EvAcEvent => ({
  kind: "bms",
  maxChargeW: 11_000,
  targetReached,
  tMs,
});

/** Plugged, latched, PWM 32 A, S2 closed after its delay, 240 V present. */
function charging(): EvAcState {
  const cfg = evAcConfig();
  const [s] = run(initialEvAc(cfg), [
    bms(0),
    { kind: "pp", state: "latched", tMs: 0 },
    { kind: "duty", duty: duty32, tMs: 10 },
    { kind: "timer", id: "deadline", tMs: 10 + cfg.s2CloseDelayMs },
    { kind: "supply", volts: 240, tMs: 1100 },
  ]);
  return s;
}

test("closes S2 after its delay once latched with a usable PWM, then draws at most the offered current", () => {
  const cfg = evAcConfig();
  const [s1, fx1] = run(initialEvAc(cfg), [
    bms(0),
    { kind: "pp", state: "latched", tMs: 0 },
    { kind: "duty", duty: duty32, tMs: 10 },
  ]);
  assert.equal(s1.s2Closed, false);
  assert.ok(fx1.some((f) => f.kind === "set-timer" && f.atMs === 10 + cfg.s2CloseDelayMs));
  const s = charging();
  assert.ok(s.s2Closed);
  const allowed = dutyToCurrent(duty32);
  assert.ok(allowed.kind === "current");
  assert.ok(s.setpointA > 0 && s.setpointA <= allowed.amps, `setpoint ${s.setpointA}`);
});

test("follows a lower duty after followDelayMs (≤ 5 s), not before", () => {
  const s = charging();
  const d16 = currentToDuty(16) ?? 0;
  const [s1] = run(s, [{ kind: "duty", duty: d16, tMs: 5000 }]);
  assert.ok(s1.setpointA > 16, "not yet");
  assert.equal(s1.pendingAtMs, 5000 + s.cfg.followDelayMs);
  assert.ok(s.cfg.followDelayMs <= T_EV_FOLLOW_DUTY_MS);
  const [s2] = run(s1, [{ kind: "timer", id: "deadline", tMs: 5000 + s.cfg.followDelayMs }]);
  assert.ok(s2.setpointA <= 16 && s2.setpointA > 15);
});

for (const pp of ["unlatched", "unplugged"] as PpState[]) {
  test(`PP ${pp}: current 0 and S2 open in the same step`, () => {
    const [s, fx] = run(charging(), [{ kind: "pp", state: pp, tMs: 5000 }]);
    assert.equal(s.setpointA, 0);
    assert.equal(s.s2Closed, false);
    const iCur = fx.findIndex((f) => f.kind === "current" && f.amps === 0);
    const iS2 = fx.findIndex((f) => f.kind === "s2" && !f.closed);
    assert.ok(iCur >= 0 && iS2 > iCur, "current to 0 before S2 opens");
    assert.ok(fx.some((f) => f.kind === "stop"));
  });
}

test("OBC window 104–293 V: refuses outside (latched until unplug), accepts inside", () => {
  for (const v of [90, 103.9, 293.1, 300]) {
    const [s, fx] = run(charging(), [{ kind: "supply", volts: v, tMs: 5000 }]);
    assert.equal(s.setpointA, 0, `${v} V`);
    assert.equal(s.s2Closed, false, `${v} V`);
    assert.ok(fx.some((f) => f.kind === "stop" && f.reason === "supply voltage out of range"));
    const [again] = run(s, [
      { kind: "supply", volts: 0, tMs: 5100 },
      { kind: "timer", id: "deadline", tMs: 9000 },
    ]);
    assert.equal(again.s2Closed, false, "refusal stays latched");
  }
  for (const v of [104, 120, 240, 277, 293]) {
    const [s] = run(charging(), [{ kind: "supply", volts: v, tMs: 5000 }]);
    assert.ok(s.setpointA > 0, `${v} V accepted`);
  }
});

test("5 % (HLC required) and X1: no S2; target SOC reached: stop", () => {
  const base = run(initialEvAc(evAcConfig()), [bms(0), { kind: "pp", state: "latched", tMs: 0 }])[0];
  const [dig] = run(base, [
    { kind: "duty", duty: 5, tMs: 10 },
    { kind: "timer", id: "deadline", tMs: 5000 },
  ]);
  assert.equal(dig.s2Closed, false);
  const [x1] = run(charging(), [{ kind: "duty", duty: 100, tMs: 5000 }]);
  assert.equal(x1.s2Closed, false);
  assert.equal(x1.setpointA, 0);
  const [full, fx] = run(charging(), [bms(5000, true)]);
  assert.equal(full.s2Closed, false);
  assert.ok(fx.some((f) => f.kind === "stop" && f.reason === "target SOC reached"));
});

test("property: never draws above the duty's allowance (after the follow delay) or the OBC limit", () => {
  const anyEv: fc.Arbitrary<WithoutTime<EvAcEvent>> = fc.oneof(
    fc.record({
      kind: fc.constant("duty" as const),
      duty: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(0, 5, 100, 53.3)),
    }),
    fc.record({
      kind: fc.constant("pp" as const),
      state: fc.constantFrom<PpState>("latched", "unlatched", "unplugged", "fault"),
    }),
    fc.record({ kind: fc.constant("supply" as const), volts: fc.constantFrom(0, 90, 120, 240, 300) }),
    fc.record({
      kind: fc.constant("bms" as const),
      maxChargeW: fc.integer({ min: 0, max: 20_000 }),
      targetReached: fc.boolean(),
    }),
    fc.constant({ kind: "timer", id: "deadline" as const }),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(anyEv, fc.integer({ min: 0, max: 3000 })), { maxLength: 40 }), (evs) => {
      let s = initialEvAc(evAcConfig({ maxCurrentA: 40 }));
      let t = 0;
      const changes: { t: number; a: number }[] = [{ t: Number.NEGATIVE_INFINITY, a: 0 }];
      for (const [e, dt] of evs) {
        t += dt;
        if (e.kind === "duty") {
          const m = dutyToCurrent(e.duty);
          changes.push({ t, a: m.kind === "current" ? m.amps : 0 });
        }
        s = stepEvAc(s, { ...e, tMs: t } as EvAcEvent)[0];
        // allowed: the allowance in force followDelayMs ago, or any set since (the EV may still be following)
        const since = t - s.cfg.followDelayMs;
        const inForce = changes.filter((c) => c.t <= since).at(-1)?.a ?? 0;
        const limit = Math.max(inForce, ...changes.filter((c) => c.t > since).map((c) => c.a));
        assert.ok(s.setpointA <= Math.min(limit, 40) + 1e-9, `setpoint ${s.setpointA} > ${limit}`);
        if (s.pp !== "latched" || !s.s2Closed) assert.equal(s.setpointA, 0);
      }
    }),
    { numRuns: 300 },
  );
});
