import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createVirtualClock } from "./virtual-clock.js";

test("virtual clock: runs in time order, FIFO among equal times, minus cleared timers (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 200 }),
      (items) => {
        const clock = createVirtualClock();
        const got: number[] = [];
        let last = 0;
        const handles = items.map(([t], i) =>
          clock.setTimeoutAt(() => {
            assert.ok(clock.now() >= last && clock.now() === t);
            last = clock.now();
            got.push(i);
          }, t),
        );
        items.forEach(([, cancel], i) => {
          if (cancel) clock.clearTimeout(handles[i]);
        });
        const want = items
          .map(([t, cancel], i) => ({ t, i, cancel }))
          .filter((x) => !x.cancel)
          .sort((a, b) => a.t - b.t || a.i - b.i)
          .map((x) => x.i);
        assert.equal(clock.pending, want.length);
        while (clock.runNext());
        assert.deepEqual(got, want);
        assert.equal(clock.pending, 0);
      },
    ),
    { numRuns: 200 },
  );
});

test("virtual clock: the past runs next at now; clearing twice or after firing is harmless", () => {
  const c = createVirtualClock(100);
  const seen: string[] = [];
  const h = c.setTimeoutAt(() => seen.push("late"), 50);
  assert.equal(c.peekTime(), 100);
  assert.equal(c.runNext(), true);
  assert.deepEqual(seen, ["late"]);
  c.clearTimeout(h);
  c.clearTimeout(h);
  c.clearTimeout(undefined);
  assert.equal(c.pending, 0);
  assert.equal(c.runNext(), false);
  const k = c.setTimeout(() => seen.push("x"), 10);
  c.clearTimeout(k);
  c.clearTimeout(k);
  assert.equal(c.pending, 0);
  assert.equal(c.peekTime(), undefined);
});

test("virtual clock: runUntil runs what is due (including timers armed on the way) and stops at the bound", () => {
  const c = createVirtualClock();
  const seen: number[] = [];
  c.setTimeout(() => {
    seen.push(c.now());
    c.setTimeout(() => seen.push(c.now()), 5);
    c.setTimeout(() => seen.push(c.now()), 50);
  }, 10);
  c.runUntil(30);
  assert.deepEqual(seen, [10, 15]);
  assert.equal(c.now(), 30);
  assert.equal(c.peekTime(), 60);
  c.advanceTo(20);
  assert.equal(c.now(), 30, "time never goes back");
});

test("virtual clock: run() lets promise jobs settle between timers and stops at maxMs", async () => {
  const c = createVirtualClock();
  const seen: string[] = [];
  c.setTimeout(() => {
    void Promise.resolve().then(() => {
      seen.push(`job@${c.now()}`);
      c.setTimeout(() => seen.push(`t@${c.now()}`), 10);
    });
  }, 5);
  c.setTimeout(() => seen.push("never"), 1000);
  await c.run(() => false, 100);
  assert.deepEqual(seen, ["job@5", "t@15"]);
  assert.equal(c.peekTime(), 1000);
});
