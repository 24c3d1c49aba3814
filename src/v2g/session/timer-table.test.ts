import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { hiddenClassChurn } from "../../testing/hidden-class.js";
import { withoutTimer, withTimer } from "./timer-table.js";

// First in this file: V8 makes the new hidden classes while the sites' inline caches are monomorphic; the
// property test below makes them megamorphic.
test("withTimer / withoutTimer: a charge loop's set and clear keep one hidden class, no dictionary", () => {
  // the SECC's and EVCC's pattern: a message timeout set with each request next to a longer timer, cleared
  // with each response
  const base = withTimer({}, "phase", 60_000);
  assert.equal(
    hiddenClassChurn((i) => withoutTimer(withTimer(withTimer({}, "msg", i), "phase", 60_000), "msg")),
    null,
  );
  assert.equal(
    hiddenClassChurn((i) => withTimer(base, "msg", i)),
    null,
  );
});

test("withTimer / withoutTimer: the same table as a plain copy would give", () => {
  const op = fc.record({ id: fc.constantFrom("a", "b", "seq", "msg"), atMs: fc.nat(), clear: fc.boolean() });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
      let t: Readonly<Record<string, number>> = {};
      const model = new Map<string, number>();
      for (const o of ops) {
        if (o.clear) {
          t = withoutTimer(t, o.id);
          model.delete(o.id);
        } else {
          t = withTimer(t, o.id, o.atMs);
          model.set(o.id, o.atMs);
        }
        assert.deepEqual(new Map(Object.entries(t)), model);
      }
    }),
  );
});
