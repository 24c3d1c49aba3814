import assert from "node:assert/strict";
import { test } from "node:test";
import type { LiveSessionSummary, LiveTrip } from "../../link/host/live-session.js";
import { chargerSession } from "./charger-session.js";

/** A SECC session report with the fields the compact form reads. */
const report = (o: Partial<LiveSessionSummary>): LiveSessionSummary =>
  ({
    side: "secc",
    mode: "dc",
    protocol: "urn:iso:15118:2:2013:MsgDef",
    messages: 40,
    messageCounts: { CurrentDemandRes: 12 },
    energyDeliveredWh: 55,
    stopReason: "EV ended the session",
    stopDetail: "",
    phases: [],
    safety: [],
    durationMs: 30_000,
    ...o,
  }) as LiveSessionSummary;

const trip = (detectedAtMs: number): LiveTrip =>
  ({
    fault: "connection-lost",
    reason: "V2G connection closed",
    detail: "",
    detectedAtMs,
    offLatencyMs: 0.2,
  }) as LiveTrip;

test("a normal session: no failure time", () => {
  const c = chargerSession(3, report({}), 1_000_000);
  assert.equal(c.normal, true);
  assert.equal(c.reachedLoop, true);
  assert.equal(c.failedAtEpochMs, undefined);
});

test("a tripped session failed at its first trip, not at its end (which can be a timeline window later)", () => {
  // ended at epoch 1,000,000 ms, 30 s after it began; tripped 21.5 s in, then again 25 s in
  const c = chargerSession(3, report({ safety: [trip(21_500), trip(25_000)] }), 1_000_000);
  assert.equal(c.normal, false);
  assert.equal(c.failedAtEpochMs, 1_000_000 - 30_000 + 21_500);
  assert.deepEqual(c.trips, [
    { fault: "connection-lost", offLatencyMs: 0.2 },
    { fault: "connection-lost", offLatencyMs: 0.2 },
  ]);
});

test("a session that ended abnormally without a trip failed at its end", () => {
  const c = chargerSession(3, report({ stopReason: null, messageCounts: {} }), 1_000_000);
  assert.equal(c.normal, false);
  assert.equal(c.reachedLoop, false);
  assert.equal(c.failedAtEpochMs, 1_000_000);
});
