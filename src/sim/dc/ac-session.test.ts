/**
 * ISO 15118-2 AC over high-level communication in the simulator: the same EVSE and EV controllers as DC,
 * the charger's pins on the mains relay, the EV's on-board charger (ISO 15118-2 §8.8.4 AC message sequence).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  SAFETY_CONTACTOR_OPEN_MAX_A,
  SAFETY_OFF_MAX_MS,
  SAFETY_UNLOCK_MAX_V,
} from "../../evse/safety/index.js";
import type { RecordEvent } from "../record/types.js";
import { DcSession, type DcSessionOptions } from "./session.js";

const base: DcSessionOptions = {
  batteryKwh: 60,
  socStart: 50,
  targetSoc: 51,
  chargerKw: 250,
  protocol: "iso2",
  seed: 3,
  energy: "ac",
};

test("ISO-2 AC session: ChargingStatus loop, target SOC reached, relay opened below 5 A, energy balance", () => {
  const rec: RecordEvent[] = [];
  const s = new DcSession({ ...base, onRecord: (e) => rec.push(e) });
  const r = s.run();
  assert.equal(r.mode, "ac");
  assert.equal(r.stopReason, "target SOC reached");
  assert.ok(r.socEnd >= 51 && r.socEnd < 51.1, `socEnd ${r.socEnd}`);
  assert.ok((r.messages.ChargingStatusReq ?? 0) > 100, JSON.stringify(r.messages));
  for (const m of ["CableCheckReq", "PreChargeReq", "CurrentDemandReq", "WeldingDetectionReq"])
    assert.equal(r.messages[m] ?? 0, 0, `${m} in an AC session`);
  for (const m of ["ChargeParameterDiscoveryReq", "PowerDeliveryReq", "SessionStopReq"])
    assert.ok((r.messages[m] ?? 0) >= 1, `${m} missing`);
  assert.deepEqual(r.safety, []);
  // 240 V × 48 A: the OBC draws what the EVSE offers, never more.
  assert.equal(r.outputPeak.currentA, 48);
  assert.ok(r.peakPowerW <= 240 * 48 + 1e-6, `peak ${r.peakPowerW}`);
  const battery = (r.batteryKwh * 1000 * (r.socEnd - r.socStart)) / 100;
  const err = Math.abs(r.energyDeliveredWh - r.lossesWh - battery) / battery;
  assert.ok(err < 1e-3, `balance ${err}`); // the summary rounds SOC to 1e-4 %
  assert.ok(r.lossesWh > 0.04 * r.energyDeliveredWh && r.lossesWh < 0.07 * r.energyDeliveredWh);
  const phases = rec.filter((e) => e.type === "phase").map((e) => e.phase);
  assert.deepEqual(phases, ["charging", "stopping", "ended"]);
  const opened = rec.find((e) => e.type === "log" && /contactors open command/.test(String(e.msg)));
  assert.ok(opened, "relay opened");
  const amps = Number(/at ([\d.]+) A/.exec(String(opened.msg))?.[1]);
  assert.ok(amps < SAFETY_CONTACTOR_OPEN_MAX_A, `relay opened at ${amps} A`);
  const unlock = rec.find((e) => e.type === "lock" && e.locked === false);
  assert.ok(unlock && Number(unlock.v) < SAFETY_UNLOCK_MAX_V, "unlocked below 60 V");
});

test("ISO-2 AC: the on-board charger draws at most EVSEMaxCurrent", () => {
  const r = new DcSession({ ...base, acMaxCurrentA: 32 }).run();
  assert.equal(r.stopReason, "target SOC reached");
  assert.equal(r.outputPeak.currentA, 32);
});

test("ISO-2 AC: emergency stop breaks the relay under load within 10 ms, the EV unlocks below 60 V", () => {
  const s = new DcSession({ ...base, targetSoc: 60 });
  s.sim.atPhase("charging", 5_000, "e-stop", (x) => x.inject("emergency-stop"));
  const r = s.run();
  assert.equal(r.stopReason, "emergency stop");
  const t = r.safety[0];
  assert.ok(t, "a trip");
  assert.equal(t.fault, "emergency-stop");
  assert.ok(t.contactorsOpenAtMs !== null && t.contactorsOpenAtMs - t.detectedAtMs <= SAFETY_OFF_MAX_MS);
  assert.equal(t.offAtMs, t.contactorsOpenAtMs, "with AC pins the relay is the output: off when it opens");

  assert.ok((t.currentAtOpenA ?? 0) > SAFETY_CONTACTOR_OPEN_MAX_A, "an AC relay breaks the load on a trip");
  assert.ok(t.voltageAtUnlockV !== null && t.voltageAtUnlockV < SAFETY_UNLOCK_MAX_V);
  assert.equal(s.sim.path.k1, false);
});

test("ISO-2 AC: the EV opening S2 under load (C→B at 48 A) trips the EVSE, which opens the relay", () => {
  const s = new DcSession({ ...base, targetSoc: 60 });
  s.sim.atPhase("charging", 5_000, "S2 opens under load", (x) =>
    x.world.evCommand({ kind: "s2", closed: false }),
  );
  const r = s.run();
  assert.equal(r.safety[0]?.fault, "ev-stop-cp", JSON.stringify(r.safety));
  assert.equal(s.sim.path.k1, false);
});
