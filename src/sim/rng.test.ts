import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createRng } from "./rng.js";

test("same seed, same sequence; different seeds differ", () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const sa = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(
    sa,
    Array.from({ length: 20 }, () => b.next()),
  );
  assert.notDeepEqual(
    sa,
    Array.from({ length: 20 }, () => c.next()),
  );
});

test("draws stay in range", () => {
  fc.assert(
    fc.property(fc.integer(), fc.double({ min: 0, max: 0.2, noNaN: true }), (seed, tol) => {
      const r = createRng(seed);
      for (let i = 0; i < 20; i++) {
        const u = r.next();
        assert.ok(u >= 0 && u < 1);
        const x = r.tolerance(1000, tol);
        assert.ok(x >= 1000 * (1 - tol) - 1e-9 && x <= 1000 * (1 + tol) + 1e-9);
        const y = r.uniform(-2, 3);
        assert.ok(y >= -2 && y < 3);
      }
    }),
  );
});
