import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { bmsTargetCurrentA, dcBatteryConfig, packOcvV, packTerminalV, socAfter } from "./battery.js";

test("classes: 400v pack ≤ 500 V limit (legacy charger), 800v pack needs a 1000 V charger", () => {
  assert.ok(dcBatteryConfig("400v").maxVoltageV <= 500);
  const b = dcBatteryConfig("800v");
  assert.ok(b.maxVoltageV > 500 && b.maxVoltageV <= 1000);
  assert.equal(bmsTargetCurrentA(b, 100), 0);
});

test("property: OCV rises with SOC; BMS current within current, voltage and power limits", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("400v" as const, "800v" as const),
      fc.double({ min: 0, max: 99.9, noNaN: true }),
      fc.double({ min: 0, max: 0.1, noNaN: true }),
      (cls, soc, d) => {
        const b = dcBatteryConfig(cls, 75);
        assert.ok(packOcvV(b, soc + d) >= packOcvV(b, soc));
        const i = bmsTargetCurrentA(b, soc);
        assert.ok(i >= 0 && i <= b.maxCurrentA + 1e-9);
        assert.ok(packTerminalV(b, soc, i) <= b.maxVoltageV + 1e-6);
        assert.ok(packTerminalV(b, soc, i) * i <= b.maxPowerW * (1 + 1e-9));
      },
    ),
    { numRuns: 300 },
  );
});

test("SOC moves by stored energy over capacity", () => {
  const b = dcBatteryConfig("800v", 75);
  assert.equal(socAfter(b, 10, 7500), 20);
  assert.equal(socAfter(b, 99, 7500), 100);
});
