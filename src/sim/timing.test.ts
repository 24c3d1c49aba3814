/**
 * Acceptance: every basic-AC timing rule (IEC 61851-1 Table A.6, as EVerest applies it) measured end to end
 * in virtual time through the simulator: EV action → circuit → EVSE ADC/detector → EVSE controller → relay →
 * contactor (and back to the EV through the pilot waveform and the AC at its inlet). Measured delays are
 * printed as diagnostics and appear in every assertion message.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  currentToDuty,
  offeredCurrent,
  T_CONTACTOR_CLOSE_MAX_MS,
  T_CONTACTOR_OPEN_MAX_MS,
  T_EV_FOLLOW_DUTY_MS,
  T_POWER_OFF_UNDER_LOAD_MS,
  T_PWM_MIN_UPDATE_INTERVAL_MS,
} from "../pilot/index.js";
import type { AcSim } from "./ac-sim.js";
import { createAcSim, type ScenarioOptions } from "./scenario.js";
import { findTrace, traceOf } from "./trace.js";

const T_ACTION = 10_000;

/** Plug in at t = 0 and run to `T_ACTION`: the EV must be charging by then. */
function charging(o: ScenarioOptions = {}): AcSim {
  const sim = createAcSim(o);
  sim.at(0, "plug in", (s) => s.plugIn());
  sim.runUntil(T_ACTION - 1);
  assert.ok(sim.contactorClosed && sim.currentA > 0, `precondition: charging at ${T_ACTION} ms`);
  return sim;
}

function must<T>(x: T | undefined, what: string): T {
  assert.ok(x !== undefined, `expected ${what}`);
  return x as T;
}

test("B→C: contactor closes within 3 s of the EV closing S2", (t) => {
  for (const seed of [1, 2, 3]) {
    const sim = createAcSim({ seed });
    sim.at(0, "plug in", (s) => s.plugIn());
    sim.runUntil(5_000);
    const s2 = must(
      findTrace(sim.trace, "s2", 0, (e) => e.value === true),
      "S2 closing",
    );
    const closed = must(
      findTrace(sim.trace, "contactor", s2.tMs, (e) => e.value === true),
      "contactor closing",
    );
    const d = closed.tMs - s2.tMs;
    t.diagnostic(`seed ${seed}: S2 closed at ${s2.tMs} ms, contactor closed at ${closed.tMs} ms: ${d} ms`);
    assert.ok(
      d > 0 && d <= T_CONTACTOR_CLOSE_MAX_MS,
      `close delay ${d} ms, limit ${T_CONTACTOR_CLOSE_MAX_MS} ms`,
    );
  }
});

test("C→B: contactor opens ≤ 100 ms after the EV opens S2 (EV reaches its target SOC)", (t) => {
  // the EV itself stops: BMS target reached → EV controller opens S2 → C→B on the wire
  const sim = createAcSim({ batteryKwh: 10, socStart: 79.99, targetSoc: 80 });
  sim.at(0, "plug in", (s) => s.plugIn());
  sim.runUntil(60_000);
  const closed = must(
    findTrace(sim.trace, "contactor", 0, (e) => e.value === true),
    "contactor closing",
  );
  const open = must(
    findTrace(sim.trace, "s2", closed.tMs, (e) => e.value === false),
    "S2 opening",
  );
  const cpB = must(
    findTrace(sim.trace, "cp", open.tMs, (e) => e.value === "B"),
    "C→B detected",
  );
  const off = must(
    findTrace(sim.trace, "contactor", open.tMs, (e) => e.value === false),
    "contactor opening",
  );
  const d = off.tMs - open.tMs;
  t.diagnostic(`S2 open ${open.tMs} ms → B detected +${cpB.tMs - open.tMs} ms → contactor open +${d} ms`);
  assert.ok(d <= T_CONTACTOR_OPEN_MAX_MS, `open delay ${d} ms, limit ${T_CONTACTOR_OPEN_MAX_MS} ms`);
  assert.equal(sim.evStops[0]?.reason, "target SOC reached");
});

