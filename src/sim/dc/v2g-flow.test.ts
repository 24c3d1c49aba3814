/**
 * Whole V2G sessions between the EVSE and EV controllers on the simulated hardware, every message through
 * the EXI codecs and V2GTP framing: the DIN 70121 / ISO 15118-2 DC sequence, PreCharge matching, ISO-2 AC
 * with MeteringReceipt, ISO-2 pause and resume with the same SessionID, EVSENotification StopCharging.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PRECHARGE_TOLERANCE_IEC_V } from "../../v2g/index.js";
import { inOrder, namesFrom, runFlow, sentAt } from "./v2g-test-support.js";

const DC_SEQUENCE = (protocol: "din" | "iso2") => [
  "supportedAppProtocolReq",
  "SessionSetupReq",
  "ServiceDiscoveryReq",
  protocol === "din" ? "ServicePaymentSelectionReq" : "PaymentServiceSelectionReq",
  protocol === "din" ? "ContractAuthenticationReq" : "AuthorizationReq",
  "ChargeParameterDiscoveryReq",
  "CableCheckReq",
  "PreChargeReq",
  "PowerDeliveryReq",
  "CurrentDemandReq",
  "PowerDeliveryReq",
  "WeldingDetectionReq",
  "SessionStopReq",
];

for (const protocol of ["din", "iso2"] as const) {
  test(`${protocol} DC: the whole message sequence, CableCheck Ongoing while the isolation test runs`, () => {
    const r = runFlow({ protocol });
    assert.equal(r.summary.stopReason, "target SOC reached");
    const sent = namesFrom(r, "ev");
    assert.ok(inOrder(sent, DC_SEQUENCE(protocol)), sent.slice(0, 20).join(","));
    // The isolation test takes IMD_TEST_MS (2 s); CableCheck is asked again every 200 ms meanwhile.
    const cc = sent.filter((n) => n === "CableCheckReq").length;
    assert.ok(cc >= 2_000 / 200 - 1, `CableCheckReq count ${cc}`);
    assert.ok(r.summary.energyDeliveredWh > 0 && r.summary.socEnd > 79);
    assert.equal(r.sim.ctl.ev.contactorsCmd, false);
    assert.equal(r.sim.ctl.ev.s2, false);
    assert.equal(r.sim.ctl.ev.evcc.contactors, "open");
  });
}

test("PreCharge: the EV closes its contactors only once the EVSE output is within tolerance of the battery", () => {
  let firstPreChargeResV: number | null = null;
  let atClose: { evseV: number; batteryV: number; preChargeRes: number } | null = null;
  let preChargeRes = 0;
  runFlow({ protocol: "iso2" }, (sim) => {
    const record = sim.cfg.onRecord;
    sim.cfg.onRecord = (e) => {
      record?.(e);
      if (e.type === "msg" && e.name === "PreChargeRes") {
        preChargeRes++;
        firstPreChargeResV ??= sim.ctl.evse.meas.voltageV;
      }
      if (e.type === "contactor" && e.side === "ev" && e.closed === true && !atClose)
        atClose = { evseV: sim.ctl.evse.meas.voltageV, batteryV: sim.ctl.ev.batteryVoltageV, preChargeRes };
    };
  });
  assert.ok(atClose, "EV contactors closed");
  const c = atClose as { evseV: number; batteryV: number; preChargeRes: number };
  assert.ok(c.preChargeRes >= 2, `several PreCharge rounds while the module ramps (${c.preChargeRes})`);
  assert.ok(
    Math.abs((firstPreChargeResV ?? 0) - c.batteryV) >= PRECHARGE_TOLERANCE_IEC_V,
    `first PreChargeRes at ${firstPreChargeResV} V vs battery ${c.batteryV} V`,
  );
  assert.ok(
    Math.abs(c.evseV - c.batteryV) < PRECHARGE_TOLERANCE_IEC_V,
    `closed at ${c.evseV} V vs battery ${c.batteryV} V`,
  );
});

test("ISO-2 AC: ChargeParameterDiscovery, PowerDelivery, ChargingStatus + MeteringReceipt loop, stop; relay after S2", () => {
  const r = runFlow({
    energy: "ac",
    socStart: 50,
    targetSoc: 50.05,
    evseConfig: { secc: { receiptRequired: true } },
  });
  assert.equal(r.summary.stopReason, "target SOC reached");
  const sent = namesFrom(r, "ev");
  const seq = ["ChargeParameterDiscoveryReq", "PowerDeliveryReq", "ChargingStatusReq", "MeteringReceiptReq"];
  assert.ok(
    inOrder(sent, [...seq, "ChargingStatusReq", "PowerDeliveryReq", "SessionStopReq"]),
    sent.join(","),
  );
  assert.ok(!sent.includes("CableCheckReq"));
  // The EVSE closed its relay only after the EV closed S2 (CP C), and opened it at the stop.
  const t = (type: string, f: (e: Record<string, unknown>) => boolean) =>
    Math.round(Number(r.records.find((e) => e.type === type && f(e))?.t) * 1000);
  const s2 = t("s2", (e) => e.closed === true);
  const relayClosed = t("contactor", (e) => e.side === "evse" && e.closed === true);
  const relayOpened = t("contactor", (e) => e.side === "evse" && e.closed === false);
  assert.ok(relayClosed > s2, `relay closed at ${relayClosed} ms, S2 at ${s2} ms`);
  assert.ok(relayOpened > sentAt(r, "PowerDeliveryReq", "last"));
});

test("ISO-2 pause and resume: SessionStop(Pause), SDP again, OK_OldSessionJoined with the same SessionID", () => {
  let pausedId: string | null = null;
  const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString("hex") : null);
  const r = runFlow({ socStart: 70, targetSoc: 70.3 }, (sim) => {
    sim.atPhase("charging", 2_000, "pause", (s) => {
      s.ctl.toEv({ kind: "pause", tMs: s.nowMs });
    });
    sim.atPhase("charging", 5_000, "resume", (s) => {
      pausedId = hex(s.ctl.evse.secc.paused?.sessionId ?? null);
      s.ctl.toEv({ kind: "resume", tMs: s.nowMs });
    });
  });
  assert.equal(r.summary.stopReason, "target SOC reached");
  assert.ok(pausedId, "the SECC kept the paused session");
  const setups = r.sent.filter((m) => m.name === "SessionSetupReq").length;
  assert.equal(setups, 2, "a second SessionSetup after the resume");
  assert.equal(r.sim.ctl.ev.evcc.resumed, true, "OK_OldSessionJoined");
  assert.equal(hex(r.sim.ctl.evse.secc.sessionId), pausedId, "same SessionID");
  const stops = r.sent.filter((m) => m.name === "SessionStopReq").length;
  assert.equal(stops, 2, "SessionStop(Pause), later SessionStop(Terminate)");
});

test("ISO-20 pause and resume through the EV controller: OK_OldSessionJoined, DC_ChargeParameterDiscovery next, the DC decision still sees DC, charging again", () => {
  const r = runFlow({ protocol: "iso20", socStart: 70, targetSoc: 70.3 }, (sim) => {
    sim.atPhase("charging", 2_000, "pause", (s) => {
      s.ctl.toEv({ kind: "pause", tMs: s.nowMs });
    });
    sim.atPhase("charging", 5_000, "resume", (s) => {
      s.ctl.toEv({ kind: "resume", tMs: s.nowMs });
    });
  });
  assert.equal(r.summary.stopReason, "target SOC reached");
  assert.equal(r.sim.ctl.ev.evcc.resumed, true, "OK_OldSessionJoined");
  const sent = namesFrom(r, "ev");
  const second = sent.lastIndexOf("SessionSetupReq");
  assert.ok(second > sent.indexOf("SessionSetupReq"), "a second SessionSetup");
  // ISO 15118-20 resume ([V2G20-1032], [V2G20-1844]): the resumed session goes on at
  // DC_ChargeParameterDiscovery, then charges again
  assert.equal(sent[second + 1], "DC_ChargeParameterDiscoveryReq", sent.slice(second).join(","));
  assert.ok(sent.slice(second).includes("DC_ChargeLoopReq"), sent.slice(second).join(","));
  assert.deepEqual(r.summary.safety, []);
});

test("EVSENotification StopCharging: the EV stops within NotificationMaxDelay", () => {
  let askedAt = 0;
  const r = runFlow(
    { protocol: "din", socStart: 50, targetSoc: 60, evseConfig: { secc: { notificationMaxDelayS: 2 } } },
    (sim) =>
      sim.atPhase("charging", 3_000, "stop charging", (s) => {
        askedAt = s.nowMs;
        s.ctl.toEvse({ kind: "stop-charging", tMs: s.nowMs });
      }),
  );
  const stopPd = sentAt(r, "PowerDeliveryReq", "last");
  assert.ok(
    stopPd >= askedAt && stopPd <= askedAt + 2_000,
    `PowerDelivery(stop) ${stopPd - askedAt} ms after`,
  );
  assert.ok(r.summary.socEnd < 60, "stopped before the target");
  assert.deepEqual(r.summary.safety, []);
});

test("emergency stop while charging: output off at once, the EV hears EVSE_EmergencyShutdown and winds down", () => {
  let trippedAt = 0;
  const r = runFlow({ protocol: "iso2", socStart: 50, targetSoc: 60 }, (sim) =>
    sim.atPhase("charging", 3_000, "e-stop", (s) => {
      trippedAt = s.nowMs;
      s.inject("emergency-stop");
    }),
  );
  assert.equal(r.summary.stopReason, "emergency stop");
  const t = r.summary.safety[0];
  assert.ok(t && t.offAtMs !== null && t.offAtMs - t.detectedAtMs <= 10, JSON.stringify(t));
  const after = r.sent.filter((m) => m.tMs > trippedAt).map((m) => m.name);
  // The next CurrentDemandRes carries EVSE_EmergencyShutdown; the EV stops, checks welding, ends the session.
  assert.ok(
    inOrder(after, ["CurrentDemandRes", "PowerDeliveryReq", "SessionStopReq", "SessionStopRes"]),
    after.join(","),
  );
  assert.equal(r.sim.ctl.ev.evcc.evse.statusCode, "EVSE_EmergencyShutdown");
  assert.ok(!r.records.some((e) => e.type === "log" && /communication loss/.test(String(e.msg))));
  assert.equal(r.sim.path.k1, false);
});
