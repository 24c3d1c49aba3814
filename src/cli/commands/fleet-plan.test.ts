import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { FLEET_CHUNK_MS, fleetSessionSeed, planFleetSession } from "../../sim/fleet/index.js";
import { parseFleetMix } from "./fleet-options.js";
import { fleetSessionSimulateOptions } from "./fleet-session.js";

const range = (lo: number, hi: number) =>
  fc
    .tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);

test("every planned session of any valid mix is a valid `nacs simulate` session, plugged in on the chunk grid", () => {
  fc.assert(
    fc.property(
      fc.record({ soc: range(0, 99), targetSoc: range(1, 100), batteryKwh: range(10, 300) }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.nat({ max: 1_000_000 }),
      fc.integer({ min: 0, max: 86_400 }),
      (ranges, seed, index, windowS) => {
        const mix = parseFleetMix({ ...ranges, faultRate: 0.5, faults: { "cp-open": 1, "over-current": 1 } });
        const spec = planFleetSession({ seed, windowS, mix }, index);
        const o = fleetSessionSimulateOptions(spec); // throws on an invalid combination
        assert.ok(o.targetSoc > o.soc);
        assert.equal((spec.plugInS * 1000) % FLEET_CHUNK_MS, 0);
        assert.ok(spec.plugInS >= 0 && spec.plugInS <= Math.max(0, windowS));
        assert.deepEqual(planFleetSession({ seed, windowS, mix }, index), spec, "the plan is pure");
      },
    ),
    { numRuns: 300 },
  );
});

test("session seeds: distinct over a fleet, and not simply the fleet seed plus the index", () => {
  const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => fleetSessionSeed(1, i)));
  assert.equal(seeds.size, 10_000);
  assert.notEqual(fleetSessionSeed(1, 0), fleetSessionSeed(2, 0));
  assert.notEqual(fleetSessionSeed(1, 1), fleetSessionSeed(2, 0));
});
