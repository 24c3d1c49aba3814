import assert from "node:assert/strict";
import { test } from "node:test";
import {
  SAFETY_CONTACTOR_OPEN_MAX_A,
  SAFETY_OFF_MAX_MS,
  SAFETY_UNLOCK_MAX_V,
} from "../../evse/safety/index.js";
import { EVCC_WELDING_MAX_REQUESTS } from "../../v2g/index.js";
import type { RecordEvent } from "../record/types.js";
import { FAULT_NAMES, FAULTS, type FaultName, PNC_FAULTS } from "./faults.js";
import { DcSession, type DcSessionOptions, type DcSessionSummary, runDcSession } from "./session.js";
import { balanceError } from "./v2g-test-support.js";

const base: DcSessionOptions = {
  batteryKwh: 75,
  socStart: 10,
  targetSoc: 80,
  chargerKw: 250,
  protocol: "iso2",
  seed: 1,
};

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

test("interlock: pins wired to the AC supply ⇒ a DC EV is refused, nothing energised", () => {
  const session = new DcSession({ ...base, energy: "ac", evEnergy: "dc", maxDurationS: 60 });
  const r = session.run();
  assert.match(r.stopReason, /AC_single_phase_core.*DC_extended|incompatible/);
  assert.equal(session.sim.ctl.evse.interlock.energised, null);
  assert.equal(session.sim.path.k1, false, "relay never closed");
  assert.equal(session.sim.path.energyWh, 0);
});

test("interlock: pins wired to the power module ⇒ an AC EV is refused, nothing energised", () => {
  const session = new DcSession({ ...base, evEnergy: "ac", maxDurationS: 60 });
  const r = session.run();
  assert.match(r.stopReason, /DC_extended.*AC_single_phase_core|incompatible/);
  assert.equal(session.sim.path.k1, false, "contactors never closed");
  assert.equal(session.sim.path.energyWh, 0);
});

test("interlock: the EVSE refuses to energise a path its pins are not wired to (trip, named)", () => {
  const session = new DcSession({ ...base, maxDurationS: 60 });
  // Pins rewired to nothing behind the controller's back, after the DC session was offered.
  session.sim.atPhase("cable-check", 0, "rewire", (s) => {
    (s.ctl.evse as { interlock: { pins: string } }).interlock.pins = "ac";
  });
  const r = session.run();
  assert.equal(session.sim.path.energyWh, 0);
  assert.ok(r.safety.some((t) => t.fault === "interlock") || /interlock/.test(r.stopReason), r.stopReason);
});

/** Per-fault checks of the expected safe outcome beyond the common ones. */
const EXTRA: Partial<Record<FaultName, (r: DcSessionSummary, s: DcSession) => void>> = {
  "missing-diode": (r, s) => {
    assert.equal(r.energyDeliveredWh, 0, "nothing delivered");
    assert.equal(r.outputPeak.voltageV, 0, "output never energised");
    assert.equal(s.sim.path.k1, false);
  },
  "precharge-mismatch": (r, s) => {
    assert.equal(r.energyDeliveredWh, 0);
    assert.ok((r.messages.PreChargeReq ?? 0) > 10, "EV kept asking for pre-charge");
    assert.equal(r.messages.PowerDeliveryReq ?? 0, 0, "never started");
    assert.equal(s.sim.path.k2, false, "EV contactors never closed");
  },
  "welded-contactor": (r, s) => {
    assert.equal(s.sim.lock.locked, true, "inlet stays locked");
    assert.ok(s.sim.path.inletVoltageV > SAFETY_UNLOCK_MAX_V, "inlet still live");
    assert.ok((r.messages.WeldingDetectionReq ?? 0) >= EVCC_WELDING_MAX_REQUESTS);
    assert.equal(s.sim.path.k1, false, "EVSE contactors open");
    assert.equal(s.sim.ctl.ev.contactorsCmd, false);
  },
  "ev-over-limit": (r, s) => {
    const m = s.sim.cfg.evse.module;
    assert.ok(r.limitsAchieved.current && r.limitsAchieved.voltage, JSON.stringify(r.limitsAchieved));
    assert.ok(r.outputPeak.currentA <= m.maxCurrentA, `peak ${r.outputPeak.currentA} A`);
    assert.ok(r.outputPeak.voltageV <= m.maxVoltageV, `peak ${r.outputPeak.voltageV} V`);
    assert.deepEqual(r.safety, []);
  },
  "malformed-message": (r) => {
    assert.match(r.safety[0]?.detail ?? "", /decode-error/);
  },
  "tcp-drop": (r) => {
    assert.match(r.safety[0]?.detail ?? "", /peer-closed/);
  },
  "emergency-stop": (r) => {
    assert.match(r.safety[0]?.detail ?? "", /button/);
  },
};

// the Plug & Charge faults need a PnC PKI: pnc-session.test.ts
for (const name of FAULT_NAMES.filter((n) => !PNC_FAULTS.includes(n))) {
  const spec = FAULTS[name];
  test(`fault ${name}: "${spec.stopReason}"; ${spec.trips ? "detection → off ≤ 10 ms; contactors open < 5 A; unlock < 60 V" : spec.outcome}`, () => {
    const s = new DcSession({ ...base, fault: name });
    const r = s.run();
    assert.equal(r.stopReason, spec.stopReason);
    EXTRA[name]?.(r, s);
    if (!spec.trips) return;
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

function replug(name: FaultName, release: boolean) {
  const s = new DcSession({ ...base, fault: name });
  const sim = s.sim;
  sim.at(40_000, "press button", (x) => x.pressButton(true));
  sim.at(41_000, "unplug", (x) => x.unplug());
  if (release) sim.at(45_000, "operator reset", (x) => x.releaseEmergencyStop());
  sim.at(50_000, "plug in again", (x) => x.plugIn());
  sim.runUntil(50_000);
  const before = { wh: sim.path.energyWh, cd: sim.ctl.messages.CurrentDemandReq ?? 0 };
  sim.runUntil(120_000);
  return { s, before };
}

test("safetyReset: after an over-current trip and unplug, the EVSE serves a second plug-in", () => {
  const { s, before } = replug("over-current", false);
  const sim = s.sim;
  assert.equal(sim.trips.length, 1, "one trip, none on the second session");
  assert.equal(sim.ctl.evse.safety.trip, null, "trip cleared on unplug");
  assert.ok((sim.ctl.messages.CurrentDemandReq ?? 0) > before.cd + 100, "second charge loop ran");
  assert.ok(
    sim.path.energyWh - before.wh > 1000,
    `second session delivered ${sim.path.energyWh - before.wh} Wh`,
  );
});

test("safetyReset: the emergency stop latches across unplug until the operator releases it", () => {
  const latched = replug("emergency-stop", false).s.sim;
  assert.equal(latched.ctl.evse.safety.trip?.fault, "emergency-stop");
  assert.equal(latched.ctl.evse.duty, 100, "no 5 % PWM offered while latched");
  const released = replug("emergency-stop", true).s.sim;
  assert.equal(released.ctl.evse.safety.trip, null);
  assert.ok((released.ctl.messages.CurrentDemandReq ?? 0) > 200);
});
