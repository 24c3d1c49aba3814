/** The charging-station machine: boot, authorisation, a transaction's events, remote stop, profiles. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_T0, testStationConfig } from "./testing/station-config.js";
import { StationHarness } from "./testing/station-harness.js";
import type { OcppCall, StationConfig } from "./types.js";

const T0 = TEST_T0;
const cfg: StationConfig = testStationConfig();

/** The station of these tests: every CALL answered by {@link answer} unless told otherwise. */
class Harness extends StationHarness {
  constructor(csms: (c: OcppCall) => Record<string, unknown> | null = answer) {
    super(csms, cfg);
  }
}

function answer(c: OcppCall): Record<string, unknown> {
  switch (c.action) {
    case "BootNotification":
      return { status: "Accepted", interval: 120, currentTime: new Date(T0).toISOString() };
    case "Heartbeat":
      return { currentTime: new Date(T0).toISOString() };
    case "Authorize":
      return { idTokenInfo: { status: "Accepted" } };
    default:
      return {};
  }
}

const token = { idToken: "ABC123", type: "ISO14443" as const };

function session(h: Harness): void {
  h.step({ kind: "connected", tMs: T0 });
  h.step({ kind: "plugged", tMs: T0 + 1_000 });
  h.step({ kind: "id-token", idToken: token, tMs: T0 + 1_000 });
  h.step({ kind: "charging", state: "Charging", tMs: T0 + 20_000 });
  for (let t = 20; t <= 200; t += 10) {
    h.step({
      kind: "meter",
      reading: { energyWh: (t - 20) * 30, powerW: 108_000, socPercent: 20 + t / 10 },
      tMs: T0 + t * 1000,
    });
    h.step({ kind: "tick", tMs: T0 + t * 1000 });
  }
}

test("boot first: nothing else before BootNotification is accepted, then StatusNotification (B01, G01)", () => {
  const h = new Harness((c) => (c.action === "BootNotification" ? null : answer(c)));
  h.step({ kind: "plugged", tMs: T0 });
  assert.deepEqual(h.actions(), [], "offline: nothing sent");
  h.step({ kind: "connected", tMs: T0 + 1 });
  assert.deepEqual(h.actions(), ["BootNotification"]);
  assert.equal(h.s.outbox.length, 3, "Status and the Started event wait behind the boot");
  const boot = h.sent[0]!;
  h.step({ kind: "result", id: boot.id, payload: answer(boot), tMs: T0 + 2 });
  assert.deepEqual(h.actions(), ["BootNotification", "StatusNotification", "TransactionEvent"]);
  assert.equal(h.s.heartbeatIntervalS, 120);
  const started = h.txEvents()[0]!;
  assert.equal(started.eventType, "Started");
  assert.equal(started.triggerReason, "CablePluggedIn");
  assert.equal(started.offline, true, "created while offline");
});

test("BootNotification Pending: retried after its interval, other messages held (B02)", () => {
  let n = 0;
  const h = new Harness((c) =>
    c.action === "BootNotification"
      ? { status: n++ === 0 ? "Pending" : "Accepted", interval: 40, currentTime: new Date(T0).toISOString() }
      : answer(c),
  );
  h.step({ kind: "connected", tMs: T0 });
  h.step({ kind: "tick", tMs: T0 + 39_000 });
  assert.deepEqual(h.actions(), ["BootNotification"]);
  h.step({ kind: "tick", tMs: T0 + 40_000 });
  assert.deepEqual(h.actions(), ["BootNotification", "BootNotification", "StatusNotification"]);
});

