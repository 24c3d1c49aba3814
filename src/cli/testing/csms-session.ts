/**
 * Test helper: one simulated session (`nacs simulate --ocpp`) against a spawned test CSMS (`nacs csms`),
 * optionally scripted, on loopback; the simulator's `--json` summary, the CSMS's summary after SIGTERM and
 * the session's record. Shared by the OCPP 2.0.1 and 1.6J acceptance tests.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { iso2 } from "../../codecs/index.js";
import { hexToBytes } from "../../exi/hex.js";
import type { CsmsSummary } from "../../link/ocpp/csms.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "./spawn-nacs.js";

/** A short session: 20 kWh pack from 20 % to 40 % at up to 250 kW, paced 100× (a few seconds of wall time). */
export const OCPP_TEST_SESSION = [
  "--battery-kwh",
  "20",
  "--soc",
  "20",
  "--target-soc",
  "40",
  "--speed",
  "100",
];

/** One record event. */
export type Rec = { t: number; type: string } & Record<string, unknown>;

/** What the tests read of `nacs simulate --ocpp … --json`. */
export interface SimOcppJson {
  stopReason: string;
  messages: Record<string, number>;
  energyDeliveredWh: number;
  socEnd: number;
  ocpp: {
    version: string;
    transactions: string[];
    schemaFailures: unknown[];
    undelivered: number;
    received: Record<string, number>;
    sent: Record<string, number>;
  };
}

/** The outcome of {@link runCsmsSession}. */
export interface CsmsSessionRun {
  sim: SimOcppJson;
  csms: CsmsSummary;
  record: Rec[];
}

/**
 * Start `nacs csms` (with `script` written to DIR/NAME.json when given), run one simulated session as
 * station `station` against it (`simulateArgs` after the session's own), stop the CSMS; both must exit 0.
 */
export async function runCsmsSession(o: {
  dir: string;
  name: string;
  script: unknown[] | null;
  station: string;
  simulateArgs?: string[];
  /** More `nacs csms` arguments (e.g. `--tls-dir DIR --client-certs`). */
  csmsArgs?: string[];
}): Promise<CsmsSessionRun> {
  const args = ["csms", "--port", "0", "--json", ...(o.csmsArgs ?? [])];
  if (o.script) {
    const file = join(o.dir, `${o.name}.json`);
    writeFileSync(file, JSON.stringify(o.script));
    args.push("--script", file);
  }
  let csms: NacsProc | undefined;
  let sim: NacsProc | undefined;
  try {
    csms = spawnNacs(args);
    const [, url] = await waitForStderr(csms, /listening on (wss?:\/\/\S+)/, 30_000);
    const record = join(o.dir, `${o.name}.ndjson`);
    sim = spawnNacs([
      "simulate",
      "--ocpp",
      `${url}/${o.station}`,
      ...OCPP_TEST_SESSION,
      "--json",
      "--record",
      record,
      ...(o.simulateArgs ?? []),
    ]);
    assert.equal(await exitWithin(sim, "nacs simulate", 60_000), 0, sim.err);
    csms.child.kill("SIGTERM");
    assert.equal(await exitWithin(csms, "nacs csms", 10_000), 0, csms.err);
    const lines = readFileSync(record, "utf8").trim().split("\n");
    return {
      sim: JSON.parse(sim.out) as SimOcppJson,
      csms: JSON.parse(csms.out) as CsmsSummary,
      record: lines.map((l) => JSON.parse(l) as Rec),
    };
  } finally {
    killIfRunning(sim);
    killIfRunning(csms);
  }
}

/** No schema error, bad message or CALLERROR on either side, everything delivered, one transaction. */
export function assertOcppClean(r: CsmsSessionRun): CsmsSummary["transactions"][string] {
  assert.equal(r.csms.schemaErrors, 0, "CSMS schema errors");
  assert.equal(r.csms.badMessages, 0);
  assert.equal(r.csms.callErrors, 0);
  assert.deepEqual(r.sim.ocpp.schemaFailures, [], "station schema failures");
  assert.equal(r.sim.ocpp.undelivered, 0);
  assert.equal(r.sim.ocpp.transactions.length, 1);
  return r.csms.transactions[r.sim.ocpp.transactions[0]!]!;
}

/** ISO 15118-2 CurrentDemandRes EVSEMaximumPowerLimit (W) of a recorded `msg`. */
export function announcedW(m: Rec): number | undefined {
  const body = iso2.decode(hexToBytes(String(m.bytes))).Body as {
    CurrentDemandRes?: { EVSEMaximumPowerLimit?: { Value: number; Multiplier: number } };
  };
  const v = body.CurrentDemandRes?.EVSEMaximumPowerLimit;
  return v && v.Value * 10 ** v.Multiplier;
}

/**
 * A 50 kW limit from the CSMS: the station gave it to the EVSE (its log line), the charge loop was faster
 * before, and the next CurrentDemandRes after it in the record — within one charge-loop cycle — and every
 * later one announce 50,000 W. Returns when the limit was set and that next response.
 */
export function assert50kWAnnouncedWithinCycle(r: CsmsSessionRun, who: string): { set: Rec; next: Rec } {
  const set = r.record.find(
    (e) => e.type === "log" && e.side === "ocpp" && /set-power-limit.*50000/.test(String(e.msg)),
  );
  assert.ok(set, `the ${who} gave the EVSE the limit`);
  // before and after the limit in the record's order: a response of the same instant may precede it
  const setAt = r.record.indexOf(set);
  const isRes = (e: Rec) => e.type === "msg" && e.name === "CurrentDemandRes";
  const before = r.record.slice(0, setAt).filter(isRes);
  const after = r.record.slice(setAt + 1).filter(isRes);
  const cycleS = (before.at(-1)!.t - before.at(-6)!.t) / 5;
  const next = after[0]!;
  assert.ok(
    next.t - set.t <= cycleS + 1e-6,
    `first CurrentDemandRes ${next.t - set.t} s after, cycle ${cycleS} s`,
  );
  assert.equal(announcedW(next), 50_000, "EVSEMaximumPowerLimit in the next CurrentDemandRes");
  assert.ok(after.every((e) => announcedW(e) === 50_000));
  assert.ok(
    r.record.some((e) => e.type === "sample" && e.t < set.t && Number(e.p) > 100_000),
    "charging faster before",
  );
  return { set, next };
}
