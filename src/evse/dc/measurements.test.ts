/** Output measurements reach the SECC before its next event, not with every reading. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { evseDcConfig, initialEvseDc, powerModuleConfig, stepEvseDc } from "./index.js";

const cfg = evseDcConfig({
  pins: "dc",
  module: powerModuleConfig("1000v", 250_000),
  slac: { mac: new Uint8Array(6), random: (n) => new Uint8Array(n) },
});

test("measurements: a reading leaves the SECC's state untouched; its next event sees the latest reading", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          voltageV: fc.double({ min: 0, max: 1000, noNaN: true }),
          currentA: fc.double({ min: 0, max: 500, noNaN: true }),
          energyWh: fc.double({ min: 0, max: 1e6, noNaN: true }),
        }),
        { minLength: 1, maxLength: 20 },
      ),
      (readings) => {
        let s = initialEvseDc(cfg);
        const secc0 = s.secc;
        readings.forEach((m, i) => {
          [s] = stepEvseDc(s, { kind: "measure", m, tMs: i + 1 });
        });
        assert.equal(s.secc, secc0, "no copy of the SECC's state per reading");
        assert.equal(s.measPending, true);
        [s] = stepEvseDc(s, { kind: "v2g-connected", tMs: 100 });
        const last = readings[readings.length - 1]!;
        assert.equal(s.measPending, false);
        assert.equal(s.secc.readings.presentVoltageV, last.voltageV);
        assert.equal(s.secc.readings.presentCurrentA, last.currentA);
        assert.equal(s.secc.readings.energyWh, last.energyWh);
      },
    ),
    { numRuns: 50 },
  );
});
