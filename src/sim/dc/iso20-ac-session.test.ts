/**
 * ISO 15118-20 AC and AC_BPT in the simulator (SLAC, SDP, -20 EIM over the simulated link, the charger's pins
 * on the mains relay, the EV's on-board charger): per service and control mode the session ends where it
 * should (target SOC charging, minimum SOC discharging) with the energy balance closed, the relay opened below
 * 5 A and no safety finding; a discharge runs the EVSE meter backwards; pause and resume of an AC session.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SAFETY_CONTACTOR_OPEN_MAX_A } from "../../evse/safety/index.js";
import { ISO20_AC_REQUEST_FLOW } from "../../v2g/session/testing/iso20-flows.js";
import type { RecordEvent } from "../record/types.js";
import { DcSession, type DcSessionOptions, type DcSessionSummary } from "./session.js";
import { inOrder, namesFrom, runFlow } from "./v2g-test-support.js";

const base: DcSessionOptions = {
  batteryKwh: 60,
  socStart: 50,
  targetSoc: 51,
  chargerKw: 250,
  protocol: "iso20",
  seed: 3,
};

const AC_SEQUENCE = ISO20_AC_REQUEST_FLOW;

/** |delivered − losses − stored| / |stored| (stored from the SOC change; negative when discharging). */
function balanceError(r: DcSessionSummary): number {
  const battery = (r.batteryKwh * 1000 * (r.socEnd - r.socStart)) / 100;
  return Math.abs(r.energyDeliveredWh - r.lossesWh - battery) / Math.abs(battery);
}

/** The current at which the EVSE relay was commanded open (A). */
function relayOpenA(rec: RecordEvent[]): number {
  const opened = rec.find((e) => e.type === "log" && /contactors open command/.test(String(e.msg)));
  assert.ok(opened, "relay opened");
  return Number(/at (-?[\d.]+) A/.exec(String(opened.msg))?.[1]);
}

function run(o: Partial<DcSessionOptions>): { r: DcSessionSummary; rec: RecordEvent[] } {
  const rec: RecordEvent[] = [];
  const r = new DcSession({ ...base, ...o, onRecord: (e) => rec.push(e) }).run();
  return { r, rec };
}

for (const control of ["scheduled", "dynamic"] as const) {
  test(`iso20 AC ${control}: 50 → 51 %, target SOC reached, AC_* only, energy balance, relay below 5 A, no safety finding`, (t) => {
    const { r, rec } = run({ service: "ac", control });
    assert.equal(r.stopReason, "target SOC reached");
    assert.equal(r.protocol, "iso20");
    assert.equal(r.mode, "ac");
    assert.ok(r.socEnd >= 51 && r.socEnd < 51.1, `socEnd ${r.socEnd}`);
    assert.ok(balanceError(r) < 0.01, `balance ${balanceError(r)}`);
    assert.deepEqual(r.safety, []);
    assert.equal(r.energyDischargedWh, 0, "nothing fed back without BPT");
    for (const m of [
      "DC_ChargeParameterDiscoveryReq",
      "DC_CableCheckReq",
      "DC_PreChargeReq",
      "DC_ChargeLoopReq",
    ])
      assert.equal(r.messages[m] ?? 0, 0, `${m} in an AC session`);
    assert.ok((r.messages.AC_ChargeLoopReq ?? 0) > 100, JSON.stringify(r.messages));
    // min(EVSE 240 V × 48 A, the EV's 48 A on-board charger)
    assert.equal(r.outputPeak.currentA, 48);
    assert.ok(Math.abs(relayOpenA(rec)) < SAFETY_CONTACTOR_OPEN_MAX_A);
    t.diagnostic(
      `iso20 AC ${control}: ${r.energyDeliveredWh.toFixed(0)} Wh in ${r.durationS.toFixed(1)} s, ${r.messages.AC_ChargeLoopReq} AC_ChargeLoopReq, losses ${r.lossesWh.toFixed(1)} Wh, balance error ${balanceError(r).toExponential(2)}`,
    );
  });
}