test("a session: Started, Authorize → Updated Authorized, charging, periodic meter values, Ended (E02, C01, J02)", () => {
  const h = new Harness();
  session(h);
  assert.ok(h.evse().some((c) => JSON.stringify(c) === '{"kind":"authorization","result":"accepted"}'));
  h.step({ kind: "meter", reading: { energyWh: 5432.1, powerW: 0, socPercent: 40 }, tMs: T0 + 205_000 });
  h.step({ kind: "session-end", cause: { kind: "ev", reason: "target SOC reached" }, tMs: T0 + 205_000 });
  const evs = h.txEvents();
  assert.deepEqual(
    evs.map((e) => `${e.eventType}/${e.triggerReason}`),
    [
      "Started/CablePluggedIn",
      "Updated/Authorized",
      "Updated/ChargingStateChanged",
      "Updated/MeterValuePeriodic",
      "Updated/MeterValuePeriodic",
      "Updated/MeterValuePeriodic",
      "Ended/ChargingStateChanged",
    ],
  );
  assert.deepEqual(
    evs.map((e) => e.seqNo),
    [0, 1, 2, 3, 4, 5, 6],
    "seqNo counts up from 0",
  );
  assert.deepEqual(evs[1]!.idToken, token);
  const ended = evs.at(-1)!;
  assert.equal((ended.transactionInfo as { stoppedReason: string }).stoppedReason, "StoppedByEV");
  const mv = (
    ended.meterValue as { sampledValue: { value: number; measurand: string; context: string }[] }[]
  )[0]!;
  const energy = mv.sampledValue.find((v) => v.measurand === "Energy.Active.Import.Register")!;
  assert.equal(energy.value, 5432.1);
  assert.equal(energy.context, "Transaction.End");
  assert.equal(h.s.tx, null);
  assert.ok(evs.every((e) => e.offline === undefined));
  assert.ok(h.sent.every((c) => c.id !== undefined));
});

test("Authorize rejected: the EVSE refuses the EV, no Authorized event", () => {
  const h = new Harness((c) =>
    c.action === "Authorize" ? { idTokenInfo: { status: "Invalid" } } : answer(c),
  );
  session(h);
  assert.ok(h.evse().some((c) => JSON.stringify(c) === '{"kind":"authorization","result":"rejected"}'));
  assert.ok(!h.txEvents().some((e) => e.triggerReason === "Authorized"));
});

test("RequestStopTransaction: accepted for the running transaction, the EVSE stops, Ended as Remote (F03)", () => {
  const h = new Harness();
  session(h);
  const id = (h.txEvents()[0]!.transactionInfo as { transactionId: string }).transactionId;
  h.step({
    kind: "request",
    reqId: "r1",
    action: "RequestStopTransaction",
    payload: { transactionId: "nope" },
    tMs: T0 + 201_000,
  });
  assert.equal(h.replies().at(-1)!.status, "Rejected");
  h.step({
    kind: "request",
    reqId: "r2",
    action: "RequestStopTransaction",
    payload: { transactionId: id },
    tMs: T0 + 201_000,
  });
  assert.equal(h.replies().at(-1)!.status, "Accepted");
  assert.deepEqual(h.evse().at(-1), {
    kind: "stop-charging",
    reason: "remote stop (CSMS RequestStopTransaction)",
  });
  // the EV answers the EVSE's StopCharging with its own stop: still a remote stop
  h.step({ kind: "session-end", cause: { kind: "ev", reason: "EVSE asked to stop" }, tMs: T0 + 203_000 });
  const ended = h.txEvents().at(-1)!;
  assert.equal(ended.eventType, "Ended");
  assert.equal(ended.triggerReason, "RemoteStop");
  assert.equal((ended.transactionInfo as { stoppedReason: string }).stoppedReason, "Remote");
});

