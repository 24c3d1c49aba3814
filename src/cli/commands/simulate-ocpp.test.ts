/**
 * Acceptance of `nacs simulate --ocpp` against `nacs csms` (both spawned, loopback): a session's
 * TransactionEvents Started / Updated / Ended with the session's meter energy, every message schema-valid
 * both ways; a scripted SetChargingProfile of 50 kW caps the session within one charge-loop cycle; a
 * scripted RequestStopTransaction stops it (our reason: the remote stop; OCPP: Remote / RemoteStop).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { iso2 } from "../../codecs/index.js";
import { hexToBytes } from "../../exi/hex.js";
import type { CsmsSummary } from "../../link/ocpp/csms.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A short session: 20 kWh pack from 20 % to 40 % at up to 250 kW, paced 100× (a few seconds of wall time). */
const SESSION = ["--battery-kwh", "20", "--soc", "20", "--target-soc", "40", "--speed", "100"];

type Rec = { t: number; type: string } & Record<string, unknown>;
type SimJson = {
  stopReason: string;
  messages: Record<string, number>;
  energyDeliveredWh: number;
  socEnd: number;
  ocpp: {
    transactions: string[];
    schemaFailures: unknown[];
    undelivered: number;
    received: Record<string, number>;
    sent: Record<string, number>;
  };
};

/** Run a CSMS (with a script), one simulated session against it; the CSMS's summary after SIGTERM. */
async function run(
  script: unknown[] | null,
  name: string,
  extra: string[] = [],
): Promise<{ sim: SimJson; csms: CsmsSummary; record: Rec[] }> {
  const args = ["csms", "--port", "0", "--json"];
  if (script) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(script));
    args.push("--script", file);
  }
  let csms: NacsProc | undefined;
  let sim: NacsProc | undefined;
  try {
    csms = spawnNacs(args);
    const [, url] = await waitForStderr(csms, /listening on (ws:\/\/\S+)/, 30_000);
    const record = join(dir, `${name}.ndjson`);
    sim = spawnNacs(["simulate", "--ocpp", `${url}/CP1`, ...SESSION, "--json", "--record", record, ...extra]);
    assert.equal(await exitWithin(sim, "nacs simulate", 60_000), 0, sim.err);
    csms.child.kill("SIGTERM");
    assert.equal(await exitWithin(csms, "nacs csms", 10_000), 0, csms.err);
    const lines = readFileSync(record, "utf8").trim().split("\n");
    return {
      sim: JSON.parse(sim.out) as SimJson,
      csms: JSON.parse(csms.out) as CsmsSummary,
      record: lines.map((l) => JSON.parse(l) as Rec),
    };
  } finally {
    killIfRunning(sim);
    killIfRunning(csms);
  }
}

/** Both sides saw no schema error, everything was delivered, one transaction with contiguous seqNos. */
function checkClean(r: { sim: SimJson; csms: CsmsSummary }) {
  assert.equal(r.csms.schemaErrors, 0, "CSMS schema errors");
  assert.equal(r.csms.badMessages, 0);
  assert.equal(r.csms.callErrors, 0);
  assert.deepEqual(r.sim.ocpp.schemaFailures, [], "station schema failures");
  assert.equal(r.sim.ocpp.undelivered, 0);
  assert.equal(r.sim.ocpp.transactions.length, 1);
  const tx = r.csms.transactions[r.sim.ocpp.transactions[0]!]!;
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

/** ISO 15118-2 CurrentDemandRes EVSEMaximumPowerLimit (W). */
function announcedW(m: Rec): number | undefined {
  const body = iso2.decode(hexToBytes(String(m.bytes))).Body as {
    CurrentDemandRes?: { EVSEMaximumPowerLimit?: { Value: number; Multiplier: number } };
  };
  const v = body.CurrentDemandRes?.EVSEMaximumPowerLimit;
  return v && v.Value * 10 ** v.Multiplier;
}

/** The module's ramp from 250 kW down to the limit (s): what the output needs after the announcement. */
const RAMP_S = 3;

test("simulate --ocpp: SetChargingProfile 50 kW mid-session is announced within one charge-loop cycle", async () => {
  const r = await run(
    [{ when: whenCharging, delayMs: 150, call: "SetChargingProfile", payload: limitProfile }],
    "limit",
  );
  checkClean(r);
  assert.equal(r.sim.ocpp.received.SetChargingProfile, 1);
  const set = r.record.find(
    (e) => e.type === "log" && e.side === "ocpp" && /set-power-limit.*50000/.test(String(e.msg)),
  );
  assert.ok(set, "the station gave the EVSE the limit");
  const res = r.record.filter((e) => e.type === "msg" && e.name === "CurrentDemandRes");
  const before = res.filter((e) => e.t < set.t);
  const cycleS = (before.at(-1)!.t - before.at(-6)!.t) / 5;
  const next = res.find((e) => e.t >= set.t)!;
  assert.ok(
    next.t - set.t <= cycleS + 1e-6,
    `first CurrentDemandRes ${next.t - set.t} s after, cycle ${cycleS} s`,
  );
  assert.equal(announcedW(next), 50_000, "EVSEMaximumPowerLimit in the next CurrentDemandRes");
  assert.ok(res.filter((e) => e.t >= set.t).every((e) => announcedW(e) === 50_000));
  const samples = r.record.filter((e) => e.type === "sample");
  assert.ok(
    samples.some((e) => e.t < set.t && Number(e.p) > 100_000),
    "charging faster before",
  );
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
