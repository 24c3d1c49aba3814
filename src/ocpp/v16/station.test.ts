/**
 * The OCPP 1.6J charge-point machine: boot, Authorize, StartTransaction with the CSMS's transactionId,
 * MeterValues, StopTransaction (meterStop, reason, transactionData), statuses, remote start / stop,
 * configuration keys, Reset, TriggerMessage, charging profiles (A × V), the offline queue; every CALL and
 * reply checked against the official OCPP 1.6 JSON schemas (ocpp-rpc's validators), also for random runs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ocpp16StopReason } from "../stop-reasons.js";
import type { StopCause } from "../types.js";
import { toProfile201 } from "./profiles.js";
import { STATION_ACTIONS_16 } from "./requests.js";
import { answer, Harness, running, T0, valid } from "./testing/harness.js";

test("1.6: boot, Authorize, StartTransaction (meterStart), MeterValues with the CSMS's transactionId, StopTransaction", () => {
  const h = running();
  assert.deepEqual(h.calls("BootNotification")[0], {
    chargePointVendor: "nacs",
    chargePointModel: "sim",
    chargePointSerialNumber: "SIM-1",
  });
  assert.deepEqual(h.calls("Authorize"), [{ idTag: "TAG-1" }]);
  const start = h.calls("StartTransaction")[0]!;
  assert.equal(start.meterStart, 1000);
  assert.equal(start.idTag, "TAG-1");
  assert.equal(h.s.tx?.transactionId, 42);
  const begin = h.calls("MeterValues")[0]!;
  assert.equal(begin.transactionId, 42, "the CSMS's transactionId filled in");
  const sv = (begin.meterValue as { sampledValue: Record<string, unknown>[] }[])[0]!.sampledValue;
  assert.deepEqual(sv[0], {
    value: "1000.4",
    context: "Transaction.Begin",
    measurand: "Energy.Active.Import.Register",
    unit: "Wh",
  });
  h.step({ kind: "charging", state: "Charging", tMs: T0 + 2000 });
  for (let i = 1; i <= 4; i++) {
    const tMs = T0 + 2000 + i * 30_000;
    h.step({
      kind: "meter",
      reading: { energyWh: 1000 + i * 500, powerW: 100_000, socPercent: 20 + i },
      tMs,
    });
    h.step({ kind: "tick", tMs });
  }
  const periodic = h.calls("MeterValues").slice(1);
  assert.equal(periodic.length, 2, "every 60 s");
  const soc = (periodic[0]!.meterValue as { sampledValue: Record<string, unknown>[] }[])[0]!.sampledValue[2]!;
  assert.equal(soc.measurand, "SoC");
  assert.equal(soc.unit, "Percent");
  h.step({ kind: "session-end", cause: { kind: "ev", reason: "target SOC reached" }, tMs: T0 + 200_000 });
  const stop = h.calls("StopTransaction")[0]!;
  assert.equal(stop.transactionId, 42);
  assert.equal(stop.meterStop, 3000);
  assert.equal(stop.reason, "Local");
  const data = stop.transactionData as { sampledValue: { context: string }[] }[];
  assert.deepEqual(
    data.map((d) => d.sampledValue[0]!.context),
    ["Transaction.Begin", "Transaction.End"],
  );
  h.step({ kind: "unplugged", tMs: T0 + 210_000 });
  assert.deepEqual(h.statuses(), ["Available", "Preparing", "Charging", "Finishing", "Available"]);
  assert.equal(h.s.outbox.length, 0);
});

test("1.6: RemoteStopTransaction: another id Rejected; its own id stops the EVSE, reason Remote", () => {
  const h = running();
  assert.deepEqual(h.request("RemoteStopTransaction", { transactionId: 7 }), { status: "Rejected" });
  assert.deepEqual(h.request("RemoteStopTransaction", { transactionId: 42 }), { status: "Accepted" });
  assert.deepEqual(h.evse().at(-1), {
    kind: "stop-charging",
    reason: "remote stop (CSMS RemoteStopTransaction)",
  });
  h.step({ kind: "session-end", cause: { kind: "ev", reason: "EVSE asked to stop" }, tMs: T0 + 5000 });
  assert.equal(h.calls("StopTransaction")[0]!.reason, "Remote");
});

test("1.6: RemoteStartTransaction before the plug-in: no Authorize; the plug-in starts the transaction with its idTag and TxProfile", () => {
  const h = new Harness();
  h.step({ kind: "connected", tMs: T0 });
  const reply = h.request("RemoteStartTransaction", {
    connectorId: 1,
    idTag: "APP-1",
    chargingProfile: {
      chargingProfileId: 9,
      stackLevel: 0,
      chargingProfilePurpose: "TxProfile",
      chargingProfileKind: "Relative",
      chargingSchedule: { chargingRateUnit: "A", chargingSchedulePeriod: [{ startPeriod: 0, limit: 100 }] },
    },
  });
  assert.deepEqual(reply, { status: "Accepted" });
  h.step({ kind: "plugged", tMs: T0 + 1000 });
  assert.equal(h.calls("Authorize").length, 0);
  assert.equal(h.calls("StartTransaction")[0]!.idTag, "APP-1");
  assert.deepEqual(h.evse().at(-1), { kind: "set-power-limit", maxPowerW: 50_000 }, "100 A × 500 V");
  assert.deepEqual(h.request("RemoteStartTransaction", { idTag: "APP-2" }), { status: "Rejected" }, "busy");
  h.step({ kind: "session-end", cause: { kind: "evse", reason: "x" }, tMs: T0 + 5000 });
  assert.deepEqual(
    h.evse().at(-1),
    { kind: "set-power-limit", maxPowerW: null },
    "the TxProfile ends with it",
  );
});

test("1.6: SetChargingProfile (W and A × nominal V), the rules of §5.16 refused, ClearChargingProfile", () => {
  const h = new Harness();
  h.step({ kind: "connected", tMs: T0 });
  const prof = (purpose: string, unit: "A" | "W", limit: number, id = 1) => ({
    chargingProfileId: id,
    stackLevel: 0,
    chargingProfilePurpose: purpose,
    chargingProfileKind: "Absolute",
    chargingSchedule: { chargingRateUnit: unit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
  });
  const set = (connectorId: number, p: unknown) =>
    h.request("SetChargingProfile", { connectorId, csChargingProfiles: p });
  assert.deepEqual(
    set(1, prof("ChargePointMaxProfile", "W", 1000)),
    { status: "Rejected" },
    "max profile on connector 0 only",
  );
  assert.deepEqual(set(1, prof("TxProfile", "W", 1000)), { status: "Rejected" }, "no transaction");
  assert.deepEqual(set(0, prof("ChargePointMaxProfile", "W", 60_000)), { status: "Accepted" });
  assert.deepEqual(h.evse().at(-1), { kind: "set-power-limit", maxPowerW: 60_000 });
  assert.deepEqual(
    set(0, prof("ChargePointMaxProfile", "A", 80)),
    { status: "Accepted" },
    "same id: replaced",
  );
  assert.deepEqual(h.evse().at(-1), { kind: "set-power-limit", maxPowerW: 40_000 }, "80 A × 500 V");
  assert.deepEqual(h.request("ClearChargingProfile", { id: 5 }), { status: "Unknown" });
  assert.deepEqual(h.request("ClearChargingProfile", { chargingProfilePurpose: "ChargePointMaxProfile" }), {
    status: "Accepted",
  });
  assert.deepEqual(h.evse().at(-1), { kind: "set-power-limit", maxPowerW: null });
});

test("1.6: ChangeConfiguration / GetConfiguration: set, out of range, read-only, unknown", () => {
  const h = new Harness();
  h.step({ kind: "connected", tMs: T0 });
  assert.deepEqual(h.request("ChangeConfiguration", { key: "HeartbeatInterval", value: "30" }), {
    status: "Accepted",
  });
  assert.equal(h.s.heartbeatIntervalS, 30);
  assert.deepEqual(h.request("ChangeConfiguration", { key: "MeterValueSampleInterval", value: "-5" }), {
    status: "Rejected",
  });
  assert.deepEqual(h.request("ChangeConfiguration", { key: "NumberOfConnectors", value: "2" }), {
    status: "Rejected",
  });
  assert.deepEqual(h.request("ChangeConfiguration", { key: "Nope", value: "1" }), { status: "NotSupported" });
  assert.deepEqual(h.request("GetConfiguration", { key: ["HeartbeatInterval", "Nope"] }), {
    configurationKey: [{ key: "HeartbeatInterval", readonly: false, value: "30" }],
    unknownKey: ["Nope"],
  });
  const all = h.request("GetConfiguration", {}).configurationKey as { key: string }[];
  assert.ok(all.some((k) => k.key === "SupportedFeatureProfiles"));
});

test("1.6: Reset Hard during a transaction stops it (HardReset), then boots again; TriggerMessage", () => {
  const h = running();
  assert.deepEqual(h.request("TriggerMessage", { requestedMessage: "MeterValues" }), { status: "Accepted" });
  assert.equal(h.calls("MeterValues").at(-1)!.transactionId, 42);
  assert.deepEqual(h.request("TriggerMessage", { requestedMessage: "FirmwareStatusNotification" }), {
    status: "NotImplemented",
  });
  assert.deepEqual(h.request("Reset", { type: "Hard" }), { status: "Accepted" });
  assert.deepEqual(h.evse().at(-1), { kind: "stop-charging", reason: "reset (CSMS Reset)" });
  h.step({ kind: "session-end", cause: { kind: "evse", reason: "reset" }, tMs: T0 + 5000 });
  assert.equal(h.calls("StopTransaction")[0]!.reason, "HardReset");
  assert.equal(h.calls("BootNotification").length, 2, "booted again");
});

test("1.6: a trip ends the transaction and the connector is Faulted with its errorCode", () => {
  const h = running();
  h.step({ kind: "session-end", cause: { kind: "trip", fault: "isolation", reason: "IMD" }, tMs: T0 + 5000 });
  assert.equal(h.calls("StopTransaction")[0]!.reason, "Other");
  const last = h.calls("StatusNotification").at(-1)!;
  assert.equal(last.status, "Faulted");
  assert.equal(last.errorCode, "GroundFailure");
});

test("1.6: offline, the transaction's calls wait; a refused StartTransaction drops its calls (no transactionId)", () => {
  const h = running();
  h.step({ kind: "disconnected", reason: "test", tMs: T0 + 2000 });
  h.step({ kind: "meter", reading: { energyWh: 2000, powerW: 0 }, tMs: T0 + 3000 });
  h.step({ kind: "session-end", cause: { kind: "unplugged" }, tMs: T0 + 3000 });
  assert.deepEqual(
    h.s.outbox.map((c) => c.action),
    ["StopTransaction", "StatusNotification"],
  );
  h.step({ kind: "connected", tMs: T0 + 4000 });
  assert.equal(h.s.outbox.length, 0, "delivered on reconnection");
  assert.deepEqual(
    h.statuses().filter((x) => x === "Finishing"),
    ["Finishing"],
    "the status once (not again on top of the queued one)",
  );
  const stop = h.calls("StopTransaction")[0]!;
  assert.equal(stop.transactionId, 42);
  assert.equal(stop.reason, "EVDisconnected");
  // a CSMS that refuses StartTransaction
  const r = new Harness((c, hh) => (c.action === "StartTransaction" ? null : answer(c, hh)));
  running(r);
  const start = r.sent.find((c) => c.action === "StartTransaction")!;
  r.step({ kind: "call-error", id: start.id, code: "InternalError", message: "no", tMs: T0 + 2000 });
  assert.equal(r.calls("MeterValues").length, 0);
  assert.equal(r.s.outbox.length, 0, "the Begin MeterValues dropped");
});

test("1.6 (property): any run of plug / token / meter / charging / ticks / end sends only schema-valid calls; meterStop is the meter", () => {
  const ev = fc.oneof(
    fc.record({ kind: fc.constant("plugged" as const) }),
    fc.record({ kind: fc.constant("unplugged" as const) }),
    fc.record({ kind: fc.constant("id-token" as const), tag: fc.string({ minLength: 1, maxLength: 20 }) }),
    fc.record({
      kind: fc.constant("meter" as const),
      wh: fc.double({ min: 0, max: 1e7, noNaN: true }),
      w: fc.double({ min: 0, max: 4e5, noNaN: true }),
      soc: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant("charging" as const),
      state: fc.constantFrom("Charging", "EVConnected", "SuspendedEV", "SuspendedEVSE", "Idle" as const),
    }),
    fc.record({ kind: fc.constant("tick" as const), dt: fc.integer({ min: 0, max: 200_000 }) }),
    fc.record({
      kind: fc.constant("session-end" as const),
      cause: fc.constantFrom<StopCause>(
        { kind: "ev", reason: "x" },
        { kind: "evse", reason: "x" },
        { kind: "unplugged" },
        { kind: "time-limit" },
        { kind: "trip", fault: "over-current", reason: "x" },
        { kind: "trip", fault: "cp-lost", reason: "x" },
      ),
    }),
  );
  fc.assert(
    fc.property(fc.array(ev, { maxLength: 40 }), (evs) => {
      const h = new Harness();
      let t = T0;
      h.step({ kind: "connected", tMs: t });
      let lastWh = 0;
      for (const e of evs) {
        switch (e.kind) {
          case "id-token":
            h.step({ kind: e.kind, idToken: { idToken: e.tag, type: "ISO14443" }, tMs: t });
            break;
          case "meter":
            lastWh = e.wh;
            h.step({
              kind: "meter",
              reading: { energyWh: e.wh, powerW: e.w, ...(e.soc !== undefined && { socPercent: e.soc }) },
              tMs: t,
            });
            break;
          case "charging":
            h.step({ kind: "charging", state: e.state, tMs: t });
            break;
          case "tick":
            t += e.dt;
            h.step({ kind: "tick", tMs: t });
            break;
          case "session-end": {
            const n = h.calls("StopTransaction").length;
            const had = h.s.tx !== null;
            h.step({ kind: "session-end", cause: e.cause, tMs: t });
            if (had) assert.equal(h.calls("StopTransaction")[n]!.meterStop, Math.round(lastWh));
            break;
          }
          default:
            h.step({ kind: e.kind, tMs: t });
        }
      }
      assert.equal(h.s.outbox.length, 0, "everything answered was delivered");
    }),
    { numRuns: 200 },
  );
});

test("1.6: stop reasons are 1.6 Reason values; A schedules are W = A × V (property)", () => {
  const causes: StopCause[] = [
    { kind: "ev", reason: "x" },
    { kind: "evse", reason: "x" },
    { kind: "unplugged" },
    { kind: "time-limit" },
    ...["emergency-stop", "isolation", "over-current", "comm-loss", "cp-lost", "board-lost", "weird"].map(
      (fault) => ({ kind: "trip" as const, fault, reason: "x" }),
    ),
  ];
  for (const c of causes)
    for (const remote of [false, true])
      valid("StopTransaction", "req", {
        transactionId: 1,
        meterStop: 0,
        timestamp: new Date(T0).toISOString(),
        reason: ocpp16StopReason(c, remote),
      });
  assert.equal(ocpp16StopReason({ kind: "ev", reason: "x" }, true), "Remote");
  assert.equal(
    ocpp16StopReason({ kind: "trip", fault: "emergency-stop", reason: "x" }, false),
    "EmergencyStop",
  );
  assert.equal(ocpp16StopReason({ kind: "unplugged" }, false), "EVDisconnected");
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 100, max: 1000 }), (deciA, v) => {
      const p = toProfile201(
        {
          chargingProfileId: 1,
          stackLevel: 0,
          chargingProfilePurpose: "TxDefaultProfile",
          chargingProfileKind: "Absolute",
          chargingSchedule: {
            chargingRateUnit: "A",
            chargingSchedulePeriod: [{ startPeriod: 0, limit: deciA / 10 }],
          },
        },
        v,
      );
      assert.equal(p.chargingSchedule[0]!.chargingRateUnit, "W");
      assert.ok(Math.abs(p.chargingSchedule[0]!.chargingSchedulePeriod[0]!.limit - (deciA / 10) * v) < 1e-6);
    }),
  );
  assert.deepEqual([...STATION_ACTIONS_16].sort(), [
    "ChangeConfiguration",
    "ClearChargingProfile",
    "GetConfiguration",
    "RemoteStartTransaction",
    "RemoteStopTransaction",
    "Reset",
    "SetChargingProfile",
    "TriggerMessage",
  ]);
});

test("restored after a crash (1.6 queue on disk): the previous run's calls first, with its transactionId; the cut transaction stopped PowerLoss", () => {
  // run 1: a transaction (id 42), then the CSMS goes away and meter values queue up
  const a = running();
  a.step({ kind: "charging", state: "Charging", tMs: T0 + 2_000 });
  a.step({ kind: "disconnected", reason: "gone", tMs: T0 + 3_000 });
  a.step({ kind: "meter", reading: { energyWh: 1500.2, powerW: 50_000 }, tMs: T0 + 70_000 });
  a.step({ kind: "tick", tMs: T0 + 70_000 });
  const queued = a.s.outbox.filter((c) => c.txRelated);
  assert.ok(
    queued.some((c) => c.action === "MeterValues"),
    "meter values queued while offline",
  );
  assert.deepEqual(a.s.txIds, { 1: 42 });
  // run 2 (the process crashed): the journal's calls and transactionIds
  const b = new Harness();
  b.txId = 99;
  b.step({ kind: "restored", calls: queued, txIds: a.s.txIds, tMs: T0 + 80_000 });
  b.step({ kind: "connected", tMs: T0 + 81_000 });
  const restoredSent = b.sent.filter((c) => queued.some((q) => q.id === c.id));
  assert.deepEqual(
    restoredSent.map((c) => c.id),
    queued.map((c) => c.id),
    "every queued call sent, in order, with its id",
  );
  for (const c of restoredSent)
    assert.equal(c.payload.transactionId, 42, `${c.id} names the CSMS's transaction`);
  const stop = b.calls("StopTransaction");
  assert.equal(stop.length, 1);
  assert.deepEqual([stop[0]?.transactionId, stop[0]?.reason, stop[0]?.meterStop], [42, "PowerLoss", 1500]);
  // this run's own transaction is numbered above the restored one and gets its own id
  b.step({ kind: "plugged", tMs: T0 + 90_000 });
  b.step({ kind: "id-token", idToken: { idToken: "TAG-2", type: "ISO14443" }, tMs: T0 + 90_000 });
  assert.equal(b.s.tx?.local, 2);
  assert.equal(b.s.tx?.transactionId, 100);
});

test("1.6: a TxProfile of two periods in A → set-power-schedule in W (A × nominal V), from now; StopTransaction → null", () => {
  const h = running();
  const schedules = () =>
    h
      .evse()
      .flatMap((c) =>
        (c as { kind: string }).kind === "set-power-schedule" ? [(c as { periods: unknown }).periods] : [],
      );
  assert.deepEqual(
    h.request(
      "SetChargingProfile",
      {
        connectorId: 1,
        csChargingProfiles: {
          chargingProfileId: 3,
          transactionId: 42,
          stackLevel: 0,
          chargingProfilePurpose: "TxProfile",
          chargingProfileKind: "Relative",
          chargingSchedule: {
            chargingRateUnit: "A",
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 100 },
              { startPeriod: 600, limit: 200 },
            ],
          },
        },
      },
      T0 + 101_000,
    ),
    { status: "Accepted" },
  );
  assert.deepEqual(schedules(), [
    [
      { startS: 0, limitW: 50_000 },
      { startS: 500, limitW: 100_000 },
    ],
  ]);
  h.step({ kind: "session-end", cause: { kind: "ev", reason: "full" }, tMs: T0 + 200_000 });
  assert.deepEqual(schedules().at(-1), null);
});