for (const control of ["scheduled", "dynamic"] as const) {
  test(`iso20 AC_BPT ${control}: discharge 31 → 30 % (the minimum SOC), meter negative, export counted, energy balance`, (t) => {
    const { r, rec } = run({ service: "ac-bpt", control, socStart: 31, minSoc: 30 });
    assert.equal(r.stopReason, "minimum SOC reached");
    assert.equal(r.mode, "ac");
    assert.ok(r.socEnd < r.socStart, "the SOC falls");
    assert.ok(r.socEnd <= 30.01 && r.socEnd > 29.9, `socEnd ${r.socEnd}`);
    assert.ok(r.energyDeliveredWh < 0, `meter ${r.energyDeliveredWh} Wh`);
    assert.ok((r.energyDischargedWh ?? 0) > 0);
    assert.ok(Math.abs(r.energyDeliveredWh + (r.energyDischargedWh ?? 0)) < 1, "all export, no import");
    // energy at the meter = −(energy out of the battery − losses)
    const outOfBattery = (-(r.socEnd - r.socStart) / 100) * r.batteryKwh * 1000;
    assert.ok(Math.abs(-r.energyDeliveredWh - (outOfBattery - r.lossesWh)) / outOfBattery < 0.01);
    assert.ok(balanceError(r) < 0.01, `balance ${balanceError(r)}`);
    assert.ok(r.lossesWh > 0);
    assert.deepEqual(r.safety, []);
    // AC_BPT 11 kW supply, the EV's 48 A × 240 V = 11.52 kW: 11 kW / 240 V fed back
    assert.ok(
      Math.abs(r.outputPeak.dischargeCurrentA - 11_000 / 240) < 0.2,
      `peak fed back ${r.outputPeak.dischargeCurrentA} A`,
    );
    assert.ok(Math.abs(relayOpenA(rec)) < SAFETY_CONTACTOR_OPEN_MAX_A);
    t.diagnostic(
      `iso20 AC_BPT ${control}: ${r.energyDeliveredWh.toFixed(0)} Wh at the meter (${r.energyDischargedWh?.toFixed(0)} Wh exported) in ${r.durationS.toFixed(1)} s, losses ${r.lossesWh.toFixed(1)} Wh, balance error ${balanceError(r).toExponential(2)}`,
    );
  });
}

test("iso20 AC_BPT without a discharge request charges (Charge channel) to the target SOC", () => {
  const { r } = run({ service: "ac-bpt", discharge: false });
  assert.equal(r.stopReason, "target SOC reached");
  assert.ok(r.energyDeliveredWh > 0);
  assert.equal(r.energyDischargedWh, 0);
});

test("iso20 AC pause and resume: SessionStop(Pause), OK_OldSessionJoined, AC_ChargeParameterDiscovery, charging to the target", () => {
  const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString("hex") : null);
  let pausedId: string | null = null;
  const f = runFlow({ ...base, service: "ac", socStart: 70, targetSoc: 70.3 }, (sim) => {
    sim.atPhase("charging", 2_000, "pause", (s) => s.ctl.toEv({ kind: "pause", tMs: s.nowMs }));
    sim.atPhase("charging", 5_000, "resume", (s) => {
      pausedId = hex(s.ctl.evse.secc.paused?.sessionId ?? null);
      s.ctl.toEv({ kind: "resume", tMs: s.nowMs });
    });
  });
  assert.equal(f.summary.stopReason, "target SOC reached");
  assert.ok(pausedId, "the SECC kept the paused session");
  assert.equal(f.sim.ctl.ev.evcc.resumed, true, "OK_OldSessionJoined");
  assert.equal(hex(f.sim.ctl.evse.secc.sessionId), pausedId, "same SessionID");
  const sent = namesFrom(f, "ev");
  const second = sent.slice(sent.lastIndexOf("SessionSetupReq"));
  assert.ok(
    inOrder(second, ["SessionSetupReq", ...AC_SEQUENCE.slice(7)]),
    `after the resume: ${second.slice(0, 8).join(",")}`,
  );
  assert.ok(
    !second.includes("AuthorizationSetupReq"),
    "a resumed session skips authorization (ISO 15118-20 [V2G20-1032], [V2G20-1844])",
  );
  assert.equal(sent.filter((n) => n === "SessionStopReq").length, 2);
  assert.deepEqual(f.summary.safety, []);
});

test("iso20 AC: the whole -20 AC message sequence", () => {
  const f = runFlow({ ...base, service: "ac", socStart: 79, targetSoc: 79.2 });
  assert.ok(inOrder(namesFrom(f, "ev"), AC_SEQUENCE), namesFrom(f, "ev").slice(0, 14).join(","));
});
