import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  BATTERY_TAPER_START_SOC,
  chargeBattery,
  createBattery,
  energyBetweenWh,
  maxChargePowerW,
  taperFactor,
} from "./battery.js";

test("taper: full power up to the taper start, then non-increasing down to 100 %", () => {
  assert.equal(taperFactor(0), 1);
  assert.equal(taperFactor(BATTERY_TAPER_START_SOC), 1);
  assert.ok(taperFactor(90) < 1 && taperFactor(90) > 0);
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 100, noNaN: true }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(taperFactor(hi) <= taperFactor(lo));
      },
    ),
  );
  const b = createBattery({ capacityKwh: 75, maxChargeW: 10_000 }, 90);
  assert.equal(maxChargePowerW(b), 10_000 * taperFactor(90));
});

test("charging adds energy / capacity to SOC, capped at 100 %", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 10, max: 300, noNaN: true }),
      fc.double({ min: 0, max: 90, noNaN: true }),
      fc.double({ min: 0, max: 5000, noNaN: true }),
      (kwh, soc, wh) => {
        const cfg = { capacityKwh: kwh, maxChargeW: 11_000 };
        const after = chargeBattery(createBattery(cfg, soc), wh);
        const expect = Math.min(100, soc + (wh / (kwh * 1000)) * 100);
        assert.ok(Math.abs(after.soc - expect) < 1e-9);
        if (after.soc < 100) assert.ok(Math.abs(energyBetweenWh(cfg, soc, after.soc) - wh) < 1e-6);
      },
    ),
  );
});