test("unplug under load: contactor opens ≤ 100 ms", (t) => {
  const sim = charging();
  sim.at(T_ACTION, "unplug", (s) => s.unplug());
  sim.runUntil(T_ACTION + 2_000);
  const cpA = must(
    findTrace(sim.trace, "cp", T_ACTION, (e) => e.value === "A"),
    "A detected",
  );
  const off = must(
    findTrace(sim.trace, "contactor", T_ACTION, (e) => e.value === false),
    "contactor opening",
  );
  const d = off.tMs - T_ACTION;
  t.diagnostic(`unplug at ${T_ACTION} ms → A detected +${cpA.tMs - T_ACTION} ms → contactor open +${d} ms`);
  assert.ok(d <= T_CONTACTOR_OPEN_MAX_MS, `open delay ${d} ms, limit ${T_CONTACTOR_OPEN_MAX_MS} ms`);
});

test("EVSE stops PWM while the EV stays in C: power off under load after 6 s", (t) => {
  const sim = charging({ ev: { openS2OnPwmStop: false } });
  sim.at(T_ACTION, "stop PWM", (s) => s.evseCommand({ kind: "stop-pwm" }));
  sim.runUntil(T_ACTION + 10_000);
  const x1 = must(
    findTrace(sim.trace, "duty", T_ACTION, (e) => e.value === 100),
    "X1 on the wire",
  );
  const off = must(
    findTrace(sim.trace, "contactor", T_ACTION, (e) => e.value === false),
    "contactor opening",
  );
  const d = off.tMs - x1.tMs;
  const currents = traceOf(sim.trace, "current", T_ACTION, off.tMs - 1);
  const lastBefore =
    currents.length > 0 ? currents[currents.length - 1]?.value : "(no change: still flowing)";
  t.diagnostic(`X1 at ${x1.tMs} ms → contactor open +${d} ms; current before opening: ${lastBefore}`);
  assert.ok(sim.evState.s2Closed, "the EV stayed in C");
  assert.ok(
    currents.every((e) => Number(e.value) > 0),
    "still under load until the contactor opened",
  );
  assert.ok(
    d >= T_POWER_OFF_UNDER_LOAD_MS && d <= T_POWER_OFF_UNDER_LOAD_MS + T_CONTACTOR_OPEN_MAX_MS,
    `power off ${d} ms after PWM stop, rule ${T_POWER_OFF_UNDER_LOAD_MS} ms`,
  );
});

test("EVSE stops PWM, well-behaved EV opens S2: contactor opens ≤ 100 ms after C→B", (t) => {
  const sim = charging();
  sim.at(T_ACTION, "stop PWM", (s) => s.evseCommand({ kind: "stop-pwm" }));
  sim.runUntil(T_ACTION + 10_000);
  const s2 = must(
    findTrace(sim.trace, "s2", T_ACTION, (e) => e.value === false),
    "S2 opening",
  );
  const off = must(
    findTrace(sim.trace, "contactor", T_ACTION, (e) => e.value === false),
    "contactor opening",
  );
  const d = off.tMs - s2.tMs;
  t.diagnostic(`S2 opened ${s2.tMs - T_ACTION} ms after X1, contactor open +${d} ms`);
  assert.ok(d <= T_CONTACTOR_OPEN_MAX_MS, `open delay ${d} ms after C→B`);
});

test("state D without ventilation: no power; with ventilation: power", (t) => {
  const noVent = createAcSim({ ev: { needsVentilation: true }, evse: { ventilationAvailable: false } });
  noVent.at(0, "plug in", (s) => s.plugIn());
  noVent.runUntil(T_ACTION);
  const d = must(
    findTrace(noVent.trace, "cp", 0, (e) => e.value === "D"),
    "D detected",
  );
  t.diagnostic(`no ventilation: D detected at ${d.tMs} ms, contactor closes: never (10 s)`);
  assert.equal(
    findTrace(noVent.trace, "contactor", 0, (e) => e.value === true),
    undefined,
    "contactor stays open in D",
  );
  assert.equal(noVent.currentA, 0);

  const vent = createAcSim({ ev: { needsVentilation: true }, evse: { ventilationAvailable: true } });
  vent.at(0, "plug in", (s) => s.plugIn());
  vent.runUntil(T_ACTION);
  const dv = must(
    findTrace(vent.trace, "cp", 0, (e) => e.value === "D"),
    "D detected",
  );
  const on = must(
    findTrace(vent.trace, "contactor", 0, (e) => e.value === true),
    "contactor closing with ventilation",
  );
  t.diagnostic(`ventilation available: contactor closed ${on.tMs - dv.tMs} ms after D`);
  assert.ok(on.tMs - dv.tMs <= T_CONTACTOR_CLOSE_MAX_MS);
});

