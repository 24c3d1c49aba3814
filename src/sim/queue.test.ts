import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { EventQueue } from "./queue.js";

test("pops in time order, FIFO among equal times, and advances the clock", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
      const q = new EventQueue<number>();
      for (const [i, t] of times.entries()) q.push(t, i);
      const out: { tMs: number; item: number }[] = [];
      for (let e = q.pop(); e; e = q.pop()) {
        assert.equal(q.nowMs, e.tMs);
        out.push(e);
      }
      const expected = times
        .map((t, i) => ({ tMs: t, item: i }))
        .sort((a, b) => a.tMs - b.tMs || a.item - b.item);
      assert.deepEqual(out, expected);
    }),
    { numRuns: 200 },
  );
});

test("the past cannot be scheduled: pushes before now run at now", () => {
  const q = new EventQueue<string>();
  q.push(100, "a");
  q.pop();
  q.push(50, "late");
  assert.equal(q.peekTime(), 100);
  q.advanceTo(120);
  assert.equal(q.nowMs, 120);
  q.advanceTo(10);
  assert.equal(q.nowMs, 120);
});
