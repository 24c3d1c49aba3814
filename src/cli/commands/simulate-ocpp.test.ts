/**
 * Acceptance of `nacs simulate --ocpp` against `nacs csms` (both spawned, loopback): a session's
 * TransactionEvents Started / Updated / Ended with the session's meter energy, every message schema-valid
 * both ways; a scripted SetChargingProfile of 50 kW caps the session within one charge-loop cycle; a
 * scripted RequestStopTransaction stops it (our reason: the remote stop; OCPP: Remote / RemoteStop).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  assert50kWAnnouncedWithinCycle,
  assertOcppClean,
  type CsmsSessionRun,
  runCsmsSession,
} from "../testing/csms-session.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One session as station CP1 against a (scripted) test CSMS. */
const run = (script: unknown[] | null, name: string, extra: string[] = []) =>
  runCsmsSession({ dir, name, script, station: "CP1", simulateArgs: [...extra] });

/** Both sides saw no schema error, everything was delivered, one transaction with contiguous seqNos. */
function checkClean(r: CsmsSessionRun) {
  const tx = assertOcppClean(r);
  assert.deepEqual(
    tx.events.map((e) => e.seqNo),
    tx.events.map((_, i) => i),
    "seqNo 0, 1, 2, … in order",
  );
  return tx;
}

const limitProfile = {
  evseId: 0,
  chargingProfile: {
    id: 1,
    stackLevel: 0,
    chargingProfilePurpose: "ChargingStationMaxProfile",
    chargingProfileKind: "Relative",
    chargingSchedule: [
      { id: 1, chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 50_000 }] },
    ],
  },
};
const whenCharging = { action: "TransactionEvent", match: { "transactionInfo.chargingState": "Charging" } };

test("simulate --ocpp: Started, Updated, Ended; the Ended energy is the session's meter (0.1 %); schema-clean", async () => {
  const r = await run(null, "plain");
  const tx = checkClean(r);
  const kinds = tx.events.map((e) => e.eventType);
  assert.equal(kinds[0], "Started");
  assert.equal(kinds.at(-1), "Ended");
  assert.ok(kinds.includes("Updated"));
  assert.ok(
    tx.events.some((e) => e.triggerReason === "Authorized"),
    "Authorize accepted → Updated Authorized",
  );
  assert.ok(r.sim.energyDeliveredWh > 1000);
  const err = Math.abs(tx.endedEnergyWh! - r.sim.energyDeliveredWh) / r.sim.energyDeliveredWh;
  assert.ok(err <= 0.001, `Ended ${tx.endedEnergyWh} Wh vs meter ${r.sim.energyDeliveredWh} Wh`);
  assert.equal(tx.stoppedReason, "StoppedByEV");
  assert.equal(r.sim.stopReason, "target SOC reached");
});

/** The module's ramp from 250 kW down to the limit (s): what the output needs after the announcement. */
const RAMP_S = 3;

test("simulate --ocpp: SetChargingProfile 50 kW mid-session is announced within one charge-loop cycle", async () => {
  const r = await run(
    [{ when: whenCharging, delayMs: 150, call: "SetChargingProfile", payload: limitProfile }],
    "limit",
  );
  checkClean(r);
  assert.equal(r.sim.ocpp.received.SetChargingProfile, 1);
  const { set, next } = assert50kWAnnouncedWithinCycle(r, "station");
  const samples = r.record.filter((e) => e.type === "sample");
  for (const e of samples.filter((x) => x.t >= next.t && x.t < r.record.at(-1)!.t))
    assert.ok(Number(e.evseMaxW) <= 50_000, `t=${e.t}: EVSE max ${e.evseMaxW} W`);
  const late = samples.filter((e) => e.t >= set.t + RAMP_S);
  assert.ok(late.length > 10);
  for (const e of late) assert.ok(Number(e.p) <= 50_000 * 1.01, `t=${e.t}: ${e.p} W`);
});

test("simulate --ocpp: RequestStopTransaction stops the charge loop (remote stop; OCPP Remote / RemoteStop)", async () => {
  const r = await run(
    [
      {
        when: whenCharging,
        delayMs: 100,
        call: "RequestStopTransaction",
        payload: { transactionId: "$transactionId" },
      },
    ],
    "stop",
  );
  const tx = checkClean(r);
  assert.equal(r.sim.stopReason, "remote stop (CSMS RequestStopTransaction)");
  assert.ok(r.sim.socEnd < 39, `stopped early: SOC ${r.sim.socEnd}`);
  assert.equal(tx.stoppedReason, "Remote");
  assert.equal(tx.events.at(-1)!.triggerReason, "RemoteStop");
  const err = Math.abs(tx.endedEnergyWh! - r.sim.energyDeliveredWh) / r.sim.energyDeliveredWh;
  assert.ok(err <= 0.001);
  // the EV left the charge loop: PowerDelivery(stop) and SessionStop after the request
  const names = r.record.filter((e) => e.type === "msg").map((e) => String(e.name));
  assert.ok(names.lastIndexOf("SessionStopReq") > names.lastIndexOf("CurrentDemandReq"));
});

test("simulate --ocpp --ocpp-remote-start: the EV waits (Ongoing) until the CSMS's RequestStartTransaction", async () => {
  const start = {
    when: { action: "TransactionEvent", match: { eventType: "Started" } },
    delayMs: 100,
    call: "RequestStartTransaction",
    payload: { idToken: { idToken: "APP-USER-1", type: "Central" }, remoteStartId: 7 },
  };
  const r = await run([start], "remote-start", ["--ocpp-remote-start"]);
  const tx = checkClean(r);
  assert.equal(r.sim.ocpp.sent.Authorize, undefined, "no token at plug-in");
  assert.equal(r.sim.ocpp.received.RequestStartTransaction, 1);
  assert.ok(
    (r.sim.messages.AuthorizationReq ?? 0) > 1,
    `AuthorizationReq ${r.sim.messages.AuthorizationReq}× (Ongoing)`,
  );
  assert.ok(tx.events.some((e) => e.triggerReason === "RemoteStart"));
  assert.equal(r.sim.stopReason, "target SOC reached");
  assert.equal(tx.stoppedReason, "StoppedByEV");
});