test("state E (CP shorted to PE) under load: power off", (t) => {
  const sim = charging();
  sim.at(T_ACTION, "CP short to PE", (s) => s.setLineFault("cp-short-pe"));
  sim.runUntil(T_ACTION + 2_000);
  const off = must(
    findTrace(sim.trace, "contactor", T_ACTION, (e) => e.value === false),
    "contactor opening",
  );
  const d = off.tMs - T_ACTION;
  t.diagnostic(`short at ${T_ACTION} ms → contactor open +${d} ms`);
  assert.ok(d <= T_CONTACTOR_OPEN_MAX_MS, `E power-off delay ${d} ms`);
  assert.equal(sim.currentA, 0);
});

test("state F (EVSE fault) under load: power off, pilot at −12 V", (t) => {
  const sim = charging();
  sim.at(T_ACTION, "EVSE fault", (s) => s.evseCommand({ kind: "fault", reason: "RCD trip" }));
  sim.runUntil(T_ACTION + 2_000);
  const off = must(
    findTrace(sim.trace, "contactor", T_ACTION, (e) => e.value === false),
    "contactor opening",
  );
  const f = must(
    findTrace(sim.trace, "cp", T_ACTION, (e) => e.value === "F"),
    "F detected",
  );
  const d = off.tMs - T_ACTION;
  t.diagnostic(`fault at ${T_ACTION} ms → contactor open +${d} ms, F detected +${f.tMs - T_ACTION} ms`);
  assert.ok(d <= T_CONTACTOR_OPEN_MAX_MS, `F power-off delay ${d} ms`);
  assert.equal(sim.evState.s2Closed, false, "EV sees 0 % (F) and opens S2");
});

test("EV follows a duty change within 5 s", (t) => {
  const sim = charging();
  sim.at(T_ACTION, "offer 16 A", (s) => s.evseCommand({ kind: "set-current", amps: 16 }));
  sim.runUntil(T_ACTION + 10_000);
  const duty = must(findTrace(sim.trace, "duty", T_ACTION), "duty change on the wire");
  assert.equal(duty.value, Math.round((currentToDuty(16) ?? 0) * 100) / 100);
  const follow = must(
    findTrace(sim.trace, "current", duty.tMs, (e) => Number(e.value) <= 16),
    "current ≤ 16 A",
  );
  const d = follow.tMs - duty.tMs;
  t.diagnostic(`duty → ${duty.value} % at ${duty.tMs} ms; EV current ${follow.value} A after ${d} ms`);
  assert.ok(d <= T_EV_FOLLOW_DUTY_MS, `EV followed after ${d} ms, limit ${T_EV_FOLLOW_DUTY_MS} ms`);
  assert.ok(Number(follow.value) > 0, "still charging at the lower current");
});

test("PWM changes are rate limited (≥ 5 s apart)", (t) => {
  const sim = charging();
  for (const [i, amps] of [16, 20, 24, 28].entries()) {
    sim.at(T_ACTION + i * 1000, `offer ${amps} A`, (s) => s.evseCommand({ kind: "set-current", amps }));
  }
  sim.runUntil(T_ACTION + 20_000);
  const changes = traceOf(sim.trace, "duty", T_ACTION);
  const gaps = changes.slice(1).map((e, i) => e.tMs - (changes[i]?.tMs ?? 0));
  t.diagnostic(
    `duty changes at ${changes.map((e) => `${e.tMs} ms→${e.value} %`).join(", ")}; gaps ${gaps.join(", ")} ms`,
  );
  assert.equal(changes.length, 2, "four requests within 3 s give two duty changes");
  assert.ok(
    gaps.every((g) => g >= T_PWM_MIN_UPDATE_INTERVAL_MS),
    `gaps ${gaps.join(", ")} ms`,
  );
  assert.equal(changes[1]?.value, Math.round((currentToDuty(28) ?? 0) * 100) / 100, "the last request wins");
});

