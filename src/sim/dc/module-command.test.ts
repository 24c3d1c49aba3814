import assert from "node:assert/strict";
import { test } from "node:test";
import { createVirtualClock } from "../../machine/index.js";
import { SIM_RECORD_SAMPLE_MS } from "./constants.js";
import type { DcWorld } from "./world.js";
import { measuringWorld } from "./world-test-support.js";

/** A world measuring every `measureEveryMs` (0: only on change, as in virtual-time sessions). */
function world(measureEveryMs: number, more: Parameters<typeof measuringWorld>[2] = {}) {
  const clock = createVirtualClock();
  return { clock, ...measuringWorld(clock, measureEveryMs, more) };
}

test("a board measuring periodically: a module set point repeated unchanged (every charge-loop cycle) brings no extra measurement; a changed one does", () => {
  const { w, clock, measures } = world(100);
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
  clock.runUntil(50);
  const afterFirst = measures.length;
  assert.ok(afterFirst >= 1, "the first set point is measured at once");
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
  clock.runUntil(60);
  assert.equal(
    measures.length,
    afterFirst,
    "the same set point again: nothing until the periodic measurement",
  );
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 20 });
  clock.runUntil(70);
  assert.equal(measures.length, afterFirst + 1, "a new set point is measured at once");
  w.evseCommand({ kind: "module", op: "off", emergency: false });
  clock.runUntil(80);
  assert.equal(measures.length, afterFirst + 2, "off is measured at once");
});

test("in virtual time (no periodic measuring) every module command measures", () => {
  const { w, clock, measures } = world(0);
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
  clock.runUntil(50);
  const n = measures.length;
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
  clock.runUntil(60);
  assert.equal(measures.length, n + 1);
});

/** The gaps between consecutive measurements from `fromMs` on. */
const gaps = (ts: number[], fromMs: number) =>
  ts.filter((t) => t >= fromMs).flatMap((t, i, a) => (i === 0 ? [] : [t - a[i - 1]!]));

test("a wall-clock board (the live sim) measures a voltage slew at its periodic pace, not every 10 ms; a fast hint still gets the 10 ms floor", () => {
  // contactor closed, then the module slews its output from 0 V to 400 V (5 V/ms: 800 ms of transient)
  const slew = (w: DcWorld, clock: ReturnType<typeof createVirtualClock>, untilMs: number) => {
    w.evseCommand({ kind: "contactors", closed: true });
    clock.runUntil(50);
    w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
    clock.runUntil(untilMs);
  };
  const live = world(100, { slowMeasureMs: 100, measureFloorMs: 10 });
  slew(live.w, live.clock, 1_000);
  const liveGaps = gaps(live.measures, 51);
  assert.ok(liveGaps.length >= 8, `measured periodically (${live.measures.length} measurements)`);
  assert.ok(
    liveGaps.every((g) => g >= 100),
    `one measurement per period during the slew: gaps ${liveGaps.join(", ")} ms`,
  );
  // the same board with the default ordinary pace (10 ms) measures the slew every 10 ms
  const dense = world(100, { measureFloorMs: 10 });
  slew(dense.w, dense.clock, 1_000);
  assert.ok(dense.measures.length > 3 * live.measures.length, `${dense.measures.length} measurements`);
  // a trip's wind-down ("fast") keeps the 10 ms floor on the periodic board
  const fast = world(100, { slowMeasureMs: 100, measureFloorMs: 10, measureHint: () => "fast" });
  slew(fast.w, fast.clock, 300);
  assert.ok(
    gaps(fast.measures, 51).every((g) => g <= 10),
    `fast: ${gaps(fast.measures, 51).join(", ")} ms`,
  );
});

test("periodicSamples false (a live board): no world event a second for `sample` records; measuring unchanged", () => {
  const run = (periodicSamples: boolean) => {
    const { w, clock, measures } = world(100, { periodicSamples });
    const delays: number[] = [];
    const setTimeout = clock.setTimeout.bind(clock);
    clock.setTimeout = (fn, ms) => {
      delays.push(ms);
      return setTimeout(fn, ms);
    };
    w.plugIn();
    clock.runUntil(10_000);
    return { recordTicks: delays.filter((d) => d === SIM_RECORD_SAMPLE_MS).length, measures };
  };
  const on = run(true);
  const off = run(false);
  assert.ok(on.recordTicks >= 9, `${on.recordTicks} record-sample events in 10 s`);
  assert.equal(off.recordTicks, 0);
  assert.deepEqual(off.measures, on.measures);
});
