import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { dcBatteryConfig } from "../../ev/dc/index.js";
import { powerModuleConfig } from "../../evse/dc/index.js";
import { DcPath } from "./physics.js";

/** A connected path charging at `setI` from `soc`, advanced over the given steps (ms). */
function charge(
  soc: number,
  setI: number,
  steps: number[],
  o: { k?: number; from?: number; ramps?: boolean } = {},
): DcPath {
  const p = new DcPath(powerModuleConfig("1000v", 250_000), dcBatteryConfig("800v", 60), soc);
  p.k1 = true;
  p.k2 = true;
  p.on = true;
  p.setV = 900;
  p.setI = setI;
  p.energyTimeScale = o.k ?? 1;
  if (o.from !== undefined) p.realRateFromSoc = o.from;
  p.realRateRamps = o.ramps ?? false;
  let t = 0;
  for (const dt of steps) {
    t += dt;
    p.advance(t);
  }
  return p;
}

const figures = (p: DcPath) => [p.soc, p.energyWh, p.storedWh, p.lossesWh, p.i, p.chargingMs];

test("time scale 1: the real-rate options change nothing (the same figures, bit for bit)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 5, max: 90, noNaN: true }),
      fc.double({ min: 1, max: 400, noNaN: true }),
      fc.array(fc.integer({ min: 1, max: 2_000 }), { minLength: 1, maxLength: 30 }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      (soc, setI, steps, from) => {
        const plain = charge(soc, setI, steps);
        const opts = charge(soc, setI, steps, { from, ramps: true });
        assert.deepEqual(figures(opts), figures(plain));
        assert.equal(opts.scaledMs, 0);
      },
    ),
  );
});

test("time scale K: settled current moves K× the energy, a ramp its real energy, and no interval carries the SOC past the real-rate threshold at the scaled rate", () => {
  // one long settled interval: K× the energy of the unscaled one (ramp excluded)
  const real = charge(20, 100, [500, 10_000]);
  const scaled = charge(20, 100, [500, 10_000], { k: 10, ramps: true });
  const rampWh = charge(20, 100, [500]).storedWh; // 0 → 100 A at 200 A/s: 500 ms
  assert.ok(Math.abs(scaled.storedWh - (rampWh + 10 * (real.storedWh - rampWh))) < 1e-6 * scaled.storedWh);
  assert.ok(Math.abs(scaled.scaledMs - 10_000) < 1e-9, `${scaled.scaledMs} ms scaled`);
  fc.assert(
    fc.property(
      fc.double({ min: 10, max: 60, noNaN: true }),
      fc.double({ min: 0.2, max: 20, noNaN: true }),
      fc.integer({ min: 2, max: 100 }),
      fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 1, maxLength: 40 }),
      (soc, margin, k, steps) => {
        const from = soc + margin;
        const p = charge(soc, 300, steps, { k, from, ramps: true });
        // the SOC passes `from` by at most what the real rate adds over the steps after it
        const realAll = charge(soc, 300, steps).soc - soc;
        assert.ok(p.soc <= Math.max(from, soc) + realAll + 1e-9, `${p.soc} > ${from} + ${realAll}`);
        assert.ok(p.scaledMs <= p.chargingMs + 1e-9);
      },
    ),
  );
});