test("SetChargingProfile 50 kW: accepted, the EVSE gets the limit at once; cleared → no limit (K01, K10)", () => {
  const h = new Harness();
  session(h);
  const chargingProfile = {
    id: 7,
    stackLevel: 1,
    chargingProfilePurpose: "ChargingStationMaxProfile",
    chargingProfileKind: "Relative",
    chargingSchedule: [
      { id: 1, chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 50_000 }] },
    ],
  };
  h.step({
    kind: "request",
    reqId: "r",
    action: "SetChargingProfile",
    payload: { evseId: 0, chargingProfile },
    tMs: T0 + 201_000,
  });
  assert.equal(h.replies().at(-1)!.status, "Accepted");
  assert.deepEqual(h.evse().at(-1), { kind: "set-power-limit", maxPowerW: 50_000 });
  h.step({
    kind: "request",
    reqId: "r",
    action: "SetChargingProfile",
    payload: { evseId: 1, chargingProfile },
    tMs: T0 + 201_000,
  });
  assert.equal(h.replies().at(-1)!.status, "Rejected", "a station max profile on an EVSE");
  h.step({
    kind: "request",
    reqId: "c",
    action: "ClearChargingProfile",
    payload: { chargingProfileId: 7 },
    tMs: T0 + 202_000,
  });
  assert.equal(h.replies().at(-1)!.status, "Accepted");
  assert.deepEqual(h.evse().at(-1), { kind: "set-power-limit", maxPowerW: null });
  h.step({
    kind: "request",
    reqId: "c",
    action: "ClearChargingProfile",
    payload: { chargingProfileId: 7 },
    tMs: T0 + 202_000,
  });
  assert.equal(h.replies().at(-1)!.status, "Unknown");
});

test("RequestStartTransaction with the cable plugged: authorises it (F01), the response before the event", () => {
  const h = new Harness();
  h.step({ kind: "connected", tMs: T0 });
  h.step({ kind: "plugged", tMs: T0 + 1_000 });
  const before = h.fx.length;
  h.step({
    kind: "request",
    reqId: "s",
    action: "RequestStartTransaction",
    payload: { idToken: { idToken: "APP-1", type: "Central" }, remoteStartId: 42 },
    tMs: T0 + 2_000,
  });
  const fx = h.fx.slice(before);
  const reply = fx.find((f) => f.kind === "reply") as { payload: Record<string, unknown> };
  assert.equal(reply.payload.status, "Accepted");
  assert.equal(reply.payload.transactionId, "CP1-1");
  const upd = h.txEvents().at(-1)!;
  assert.equal(upd.triggerReason, "RemoteStart");
  assert.equal((upd.transactionInfo as { remoteStartId: number }).remoteStartId, 42);
  assert.deepEqual(h.evse().at(-1), { kind: "authorization", result: "accepted" });
});

test("connection lost: transaction events stay queued in order and go out on reconnect, marked offline (E11)", () => {
  const h = new Harness();
  session(h);
  const sentBefore = h.sent.length;
  h.step({ kind: "disconnected", reason: "test", tMs: T0 + 201_000 });
  h.step({ kind: "tick", tMs: T0 + 300_000 });
  h.step({ kind: "session-end", cause: { kind: "ev", reason: "done" }, tMs: T0 + 301_000 });
  assert.equal(h.sent.length, sentBefore, "nothing sent while offline");
  h.step({ kind: "connected", tMs: T0 + 400_000 });
  const after = h.sent.slice(sentBefore);
  assert.deepEqual(
    after.map((c) => c.action),
    ["TransactionEvent", "TransactionEvent", "StatusNotification"],
  );
  assert.deepEqual(
    after.slice(0, 2).map((c) => [c.payload.eventType, c.payload.offline]),
    [
      ["Updated", true],
      ["Ended", true],
    ],
  );
});

test("heartbeat only after an idle interval (G02)", () => {
  const h = new Harness();
  h.step({ kind: "connected", tMs: T0 });
  h.step({ kind: "tick", tMs: T0 + 119_000 });
  assert.ok(!h.actions().includes("Heartbeat"));
  h.step({ kind: "tick", tMs: T0 + 120_000 });
  assert.equal(h.actions().at(-1), "Heartbeat");
});

const ref = (component: string, variable: string) => ({
  component: { name: component },
  variable: { name: variable },
});