test("PP unlatched (handle button): EV stops current and opens S2, then the EVSE opens", (t) => {
  const sim = charging();
  sim.at(T_ACTION, "press handle button", (s) => s.pressButton(true));
  sim.runUntil(T_ACTION + 2_000);
  const pp = must(
    findTrace(sim.trace, "pp", T_ACTION, (e) => e.value === "unlatched"),
    "PP unlatched",
  );
  const zero = must(
    findTrace(sim.trace, "current", T_ACTION, (e) => e.value === 0),
    "current 0",
  );
  const s2 = must(
    findTrace(sim.trace, "s2", T_ACTION, (e) => e.value === false),
    "S2 open",
  );
  const off = must(
    findTrace(sim.trace, "contactor", T_ACTION, (e) => e.value === false),
    "contactor open",
  );
  t.diagnostic(
    `button at ${T_ACTION} ms → PP unlatched +${pp.tMs - T_ACTION} ms, current 0 +${zero.tMs - T_ACTION} ms, ` +
      `S2 open +${s2.tMs - T_ACTION} ms, contactor open +${off.tMs - T_ACTION} ms`,
  );
  assert.ok(zero.tMs <= s2.tMs, "current stops before (or with) S2 opening");
  assert.ok(off.tMs - s2.tMs <= T_CONTACTOR_OPEN_MAX_MS, `contactor open ${off.tMs - s2.tMs} ms after C→B`);
  assert.equal(sim.evStops[0]?.reason, "connector unlatched");
});

for (const volts of [90, 300]) {
  test(`OBC refuses a ${volts} V supply (accepts 104–293 V)`, (t) => {
    const sim = createAcSim({ gridVoltageV: volts });
    sim.at(0, "plug in", (s) => s.plugIn());
    sim.runUntil(T_ACTION);
    const closed = must(
      findTrace(sim.trace, "contactor", 0, (e) => e.value === true),
      "contactor closed",
    );
    const stop = must(findTrace(sim.trace, "ev-stop", 0), "EV stop");
    t.diagnostic(
      `contactor closed at ${closed.tMs} ms, EV refused at +${stop.tMs - closed.tMs} ms: ${stop.value}`,
    );
    assert.equal(stop.value, "supply voltage out of range");
    assert.equal(
      findTrace(sim.trace, "current", 0, (e) => Number(e.value) > 0),
      undefined,
      "no current drawn",
    );
    assert.equal(sim.evState.s2Closed, false, "S2 opened");
    assert.equal(sim.contactorClosed, false, "EVSE opened after C→B");
  });
}

test("OBC accepts a 120 V supply", () => {
  const sim = createAcSim({ gridVoltageV: 120 });
  sim.at(0, "plug in", (s) => s.plugIn());
  sim.runUntil(T_ACTION);
  assert.ok(sim.currentA > 0, "charging at 120 V");
});

test("digital communication configured: 5 % on the wire, a PWM-only EV does not charge", () => {
  const sim = createAcSim({ evse: { digitalComm: true } });
  sim.at(0, "plug in", (s) => s.plugIn());
  sim.runUntil(T_ACTION);
  assert.equal(findTrace(sim.trace, "duty", 0)?.value, 5);
  assert.equal(
    findTrace(sim.trace, "s2", 0, (e) => e.value === true),
    undefined,
  );
  assert.equal(
    findTrace(sim.trace, "contactor", 0, (e) => e.value === true),
    undefined,
  );
});

test("property: through the cable the EV never draws more than the EVSE offers", () => {
  fc.assert(
    fc.property(fc.integer({ min: 6, max: 80 }), fc.integer({ min: 0, max: 10_000 }), (amps, seed) => {
      const sim = createAcSim({ evse: { maxCurrentA: amps }, ev: { maxCurrentA: 80 }, seed });
      sim.at(0, "plug in", (s) => s.plugIn());
      sim.runUntil(5_000);
      const offered = offeredCurrent(amps) ?? 0;
      const drawn = traceOf(sim.trace, "current").map((e) => Number(e.value));
      assert.ok(drawn.length > 0 && Math.max(...drawn) > 0, `charging at ${amps} A`);
      assert.ok(Math.max(...drawn) <= offered, `drew ${Math.max(...drawn)} A of ${offered} A offered`);
    }),
    { numRuns: 40 },
  );
});
