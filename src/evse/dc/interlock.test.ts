import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { configurePins, createInterlock, deEnergise, energise, type Interlock } from "./interlock.js";

test("interlock refuses DC on AC pins and AC on DC pins", () => {
  assert.equal(energise(createInterlock("ac"), "dc").ok, false);
  assert.equal(energise(createInterlock("dc"), "ac").ok, false);
  assert.equal(energise(createInterlock("none"), "dc").ok, false);
  const r = energise(createInterlock("dc"), "dc");
  assert.ok(r.ok);
  assert.equal(configurePins(r.state, "ac").ok, false, "no reconfiguration while energised");
});

test("property: never two paths, never a path the pins are not configured for", () => {
  const op = fc.oneof(
    fc.record({ k: fc.constant("e" as const), p: fc.constantFrom("ac" as const, "dc" as const) }),
    fc.record({ k: fc.constant("d" as const) }),
    fc.record({
      k: fc.constant("c" as const),
      p: fc.constantFrom("ac" as const, "dc" as const, "none" as const),
    }),
  );
  fc.assert(
    fc.property(
      fc.constantFrom("ac" as const, "dc" as const, "none" as const),
      fc.array(op, { maxLength: 30 }),
      (pins, ops) => {
        let il: Interlock = createInterlock(pins);
        for (const o of ops) {
          if (o.k === "e") il = energise(il, o.p).state;
          else if (o.k === "d") il = deEnergise(il);
          else il = configurePins(il, o.p).state;
          if (il.energised !== null) assert.equal(il.energised, il.pins);
        }
      },
    ),
    { numRuns: 300 },
  );
});