test("GetVariables / SetVariables: the meter interval set and used; unknown, read-only and bad values named (B05, B06)", () => {
  const h = new Harness();
  session(h);
  h.step({
    kind: "request",
    reqId: "g",
    action: "GetVariables",
    payload: {
      getVariableData: [
        ref("SampledDataCtrlr", "TxUpdatedInterval"),
        ref("SampledDataCtrlr", "Nope"),
        ref("NoSuchCtrlr", "X"),
        { ...ref("OCPPCommCtrlr", "HeartbeatInterval"), attributeType: "MaxSet" },
      ],
    },
    tMs: T0 + 201_000,
  });
  const got = h.replies().at(-1)!.getVariableResult as { attributeStatus: string; attributeValue?: string }[];
  assert.deepEqual(
    got.map((r) => [r.attributeStatus, r.attributeValue]),
    [
      ["Accepted", "60"],
      ["UnknownVariable", undefined],
      ["UnknownComponent", undefined],
      ["NotSupportedAttributeType", undefined],
    ],
  );
  h.step({
    kind: "request",
    reqId: "s",
    action: "SetVariables",
    payload: {
      setVariableData: [
        { ...ref("SampledDataCtrlr", "TxUpdatedInterval"), attributeValue: "5" },
        { ...ref("OCPPCommCtrlr", "HeartbeatInterval"), attributeValue: "-3" },
        { ...ref("AuthCtrlr", "AuthorizeRemoteStart"), attributeValue: "true" },
      ],
    },
    tMs: T0 + 201_000,
  });
  const set = h.replies().at(-1)!.setVariableResult as {
    attributeStatus: string;
    attributeStatusInfo?: { reasonCode: string };
  }[];
  assert.deepEqual(
    set.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
    [
      ["Accepted", undefined],
      ["Rejected", "ValueOutOfRange"],
      ["Rejected", "ReadOnly"],
    ],
  );
  const before = h.txEvents().length;
  h.step({ kind: "tick", tMs: T0 + 206_000 });
  assert.equal(h.txEvents().length, before + 1, "meter values every 5 s now");
});

test("Reset OnIdle during a transaction: Scheduled, a new BootNotification after the Ended event (B12)", () => {
  const h = new Harness();
  session(h);
  h.step({ kind: "request", reqId: "r", action: "Reset", payload: { type: "OnIdle" }, tMs: T0 + 201_000 });
  assert.equal(h.replies().at(-1)!.status, "Scheduled");
  const boots = () => h.sent.filter((c) => c.action === "BootNotification").map((c) => c.payload.reason);
  assert.deepEqual(boots(), ["PowerUp"]);
  h.step({ kind: "session-end", cause: { kind: "ev", reason: "done" }, tMs: T0 + 202_000 });
  assert.deepEqual(boots(), ["PowerUp", "RemoteReset"]);
  assert.equal(h.txEvents().at(-1)!.eventType, "Ended");
});

test("Reset Immediate during a transaction: the EVSE stops, Ended as ImmediateReset / ResetCommand, then boot (B12)", () => {
  const h = new Harness();
  session(h);
  h.step({ kind: "request", reqId: "r", action: "Reset", payload: { type: "Immediate" }, tMs: T0 + 201_000 });
  assert.equal(h.replies().at(-1)!.status, "Accepted");
  assert.deepEqual(h.evse().at(-1), { kind: "stop-charging", reason: "reset (CSMS Reset Immediate)" });
  h.step({ kind: "session-end", cause: { kind: "evse", reason: "reset" }, tMs: T0 + 202_000 });
  const ended = h.txEvents().at(-1)!;
  assert.equal((ended.transactionInfo as { stoppedReason: string }).stoppedReason, "ImmediateReset");
  assert.equal(ended.triggerReason, "ResetCommand");
  assert.equal(h.sent.at(-2)!.action, "BootNotification");
  h.step({
    kind: "request",
    reqId: "r2",
    action: "Reset",
    payload: { type: "Immediate", evseId: 1 },
    tMs: T0 + 203_000,
  });
  assert.equal(h.replies().at(-1)!.status, "Rejected");
});

