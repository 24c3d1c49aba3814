/** OCPP 2.0.1: calls restored from the journal of a previous run (crash / power loss). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createStation, type StationState, stepStation } from "./station.js";
import { TEST_T0, testStationConfig } from "./testing/station-config.js";
import type { OcppCall, StationConfig, StationEffect } from "./types.js";

const T0 = TEST_T0;
const cfg: StationConfig = testStationConfig("CP2");

const txEvent = (no: number, eventType: string, seqNo: number, transactionId = "CP1-1"): OcppCall => ({
  id: `TransactionEvent-${no}`,
  action: "TransactionEvent",
  txRelated: true,
  payload: {
    eventType,
    seqNo,
    timestamp: new Date(T0 - 60_000).toISOString(),
    triggerReason: "MeterValuePeriodic",
    transactionInfo: { transactionId },
    evse: { id: 1, connectorId: 1 },
  },
});

/** Boot, connect and answer everything; the calls sent, in order. */
function runToIdle(s0: StationState): OcppCall[] {
  const sent: OcppCall[] = [];
  let s = s0;
  const queue: StationEffect[] = [];
  const step = (ev: Parameters<typeof stepStation>[1]) => {
    const [s1, fx] = stepStation(s, ev);
    s = s1;
    queue.push(...fx);
  };
  step({ kind: "connected", tMs: T0 });
  for (let i = 0; i < 100 && queue.length > 0; i++) {
    const f = queue.shift()!;
    if (f.kind !== "send") continue;
    sent.push(f.call);
    const payload =
      f.call.action === "BootNotification"
        ? { status: "Accepted", interval: 300, currentTime: new Date(T0).toISOString() }
        : {};
    step({ kind: "result", id: f.call.id, payload, tMs: T0 });
  }
  return sent;
}

test("restored calls go first after the BootNotification, in order with their ids; the cut transaction ends (PowerLoss, next seqNo)", () => {
  const restored = [txEvent(7, "Updated", 4), txEvent(9, "Updated", 5)];
  const [s, fx] = stepStation(createStation(cfg, T0), { kind: "restored", calls: restored, tMs: T0 });
  assert.ok(fx.some((f) => f.kind === "log" && /PowerLoss/.test(f.msg)));
  const sent = runToIdle(s);
  assert.equal(sent[0]!.action, "BootNotification");
  const tx = sent.filter((c) => c.action === "TransactionEvent");
  assert.deepEqual(
    tx.map((c) => c.id),
    ["TransactionEvent-7", "TransactionEvent-9", "TransactionEvent-10"],
  );
  assert.deepEqual(
    tx.map((c) => c.payload.seqNo),
    [4, 5, 6],
  );
  const ended = tx[2]!.payload as {
    eventType: string;
    triggerReason: string;
    offline: boolean;
    transactionInfo: { stoppedReason: string; transactionId: string };
  };
  assert.equal(ended.eventType, "Ended");
  assert.equal(ended.triggerReason, "AbnormalCondition");
  assert.equal(ended.transactionInfo.stoppedReason, "PowerLoss");
  assert.equal(ended.transactionInfo.transactionId, "CP1-1");
  assert.equal(ended.offline, true);
  // new calls of this run do not reuse a restored id
  assert.ok(sent.filter((c) => c.action !== "TransactionEvent").every((c) => !/-(7|9|10)$/.test(c.id)));
  assert.equal(new Set(sent.map((c) => c.id)).size, sent.length);
});

test("a restored transaction that has its Ended event gets no other", () => {
  const restored = [txEvent(3, "Updated", 8), txEvent(4, "Ended", 9)];
  const [s] = stepStation(createStation(cfg, T0), { kind: "restored", calls: restored, tMs: T0 });
  const tx = runToIdle(s).filter((c) => c.action === "TransactionEvent");
  assert.deepEqual(
    tx.map((c) => c.payload.seqNo),
    [8, 9],
  );
});
