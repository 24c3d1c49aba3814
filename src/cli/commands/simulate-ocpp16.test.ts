/**
 * Acceptance of `nacs simulate --ocpp URL --ocpp-version 1.6` against `nacs csms` (both spawned, loopback):
 * the session's StartTransaction / MeterValues / StopTransaction (OCPP 1.6 §4.8, §4.7, §4.10) with
 * meterStop − meterStart the session's meter energy, every message schema-valid both ways (subprotocol
 * ocpp1.6); a scripted SetChargingProfile (§5.16) of 50 kW announced within one charge-loop cycle; a
 * scripted RemoteStopTransaction (§5.12) ends the session with reason Remote.
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

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp16-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One session as station CP16 (OCPP 1.6J) against a (scripted) test CSMS. */
const run = (script: unknown[] | null, name: string, extra: string[] = []) =>
  runCsmsSession({ dir, name, script, station: "CP16", simulateArgs: ["--ocpp-version", "1.6", ...extra] });

/** Both sides saw no schema error over ocpp1.6, everything was delivered, one transaction Started … Ended. */
function checkClean(r: CsmsSessionRun) {
  assert.equal(r.csms.protocols.CP16, "ocpp1.6", "the station chose ocpp1.6");
  assert.equal(r.sim.ocpp.version, "1.6");
  const tx = assertOcppClean(r);
  assert.equal(tx.events[0]!.eventType, "Started");
  assert.equal(tx.events.at(-1)!.eventType, "Ended");
  // meterStop − meterStart is the session's EVSE meter energy (integer Wh: within 0.1 %)
  const wh = tx.meterStopWh! - tx.meterStartWh!;
  const err = Math.abs(wh - r.sim.energyDeliveredWh) / r.sim.energyDeliveredWh;
  assert.ok(err <= 0.001, `meterStop − meterStart ${wh} Wh vs meter ${r.sim.energyDeliveredWh} Wh`);
  return tx;
}

const whenCharging = { action: "StatusNotification", match: { status: "Charging" } };

test("simulate --ocpp-version 1.6: StartTransaction, MeterValues, StopTransaction; meterStop − meterStart is the meter (0.1 %); schema-clean", async () => {
  const r = await run(null, "plain");
  const tx = checkClean(r);
  assert.equal(r.sim.ocpp.sent.Authorize, 1, "the driver's idTag authorised first (§4.1)");
  const contexts = tx.events.filter((e) => e.eventType === "Updated").map((e) => e.triggerReason);
  assert.ok(contexts.includes("Transaction.Begin"), `MeterValues contexts ${contexts}`);
  assert.ok(r.sim.energyDeliveredWh > 1000);
  assert.equal(tx.stoppedReason, "Local", "a stop by the EV: Local (§7.36)");
  assert.equal(r.sim.stopReason, "target SOC reached");
  assert.ok(
    (r.sim.ocpp.sent.StatusNotification ?? 0) >= 4,
    "Available, Preparing, Charging, Finishing (§4.9)",
  );
});

test("simulate --ocpp-version 1.6: SetChargingProfile ChargePointMaxProfile 50 kW is announced within one charge-loop cycle", async () => {
  const profile = {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: 1,
      stackLevel: 0,
      chargingProfilePurpose: "ChargePointMaxProfile",
      chargingProfileKind: "Relative",
      chargingSchedule: {
        chargingRateUnit: "W",
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 50_000 }],
      },
    },
  };
  const r = await run(
    [{ when: whenCharging, delayMs: 150, call: "SetChargingProfile", payload: profile }],
    "limit",
  );
  checkClean(r);
  assert.equal(r.sim.ocpp.received.SetChargingProfile, 1);
  assert50kWAnnouncedWithinCycle(r, "charge point");
});

test("simulate --ocpp-version 1.6: RemoteStopTransaction ends the session, StopTransaction reason Remote", async () => {
  const r = await run(
    [
      {
        when: whenCharging,
        delayMs: 100,
        call: "RemoteStopTransaction",
        payload: { transactionId: "$transactionId" },
      },
    ],
    "stop",
  );
  const tx = checkClean(r);
  assert.equal(r.sim.stopReason, "remote stop (CSMS RemoteStopTransaction)");
  assert.ok(r.sim.socEnd < 39, `stopped early: SOC ${r.sim.socEnd}`);
  assert.equal(tx.stoppedReason, "Remote");
  const names = r.record.filter((e) => e.type === "msg").map((e) => String(e.name));
  assert.ok(names.lastIndexOf("SessionStopReq") > names.lastIndexOf("CurrentDemandReq"));
});

test("simulate --ocpp-version 1.6 --ocpp-remote-start: the transaction starts on the CSMS's RemoteStartTransaction", async () => {
  const start = {
    when: { action: "StatusNotification", match: { status: "Preparing" } },
    delayMs: 100,
    call: "RemoteStartTransaction",
    payload: { connectorId: 1, idTag: "APP-USER-1" },
  };
  const r = await run([start], "remote-start", ["--ocpp-remote-start"]);
  checkClean(r);
  assert.equal(r.sim.ocpp.sent.Authorize, undefined, "no idTag at plug-in");
  assert.equal(r.sim.ocpp.received.RemoteStartTransaction, 1);
  assert.equal(r.sim.stopReason, "target SOC reached");
});