test("connection lost while authorising: the Authorize goes out again on reconnect, then the EVSE is told", () => {
  const h = new Harness((c) => (c.action === "Authorize" ? null : answer(c)));
  h.step({ kind: "connected", tMs: T0 });
  h.step({ kind: "plugged", tMs: T0 + 1_000 });
  h.step({ kind: "id-token", idToken: token, tMs: T0 + 1_000 });
  const first = h.sent.filter((c) => c.action === "Authorize");
  assert.equal(first.length, 1, "sent, unanswered");
  h.step({ kind: "disconnected", reason: "test", tMs: T0 + 2_000 });
  h.step({ kind: "connected", tMs: T0 + 3_000 });
  const again = h.sent.filter((c) => c.action === "Authorize");
  assert.equal(again.length, 2, "sent again after the reconnection");
  h.step({
    kind: "result",
    id: again[1]!.id,
    payload: { idTokenInfo: { status: "Accepted" } },
    tMs: T0 + 3_100,
  });
  assert.deepEqual(h.evse().at(-1), { kind: "authorization", result: "accepted" });
});

test("C07: a contract's eMAID is authorised with its certificate hash data; a card's Authorize has none", () => {
  const hashData = [
    {
      hashAlgorithm: "SHA256" as const,
      issuerNameHash: "aa",
      issuerKeyHash: "bb",
      serialNumber: "1",
      responderURL: "",
    },
  ];
  for (const [idToken, data] of [
    [{ idToken: "DENACC00000001", type: "eMAID" as const }, hashData],
    [token, undefined],
  ] as const) {
    const h = new Harness();
    h.step({ kind: "connected", tMs: T0 });
    h.step({ kind: "plugged", tMs: T0 + 1_000 });
    h.step({ kind: "id-token", idToken, ...(data && { hashData: data }), tMs: T0 + 2_000 });
    const auth = h.sent.find((c) => c.action === "Authorize");
    assert.deepEqual(auth?.payload, { idToken, ...(data && { iso15118CertificateHashData: data }) });
    assert.deepEqual(h.evse().at(-1), { kind: "authorization", result: "accepted" });
  }
});

test("K15: a two-period TxProfile → set-power-schedule from now (24 h); the same limits again → nothing; a new one → sent; the end → null", () => {
  const h = new Harness();
  session(h);
  const schedules = () =>
    h
      .evse()
      .flatMap((c) =>
        (c as { kind: string }).kind === "set-power-schedule"
          ? [{ periods: (c as { periods: unknown }).periods }]
          : [],
      );
  const txProfile = (periods: [number, number][]) => ({
    id: 9,
    stackLevel: 0,
    chargingProfilePurpose: "TxProfile",
    chargingProfileKind: "Relative",
    chargingSchedule: [
      {
        id: 9,
        chargingRateUnit: "W",
        chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
      },
    ],
  });
  const set = (periods: [number, number][], tMs: number) =>
    h.step({
      kind: "request",
      reqId: "s",
      action: "SetChargingProfile",
      payload: { evseId: 1, chargingProfile: txProfile(periods) },
      tMs,
    });
  assert.deepEqual(schedules(), [], "no profile: no schedule");
  // the transaction started at T0 + 1 s: 200 s into it
  set(
    [
      [0, 50_000],
      [600, 120_000],
    ],
    T0 + 201_000,
  );
  assert.deepEqual(schedules(), [
    {
      periods: [
        { startS: 0, limitW: 50_000 },
        { startS: 400, limitW: 120_000 },
      ],
    },
  ]);
  h.step({ kind: "tick", tMs: T0 + 250_000 });
  set(
    [
      [0, 50_000],
      [600, 120_000],
    ],
    T0 + 260_000,
  );
  assert.equal(schedules().length, 1, "time passing and the same profile again change nothing");
  set([[0, 30_000]], T0 + 270_000);
  assert.deepEqual(schedules().at(-1), { periods: [{ startS: 0, limitW: 30_000 }] });
  h.step({ kind: "session-end", cause: { kind: "ev", reason: "full" }, tMs: T0 + 300_000 });
  assert.deepEqual(schedules().at(-1), { periods: null }, "no transaction: the TxProfile no longer applies");
});
