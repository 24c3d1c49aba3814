/** Backend power schedule → SECC schedule entries: contiguous, capped, merged, bounded; random schedules. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { scheduleEntries } from "./power-schedule.js";

test("property: entries are contiguous from 0, within the rating, merged, at most maxEntries; each whole second has the period's capped limit", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: 90_000 }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.option(fc.integer({ min: 0, max: 400_000 }), { nil: null }), {
        minLength: 30,
        maxLength: 30,
      }),
      fc.integer({ min: -100_000, max: 100_000 }),
      fc.integer({ min: 1, max: 40 }),
      (starts, limits, atOffsetS, maxEntries) => {
        const sorted = [...starts].sort((a, b) => a - b);
        const periods = sorted.map((startS, i) => ({ startS, limitW: limits[i]! }));
        const nowMs = 1_000_000_000;
        const sched = { atMs: nowMs + atOffsetS * 1000, periods };
        const e = scheduleEntries(sched, nowMs, 150_000, 86_400, maxEntries);
        assert.ok(e.length >= 1 && e.length <= maxEntries);
        assert.equal(e[0]!.startS, 0);
        for (let i = 0; i < e.length; i++) {
          assert.ok(e[i]!.durationS > 0 && Number.isInteger(e[i]!.startS));
          assert.ok(e[i]!.powerW >= 0 && e[i]!.powerW <= 150_000);
          if (i > 0) {
            assert.equal(e[i]!.startS, e[i - 1]!.startS + e[i - 1]!.durationS, "contiguous");
            assert.notEqual(e[i]!.powerW, e[i - 1]!.powerW, "merged");
          }
        }
        const end = e.at(-1)!.startS + e.at(-1)!.durationS;
        assert.ok(end <= 86_400);
        // the limit in force at each entry's start (all starts are whole seconds here)
        for (const x of e) {
          const inForce = periods.filter((p) => atOffsetS + p.startS <= x.startS).at(-1);
          const want = inForce ? Math.min(150_000, inForce.limitW ?? 150_000) : 150_000;
          assert.equal(x.powerW, want, `at ${x.startS} s`);
        }
      },
    ),
    { numRuns: 300 },
  );
});
