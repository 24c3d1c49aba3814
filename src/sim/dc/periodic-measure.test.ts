/** A wall-clock board's periodic measurement after its process stalled: each board keeps its own phase. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type Clock, createVirtualClock } from "../../machine/index.js";
import { nextSlotMs } from "./world.js";
import { measuringWorld } from "./world-test-support.js";

/**
 * A virtual clock whose process stalls over [fromMs, toMs): a timer due in the stall runs at its end,
 * late, as a wall-clock timer does when the event loop was busy.
 */
function stallingClock(fromMs: number, toMs: number) {
  const v = createVirtualClock();
  const clock: Clock = {
    now: () => v.now(),
    setTimeout(fn, ms) {
      const due = v.now() + Math.max(0, ms);
      return v.setTimeoutAt(fn, due >= fromMs && due < toMs ? toMs : due);
    },
    clearTimeout: (h) => v.clearTimeout(h),
  };
  return { v, clock };
}

test("periodic measuring after a stall: two boards of one process leave it on their own grids, not in step", () => {
  const { v, clock } = stallingClock(1_000, 1_250);
  const a = measuringWorld(clock, 100, { periodicSamples: false }).measures;
  v.runUntil(37);
  const b = measuringWorld(clock, 100, { periodicSamples: false }).measures;
  v.runUntil(2_000);
  const after = (xs: number[]) => xs.filter((t) => t > 1_250);
  // both measured late at the stall's end, then each on its own grid again (0 and 37 mod 100)
  assert.ok(a.includes(1_250) && b.includes(1_250), `${a} / ${b}`);
  assert.deepEqual(new Set(after(a).map((t) => t % 100)), new Set([0]), `${after(a)}`);
  assert.deepEqual(new Set(after(b).map((t) => t % 100)), new Set([37]), `${after(b)}`);
  // no burst: more than half a period between any two measurements of a board
  for (const xs of [a, b]) for (let k = 1; k < xs.length; k++) assert.ok(xs[k]! - xs[k - 1]! > 50, `${xs}`);
});

test("nextSlotMs: on time a period later; late, the same grid, more than half a period away", () => {
  assert.equal(nextSlotMs(1_000, 100, 1_000), 1_100);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e9 }),
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 0, max: 1e7 }),
      (slot, every, late) => {
        const now = slot + late;
        const next = nextSlotMs(slot, every, now);
        assert.ok(next - now > every / 2 && next - now <= every * 1.5, `${slot} ${every} ${now} → ${next}`);
        if (late > 0) assert.equal((next - slot) % every, 0);
      },
    ),
  );
});
