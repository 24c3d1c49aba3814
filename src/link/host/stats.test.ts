import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { EvPlant, SeccPlant } from "./plants.js";
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

test("SeccPlant: time scale speeds up the isolation test; energy flows only with the EV connected", () => {
  const p = new SeccPlant({ ac: false, timeScale: 100, isolationTestMs: 2_000 }, 0);
  p.command({ port: "contactors", op: "close" }, 0);
  p.command({ port: "isolation", op: "start", voltageV: 500 }, 0);
  p.advance(19);
  assert.equal(p.readings().isolation?.state, "running");
  p.advance(21);
  assert.equal(p.readings().isolation?.state, "done");
  p.command({ port: "power-stage", op: "set", voltageV: 420, currentA: 100 }, 21);
  p.advance(1000);
  assert.equal(p.energyWh, 0, "no current into an open EV inlet");
  p.evConnected(true, 50, 1000);
  p.advance(1036); // 3.6 s model at ≤ 100 A, ~370 V → ≤ 37 Wh (the current slews up first)
  assert.ok(p.energyWh > 25 && p.energyWh < 40, `${p.energyWh} Wh`);
});

test("EvPlant: charges with the EVSE's reported current while its contactors are closed", () => {
  const e = new EvPlant({ ac: false, timeScale: 10, socPercent: 50 }, 0);
  e.seeEvse({ presentVoltageV: 380, presentCurrentA: 100, acNominalVoltageV: 0, acMaxCurrentA: 0 });
  e.advance(100);
  assert.equal(e.energyWh, 0);
  e.command({ port: "contactors", op: "close" }, 100);
  e.advance(460); // 3.6 s model at 100 A, ~370 V → ~37 Wh
  assert.ok(e.energyWh > 33 && e.energyWh < 40, `${e.energyWh} Wh`);
  assert.ok(e.battery.socPercent > 50);
  assert.equal(e.readings().inletVoltageV, e.readings().batteryVoltageV);
});
