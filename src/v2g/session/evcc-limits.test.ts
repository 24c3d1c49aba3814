/**
 * The EV's reading of the charger's declared limits and of the offered energy transfer modes, and the
 * SECC's FAILED_WrongChargeParameter for parameters it cannot serve.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { defaultSeccReadings } from "../ports/secc-ports.js";
import { createEvcc } from "./evcc.js";
import { checkChargerLimits, EV_STOP_CHARGER_LIMITS, requestedDcCurrentA } from "./evcc-limits.js";
import { chooseMode, type EvccState } from "./evcc-state.js";
import { ends, request, startSecc, through } from "./testing/drive-secc.js";

function evccWith(
  evse: Partial<EvccState["evse"]>,
  readings: Partial<EvccState["readings"]> = {},
): EvccState {
  const s = createEvcc();
  return { ...s, readings: { ...s.readings, ...readings }, evse: { ...s.evse, ...evse } };
}

test("a 500 V charger and an 800 V-class battery at 695 V: refused with a named reason", () => {
  const s = evccWith({ maxVoltageV: 500, maxCurrentA: 500, maxPowerW: 250_000 }, { batteryVoltageV: 695 });
  const v = checkChargerLimits(s);
  assert.equal(v.kind, "refuse");
  assert.ok(v.kind === "refuse" && v.detail.startsWith(`${EV_STOP_CHARGER_LIMITS}: `), JSON.stringify(v));
  assert.match(v.kind === "refuse" ? v.detail : "", /500 V is below the battery's 695 V/);
});

test("a charger declaring 40 V / 40 A cannot charge a 354 V battery: refused before PreCharge", () => {
  const s = evccWith({ maxVoltageV: 40, maxCurrentA: 40, maxPowerW: 1600 }, { batteryVoltageV: 354 });
  assert.equal(checkChargerLimits(s).kind, "refuse");
});

test("a smaller charger that can still charge: charge within its limits, said in a note", () => {
  const s = evccWith({ maxVoltageV: 500, maxCurrentA: 40, maxPowerW: 20_000 }, { batteryVoltageV: 354 });
  const v = checkChargerLimits(s);
  assert.equal(v.kind, "charge");
  assert.ok(v.kind === "charge" && v.notes.some((n) => /40 A/.test(n)));
  // The request never exceeds what the charger declared (current, and power at the present voltage).
  assert.ok(requestedDcCurrentA(s, 200) <= 40);
});

test("the EV's maximum voltage below the charger's minimum voltage: refused", () => {
  const s = evccWith(
    { maxVoltageV: 1000, minVoltageV: 200, maxCurrentA: 100, maxPowerW: 100_000 },
    {
      batteryVoltageV: 100,
      maxVoltageV: 150,
    },
  );
  assert.equal(checkChargerLimits(s).kind, "refuse");
});

test("property: the requested DC current never exceeds the declared current or power", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1, max: 1000, noNaN: true }),
      fc.double({ min: 1, max: 500_000, noNaN: true }),
      fc.double({ min: 0, max: 1000, noNaN: true }),
      fc.double({ min: 50, max: 1000, noNaN: true }),
      (maxA, maxW, bmsA, vb) => {
        const s = evccWith(
          { maxVoltageV: 1000, maxCurrentA: maxA, maxPowerW: maxW },
          { batteryVoltageV: vb },
        );
        const a = requestedDcCurrentA(s, bmsA);
        return a <= maxA + 1e-9 && a * vb <= maxW + 1e-6 && a <= bmsA + 1e-9;
      },
    ),
  );
});

test("a single-phase EV accepts a three-phase-only offer; other mismatches stay incompatible", () => {
  assert.equal(chooseMode("AC_single_phase_core", ["AC_three_phase_core"]), "AC_three_phase_core");
  assert.equal(
    chooseMode("AC_single_phase_core", ["AC_single_phase_core", "AC_three_phase_core"]),
    "AC_single_phase_core",
  );
  assert.equal(chooseMode("AC_three_phase_core", ["AC_single_phase_core"]), null);
  assert.equal(chooseMode("DC_extended", ["AC_three_phase_core"]), null);
});

for (const protocol of ["din", "iso2"] as const) {
  test(`${protocol} SECC: EV maximum voltage below the charger's minimum → FAILED_WrongChargeParameter, then end`, () => {
    const readings = defaultSeccReadings();
    const d = startSecc(
      protocol,
      { readings: { ...readings, dc: { ...readings.dc, minVoltageV: 200 } } },
      {
        readings: { ...createEvcc().readings, maxVoltageV: 150, batteryVoltageV: 120 },
      },
    );
    through(d, ["SessionSetup", "ServiceDiscovery", "PaymentSelection", "Authorization"]);
    const r = request(d, "ChargeParameterDiscovery");
    assert.equal(r?.body.ResponseCode, "FAILED_WrongChargeParameter");
    const end = ends(d)[0];
    assert.equal(end?.reason, "failed-response");
    assert.match(end?.detail ?? "", /EV maximum 150 V below the charger's minimum 200 V/);
  });
}
