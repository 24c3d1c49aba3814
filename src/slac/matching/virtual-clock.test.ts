import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { VirtualClock } from "./virtual-clock.js";

test("virtual clock: pops in time order, FIFO among equal times, minus cancelled items (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 200 }),
      (items) => {
        const clock = new VirtualClock<number>();
        const handles = items.map(([t], i) => clock.schedule(t, i));
        items.forEach(([, cancel], i) => {
          if (cancel) assert.equal(clock.cancel(handles[i]!), true);
        });
        const want = items
          .map(([t, cancel], i) => ({ t, i, cancel }))
          .filter((x) => !x.cancel)
          .sort((a, b) => a.t - b.t || a.i - b.i)
          .map((x) => x.i);
        assert.equal(clock.size, want.length);
        const got: number[] = [];
        let last = 0;
        for (let n = clock.next(); n; n = clock.next()) {
          assert.ok(n.atMs >= last && clock.now === n.atMs);
          last = n.atMs;
          got.push(n.item);
        }
        assert.deepEqual(got, want);
      },
    ),
    { numRuns: 200 },
  );
});

test("virtual clock: past times run next at now; cancel of a popped or unknown handle is false", () => {
  const c = new VirtualClock<string>(100);
  const h = c.schedule(50, "late");
  assert.equal(c.peekTime(), 100);
  assert.deepEqual(c.next()?.item, "late");
  assert.equal(c.cancel(h), false);
  assert.equal(c.cancel(999), false);
  assert.equal(c.next(), undefined);
  assert.throws(() => c.schedule(Number.NaN, "x"), RangeError);
});
