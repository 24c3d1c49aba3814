import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { percentile, timeStats } from "./stats.js";

test("percentile: nearest rank — at least p % of the samples are ≤ it, and it is a sample", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 1, max: 100 }),
      (xs, p) => {
        const s = [...xs].sort((a, b) => a - b);
        const v = percentile(s, p);
        assert.ok(s.includes(v));
        assert.ok(s.filter((x) => x <= v).length >= (p / 100) * s.length);
        assert.ok(s.filter((x) => x < v).length < (p / 100) * s.length);
      },
    ),
    { numRuns: 200 },
  );
});

test("timeStats: median/p99/max of 1..100 are 50/99/100; empty is all 0", () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.deepEqual(timeStats(xs), { count: 100, median: 50, p99: 99, max: 100 });
  assert.deepEqual(timeStats([]), { count: 0, median: 0, p99: 0, max: 0 });
});
