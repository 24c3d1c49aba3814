import assert from "node:assert/strict";
import { test } from "node:test";
import {
  SAFETY_CONTACTOR_OPEN_MAX_A,
  SAFETY_OFF_MAX_MS,
  SAFETY_UNLOCK_MAX_V,
} from "../../evse/safety/index.js";
import type { RecordEvent } from "../record/types.js";
import { FAULT_NAMES, FAULTS } from "./faults.js";
import { DcSession, type DcSessionOptions, runDcSession } from "./session.js";

const base: DcSessionOptions = {
  batteryKwh: 75,
  socStart: 10,
  targetSoc: 80,
  chargerKw: 250,
  protocol: "iso2",
  seed: 1,
};

function balanceError(r: {
  batteryKwh: number;
  socEnd: number;
  socStart: number;
  energyDeliveredWh: number;
  lossesWh: number;
}) {
  const battery = (r.batteryKwh * 1000 * (r.socEnd - r.socStart)) / 100;
  return Math.abs(r.energyDeliveredWh - r.lossesWh - battery) / battery;
}

for (const protocol of ["iso2", "din"] as const) {
  test(`DC session ${protocol}: 10 → 80 % of 75 kWh at up to 250 kW, target SOC reached, energy balance`, () => {
    const rec: RecordEvent[] = [];
    const r = runDcSession({ ...base, protocol, onRecord: (e) => rec.push(e) });
    assert.equal(r.stopReason, "target SOC reached");
    assert.equal(r.protocol, protocol);
    assert.ok(r.socEnd >= 80 && r.socEnd < 80.5, `socEnd ${r.socEnd}`);
    assert.ok(balanceError(r) < 0.01, `balance ${balanceError(r)}`);
    assert.ok(r.lossesWh > 0 && r.lossesWh < 0.05 * r.energyDeliveredWh);
    assert.ok(r.peakPowerW > 240_000 && r.peakPowerW <= 250_000 * 1.001, `peak ${r.peakPowerW}`);
    assert.ok((r.messages.CurrentDemandReq ?? 0) > 1000);
    assert.equal(r.messages.CurrentDemandReq, r.messages.CurrentDemandRes);
    for (const m of ["CableCheckReq", "PreChargeReq", "WeldingDetectionReq", "SessionStopReq"])
      assert.ok((r.messages[m] ?? 0) >= 1, `${m} missing`);
    assert.deepEqual(r.safety, []);
    const phases = rec.filter((e) => e.type === "phase").map((e) => e.phase);
    assert.deepEqual(phases, ["cable-check", "pre-charge", "charging", "stopping", "ended"]);
    // EV unlocked only below 60 V, after the contactors opened
    const unlock = rec.find((e) => e.type === "lock" && e.locked === false);
    assert.ok(unlock, "inlet unlocked at the end");
    assert.ok(Number(unlock.v) < SAFETY_UNLOCK_MAX_V, `unlocked at ${unlock.v} V`);
  });
}

test("legacy: 400v EV on a 500 V charger charges (limits negotiate to the lower one)", () => {
  const r = runDcSession({ ...base, socStart: 50, targetSoc: 60, evClass: "400v", chargerVariant: "500v" });
  assert.equal(r.stopReason, "target SOC reached");
  assert.ok(r.peakPowerW < 400 * 420, `peak ${r.peakPowerW}: 400 A at ≈ 400 V`);
});

test("interlock: pins configured for AC ⇒ the EVSE never offers DC, nothing energised", () => {
  const session = new DcSession({ ...base, maxDurationS: 60 });
  (session.sim.ctl.evse as { interlock: { pins: string } }).interlock.pins = "ac";
  session.run();
  assert.equal(session.sim.path.k1, false);
  assert.equal(session.sim.ctl.evse.duty, 100);
  assert.equal(session.sim.path.energyWh, 0);
});

for (const name of FAULT_NAMES) {
  test(`fault ${name}: named stop reason; detection → off ≤ 10 ms; contactors open < 5 A; unlock < 60 V`, () => {
    const r = runDcSession({ ...base, fault: name });
    assert.equal(r.stopReason, FAULTS[name].stopReason);
    const trip = r.safety[0];
    assert.ok(trip, "the EVSE supervisor tripped");
    assert.ok(trip.offAtMs !== null, "output commanded off");
    assert.ok(
      trip.offAtMs - trip.detectedAtMs <= SAFETY_OFF_MAX_MS,
      `off ${trip.offAtMs - trip.detectedAtMs} ms`,
    );
    assert.ok(trip.injectedAtMs !== null && trip.detectedAtMs >= trip.injectedAtMs);
    if (trip.currentAtOpenA !== null) assert.ok(trip.currentAtOpenA < SAFETY_CONTACTOR_OPEN_MAX_A);
    if (name !== "ev-unresponsive") {
      assert.ok(trip.voltageAtUnlockV !== null, "EV unlocked");
      assert.ok(trip.voltageAtUnlockV < SAFETY_UNLOCK_MAX_V, `unlock at ${trip.voltageAtUnlockV} V`);
    }
    assert.ok(balanceError({ ...r, socEnd: r.socEnd + 1e-9 }) < 0.01 || r.socEnd === r.socStart);
  });
}
