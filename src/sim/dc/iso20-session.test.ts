/**
 * ISO 15118-20 DC in the simulator (SLAC, SDP, -20 DC EIM over the simulated link): one session per control
 * mode reaches the target SOC with the energy balance closed and no safety finding; a -20 EV at a charger
 * without -20 falls back to the best common protocol and charges.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDcSummary } from "./format.js";
import { parseDcScenarioObject } from "./scenario.js";
import { DcSession, type DcSessionOptions, runDcSession } from "./session.js";
import { balanceError } from "./v2g-test-support.js";

const base: DcSessionOptions = {
  batteryKwh: 75,
  socStart: 40,
  targetSoc: 50,
  chargerKw: 250,
  protocol: "iso20",
  seed: 1,
};

for (const control of ["scheduled", "dynamic"] as const) {
  test(`DC session iso20 ${control}: 40 → 50 %, target SOC reached, energy balance, safety list empty`, (t) => {
    const r = runDcSession({ ...base, control });
    assert.equal(r.stopReason, "target SOC reached");
    assert.equal(r.protocol, "iso20");
    assert.ok(r.socEnd >= 50 && r.socEnd < 50.5, `socEnd ${r.socEnd}`);
    assert.ok(balanceError(r) < 0.01, `balance ${balanceError(r)}`);
    assert.ok(r.peakPowerW > 100_000, `peak ${r.peakPowerW} W`);
    assert.deepEqual(r.safety, []);
    for (const m of [
      "AuthorizationSetupReq",
      "ScheduleExchangeReq",
      "DC_CableCheckReq",
      "DC_PreChargeReq",
      "DC_ChargeLoopReq",
      "DC_WeldingDetectionReq",
      "SessionStopRes",
    ])
      assert.ok((r.messages[m] ?? 0) > 0, `${m} in ${JSON.stringify(r.messages)}`);
    t.diagnostic(
      `iso20 ${control}: ${(r.energyDeliveredWh / 1000).toFixed(2)} kWh in ${r.durationS.toFixed(1)} s, peak ${(r.peakPowerW / 1000).toFixed(1)} kW, ${r.messages.DC_ChargeLoopReq} DC_ChargeLoopReq, balance error ${balanceError(r).toExponential(2)}`,
    );
  });
}

test("the simulated session runs in the control mode asked for (the SECC's selected parameter set)", () => {
  for (const control of ["scheduled", "dynamic"] as const) {
    const s = new DcSession({ ...base, control, targetSoc: 41 });
    assert.equal(s.run().stopReason, "target SOC reached");
    assert.equal(s.sim.ctl.evse.secc.iso20?.controlMode, control);
  }
});

for (const [offer, got] of [
  [["iso2", "din"], "iso2"],
  [["din"], "din"],
] as const) {
  test(`simulated -20 EV (iso20,iso2,din) at a ${offer.join(",")} charger falls back to ${got} and reaches the target`, () => {
    const r = runDcSession({
      ...base,
      evseConfig: { secc: { protocols: [...offer] } },
      evConfig: { evcc: { protocols: ["iso20", "iso2", "din"] } },
    });
    assert.equal(r.protocol, got);
    assert.equal(r.stopReason, "target SOC reached");
    assert.deepEqual(r.safety, []);
  });
}

test("summary table of a -20 session counts DC_ChargeLoopReq and shows its SECC processing time", () => {
  const r = runDcSession({ ...base, targetSoc: 41 });
  const table = formatDcSummary(r, "head");
  const n = r.messages.DC_ChargeLoopReq ?? 0;
  assert.ok(n > 0);
  assert.match(table, new RegExp(`V2G messages\\s+\\d+ \\(${n} DC_ChargeLoopReq\\)`));
  assert.match(table, /SECC processing\s+DC_ChargeLoop median/);
});

test("a scenario can ask for ISO 15118-20 and its control mode in its options", () => {
  const sc = parseDcScenarioObject({ options: { protocol: "iso20", control: "dynamic" } });
  assert.deepEqual(sc.options, { protocol: "iso20", control: "dynamic" });
  const s = new DcSession({ ...base, ...sc.options, targetSoc: 40.5 });
  const r = s.run();
  assert.equal(r.protocol, "iso20");
  assert.equal(s.sim.ctl.evse.secc.iso20?.controlMode, "dynamic");
  assert.throws(
    () => parseDcScenarioObject({ options: { control: "adaptive" } }),
    /scenario options\.control/,
  );
});
