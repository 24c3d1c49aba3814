/**
 * ISO 15118-20 DC_BPT in the simulator: a bidirectional EV at a bidirectional charger gives energy back in
 * both control modes — negative net energy at the EVSE meter, the discharged energy counted, the SOC down to
 * the EV's minimum, the energy balance closed within 1 %, no safety finding — and switches direction during
 * the session; a bidirectional EV at a unidirectional charger (and the reverse) charges over plain DC.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ISO20_SERVICE } from "../../v2g/index.js";
import { formatDcSummary } from "./format.js";
import { parseDcScenarioObject } from "./scenario.js";
import { DcSession, type DcSessionOptions } from "./session.js";
import { balanceError } from "./v2g-test-support.js";

const base: DcSessionOptions = {
  batteryKwh: 75,
  socStart: 60,
  targetSoc: 70,
  minSoc: 55,
  chargerKw: 250,
  protocol: "iso20",
  service: "dc-bpt",
  seed: 1,
};

for (const control of ["scheduled", "dynamic"] as const) {
  test(`DC_BPT ${control}: 60 → 55 % (the EV's minimum), energy back to the grid, balance within 1 %, no safety finding`, (t) => {
    const s = new DcSession({ ...base, control });
    const r = s.run();
    assert.equal(r.stopReason, "minimum SOC reached");
    assert.equal(s.sim.ctl.evse.secc.iso20?.serviceId, ISO20_SERVICE.DC_BPT);
    assert.equal(s.sim.ctl.evse.secc.iso20?.controlMode, control);
    assert.ok(r.socEnd <= 55 && r.socEnd > 54.5, `socEnd ${r.socEnd}`);
    assert.ok(r.energyDeliveredWh < -3000, `net meter energy ${r.energyDeliveredWh} Wh`);
    assert.ok(
      Math.abs(r.energyDischargedWh + r.energyDeliveredWh) < 1,
      "all of it went back through the meter",
    );
    assert.ok(balanceError(r) < 0.01, `balance ${balanceError(r)}`);
    assert.ok(r.peakDischargePowerW > 100_000, `peak discharge ${r.peakDischargePowerW} W`);
    assert.deepEqual(r.safety, []);
    assert.match(formatDcSummary(r, "head"), /energy to grid\s+3\.\d\d kWh/);
    t.diagnostic(
      `DC_BPT ${control}: ${(r.energyDeliveredWh / 1000).toFixed(2)} kWh at the meter in ${r.durationS.toFixed(1)} s, peak discharge ${(r.peakDischargePowerW / 1000).toFixed(1)} kW, balance error ${balanceError(r).toExponential(2)}`,
    );
  });

  test(`DC_BPT ${control}: the EV charges first, then gives energy back once its BMS asks for discharge`, () => {
    const s = new DcSession({ ...base, control, discharge: false, targetSoc: 90 });
    // after 30 s of charging (about +2 % at 250 kW) the EV switches to discharge
    s.sim.at(40_000, "discharge", (x) => x.ctl.toEv({ kind: "discharge", requested: true, tMs: x.nowMs }));
    const r = s.run();
    assert.equal(r.stopReason, "minimum SOC reached");
    assert.ok(r.energyDischargedWh > 3000, `discharged ${r.energyDischargedWh} Wh`);
    // the meter saw energy in both directions: what went in is the net plus what came back
    assert.ok(r.energyDeliveredWh + r.energyDischargedWh > 1000, JSON.stringify(r.energyDeliveredWh));
    assert.ok(r.peakPowerW > 100_000 && r.peakDischargePowerW > 100_000);
    assert.ok(r.socEnd < 55.01, `socEnd ${r.socEnd}`);
    assert.ok(balanceError(r) < 0.01, `balance ${balanceError(r)}`);
    assert.deepEqual(r.safety, []);
  });
}

test("a bidirectional EV at a unidirectional charger selects DC (2) and charges to its target", () => {
  const s = new DcSession({ ...base, evseConfig: { secc: { bidirectional: false } } });
  const r = s.run();
  assert.equal(s.sim.ctl.evse.secc.iso20?.serviceId, ISO20_SERVICE.DC);
  assert.equal(r.stopReason, "target SOC reached");
  assert.equal(r.energyDischargedWh, 0);
});

test("a unidirectional EV at a bidirectional charger selects DC (2) and charges to its target", () => {
  const s = new DcSession({ ...base, service: "dc", evseConfig: { secc: { bidirectional: true } } });
  const r = s.run();
  assert.equal(s.sim.ctl.evse.secc.iso20?.serviceId, ISO20_SERVICE.DC);
  assert.equal(r.stopReason, "target SOC reached");
});

test("a scenario can ask for DC_BPT and the EV's minimum SOC in its options", () => {
  const sc = parseDcScenarioObject({ options: { protocol: "iso20", service: "dc-bpt", minSoc: 58 } });
  const s = new DcSession({ ...base, ...sc.options });
  const r = s.run();
  assert.equal(s.sim.ctl.evse.secc.iso20?.serviceId, ISO20_SERVICE.DC_BPT);
  assert.equal(r.stopReason, "minimum SOC reached");
  assert.ok(r.socEnd <= 58 && r.socEnd > 57.5, `socEnd ${r.socEnd}`);
  assert.throws(() => parseDcScenarioObject({ options: { service: "wpt" } }), /scenario options\.service/);
});
