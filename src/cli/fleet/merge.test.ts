/**
 * `nacs fleet merge` (pure part): the JSON summaries of two shards merged give the counts of a single run
 * over the same vehicles and its percentiles within ±1 % (the histograms are identical); a mix of kinds, a
 * summary without histograms or with a bad field is refused naming the file and the field.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Dist } from "../../link/host/latency-histogram.js";
import { histogramOf } from "../../link/host/latency-histogram.js";
import type { ChargerSession } from "./charger-session.js";
import type { VehicleResult } from "./ev-vehicle.js";
import {
  formatMergedSummary,
  type MergedEvFleetSummary,
  type MergedEvseFleetSummary,
  mergeFleetSummaries,
} from "./merge.js";
import { type EvFleetSummary, evFleetSummary, evseFleetSummary } from "./summary.js";
import { oneChargerEvseSummary } from "./summary-fixtures.js";

const vehicle = (index: number, rtt: number[], x: Partial<VehicleResult> = {}): VehicleResult => ({
  index,
  ok: true,
  stopReason: "stopped by the driver",
  failure: null,
  reachedLoop: true,
  setupMs: 2000 + 37 * index,
  energyWh: 50 + index,
  rtt,
  ...x,
});

/** Vehicles 0 … n−1 with round trips spread over 1 … 400 ms; every 7th failed in the charge loop. */
function fleet(n: number): VehicleResult[] {
  return Array.from({ length: n }, (_, i) =>
    vehicle(
      i,
      Array.from({ length: 20 }, (_, k) => 1 + ((i * 131 + k * 17) % 400) + k / 10),
      i % 7 === 3
        ? { ok: false, stopReason: "timeout", failure: { phase: "charge loop", reason: "timeout" } }
        : {},
    ),
  );
}

const evRun = (
  rs: VehicleResult[],
  shard: { index: number; count: number } | null,
  pid: number,
  chargeLoopMs = { minMs: 180, maxMs: 220 },
) =>
  evFleetSummary(rs, {
    vehicles: rs.length,
    shard,
    workers: [{ pid, pairs: rs.length, cpuPercent: 20, loopDelayP99Ms: 3, holds: 1, holdMs: 60 }],
    wallS: 10 + pid,
    notStarted: 0,
    maxStarting: 50,
    holdDelayMs: 50,
    chargeLoopMs,
  });

/** Through JSON, as `nacs fleet merge` reads the files. */
const asFile = (file: string, s: object) => ({ file, json: JSON.parse(JSON.stringify(s)) as unknown });

const near = (got: Dist, want: Dist) => {
  assert.equal(got.count, want.count);
  assert.equal(got.max, want.max);
  for (const k of ["p50", "p90", "p99"] as const)
    assert.ok(Math.abs(got[k] - want[k]) <= 0.01 * want[k] + 0.001, `${k}: ${got[k]} vs ${want[k]}`);
};

test("two EV shards merged = one run over the same vehicles: counts exact, percentiles within ±1 %", () => {
  const all = fleet(60);
  const single = evRun(all, null, 1);
  // the second process ran its vehicles at other pauses: the merged range spans both
  const shards = [0, 1].map((k) =>
    evRun(
      all.filter((v) => v.index % 2 === k),
      { index: k, count: 2 },
      10 + k,
      k === 0 ? { minMs: 180, maxMs: 220 } : { minMs: 150, maxMs: 200 },
    ),
  );
  const { summary, notes } = mergeFleetSummaries([
    asFile("a.json", shards[0]!),
    asFile("b.json", shards[1]!),
  ]);
  const m = summary as MergedEvFleetSummary;
  assert.deepEqual(notes, []);
  for (const k of ["vehicles", "started", "reachedLoop", "endedNormally", "failed", "notStarted"] as const)
    assert.equal(m[k], single[k], k);
  assert.deepEqual(m.failuresByPhase, single.failuresByPhase);
  assert.deepEqual(m.stopReasons, single.stopReasons);
  assert.equal(m.energyWh.total, single.energyWh.total);
  assert.deepEqual(m.firstFailures, single.firstFailures);
  assert.deepEqual(m.failedIndices, single.failedIndices);
  assert.ok((single.failedIndices?.length ?? 0) > 0, "the fixture has failures");
  assert.deepEqual(m.rttHistogram, single.rttHistogram);
  assert.deepEqual(m.setupHistogram, single.setupHistogram);
  near(m.rttMs, single.rttMs);
  near(m.setupMs, single.setupMs);
  near(m.energyWh.perVehicle, single.energyWh.perVehicle);
  assert.equal(m.wallS, 21);
  assert.deepEqual(m.backPressure, { maxStarting: 100, holdDelayMs: 50, holds: 2, holdMs: 120 });
  assert.deepEqual(m.chargeLoopMs, { minMs: 150, maxMs: 220 });
  // a summary of an older nacs (no chargeLoopMs) merges, without the range
  const { chargeLoopMs: _, ...older } = shards[1]!;
  const withOlder = mergeFleetSummaries([asFile("a.json", shards[0]!), asFile("old.json", older)]);
  assert.equal((withOlder.summary as EvFleetSummary).chargeLoopMs, undefined);
  assert.deepEqual(
    m.workers.map((w) => [w.pid, w.shard]),
    [
      [10, { index: 0, count: 2 }],
      [11, { index: 1, count: 2 }],
    ],
  );
  assert.deepEqual(m.merged.files, [
    { file: "a.json", shard: { index: 0, count: 2 } },
    { file: "b.json", shard: { index: 1, count: 2 } },
  ]);
  // the merged summary merges again (with a third process)
  const again = mergeFleetSummaries([asFile("m.json", m), asFile("c.json", evRun(fleet(3), null, 30))]);
  assert.equal((again.summary as EvFleetSummary).vehicles, 63);
  const text = formatMergedSummary(m);
  assert.match(text, /p50, p90, p99 from merged histograms, ±1 %; max exact/);
  assert.match(text, /a\.json \(shard 0\/2\), b\.json \(shard 1\/2\)/);
  assert.match(text, /worker 11 \(shard 1\/2\)/);
  assert.match(text, /failed {18}9/);
});

test("any split of the vehicles over shards: merged p50/p90/p99 within ±1 % of the exact single-run ones", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.double({ min: 0, max: 5_000, noNaN: true }), { maxLength: 30 }), {
        minLength: 1,
        maxLength: 30,
      }),
      fc.integer({ min: 1, max: 5 }),
      (rtts, s) => {
        const all = rtts.map((rtt, i) => vehicle(i, rtt));
        const shards = Array.from({ length: s }, (_, k) =>
          evRun(
            all.filter((v) => v.index % s === k),
            { index: k, count: s },
            k,
          ),
        );
        const m = mergeFleetSummaries(shards.map((x, k) => asFile(`s${k}.json`, x)))
          .summary as EvFleetSummary;
        near(m.rttMs, evRun(all, null, 0).rttMs);
      },
    ),
  );
});

const charger = (index: number, x: Partial<ChargerSession> = {}): ChargerSession => ({
  index,
  protocol: "iso2",
  stopReason: "EV stopped",
  normal: true,
  trips: [],
  energyWh: 40,
  reachedLoop: true,
  ...x,
});

test("EVSE shards: sessions, trips and energy summed; SECC percentiles from the merged histograms", () => {
  const resp = (k: number) => Array.from({ length: 500 }, (_, i) => 0.2 + ((i * 7919 + k * 31) % 1000) / 50);
  const x = (k: number, responseMs: number[]) => ({
    chargers: 3,
    shard: { index: k, count: 2 },
    workers: [{ pid: 100 + k, pairs: 3, cpuPercent: 5, loopDelayP99Ms: 1 }],
    wallS: 30,
    notStarted: k === 1 ? [{ index: 5, reason: "EADDRINUSE" }] : [],
    boardsLost: k,
    interlocksByCause: (k === 1 ? { unlatched: 2 } : { unlatched: 1, "emergency-stop": 1 }) as Record<
      string,
      number
    >,
    lostChargers: 0,
    responseMs,
    loopResponseMs: responseMs.slice(0, 100),
  });
  const run = (k: number, sessions: ChargerSession[], responseMs: number[]) =>
    evseFleetSummary(sessions, x(k, responseMs));
  const a = run(
    0,
    [charger(0), charger(2, { normal: false, trips: [{ fault: "cp-short", offLatencyMs: 3 }] })],
    resp(0),
  );
  const b = run(1, [charger(1), charger(3)], resp(1));
  const m = mergeFleetSummaries([asFile("evse-0.json", a), asFile("evse-1.json", b)])
    .summary as MergedEvseFleetSummary;
  assert.equal(m.chargers, 6);
  assert.equal(m.sessions, 4);
  assert.equal(m.sessionsNormal, 3);
  assert.deepEqual(m.tripsByFault, { "cp-short": 1 });
  assert.equal(m.energyWh, 160);
  assert.equal(m.boardsLost, 1);
  assert.deepEqual(m.interlocksByCause, { unlatched: 3, "emergency-stop": 1 });
  assert.deepEqual(m.notStarted, [{ index: 5, reason: "EADDRINUSE" }]);
  const all = evseFleetSummary([], x(0, [...resp(0), ...resp(1)]));
  near(m.seccResponseMs, all.seccResponseMs);
  assert.equal(m.seccLoopResponseMs.count, 200);
  // a worker's histogram of every response (beyond the kept samples) is what the summary carries
  const h = histogramOf([1, 2, 3]);
  assert.equal(evseFleetSummary([], { ...x(0, [5]), responseHistogram: h }).seccResponseHistogram.count, 3);
  assert.match(formatMergedSummary(m), /nacs evse --fleet 6: 4 sessions in 30 s/);
});

test("refused naming the file and the field: a mix of kinds, no histograms, a bad count, not a summary", () => {
  const ev = evRun(fleet(4), { index: 0, count: 2 }, 1);
  const evse = oneChargerEvseSummary([charger(0)], [1], [1]);
  const refused = (files: { file: string; json: unknown }[], re: RegExp) =>
    assert.throws(() => mergeFleetSummaries(files), re);
  refused(
    [asFile("ev.json", ev), asFile("evse.json", evse)],
    /^FleetMergeError: evse\.json: field kind: evse-fleet summary, but ev\.json is an ev-fleet summary/,
  );
  const { rttHistogram: _, ...old } = ev;
  refused([asFile("ev.json", ev), asFile("old.json", old)], /old\.json: field rttHistogram: missing/);
  refused(
    [asFile("bad.json", { ...ev, setupHistogram: { ...ev.setupHistogram, count: -1 } })],
    /bad\.json: field setupHistogram: count: expected a count/,
  );
  refused([asFile("bad.json", { ...ev, started: "4" })], /bad\.json: field started: expected a number/);
  refused(
    [asFile("bad.json", { ...ev, failuresByPhase: { "a.b": { count: 1 } } })],
    /bad\.json: field failuresByPhase\.a\.b\.reasons: expected an object of counts/,
  );
  refused([asFile("x.json", [1, 2])], /x\.json: not a fleet summary/);
  refused(
    [asFile("x.json", { kind: "simulate-fleet" })],
    /x\.json: field kind: expected "ev-fleet" or "evse-fleet"/,
  );
  refused(
    [asFile("a.json", ev), asFile("w.json", { ...ev, rttHistogram: { ...ev.rttHistogram, unit: "Wh" } })],
    /w\.json: field rttHistogram: cannot merge histograms of ms and Wh/,
  );
});

test("notes on the shards: the same shard twice, a shard missing", () => {
  const s = (k: number, n: number) => asFile(`s${k}.json`, evRun(fleet(2), { index: k, count: n }, k));
  assert.deepEqual(mergeFleetSummaries([s(0, 3), s(0, 3)]).notes, [
    "s0.json and s0.json are both shard 0/3",
    "shards 1/3, 2/3 not given",
  ]);
  assert.deepEqual(mergeFleetSummaries([s(0, 2), s(1, 3)]).notes, ["shards of different counts S: 2, 3"]);
});

test("EV shards merged: a summary from before failedIndices lists none, so the merge lists none", () => {
  const all = fleet(20);
  const shards = [0, 1].map((k) =>
    evRun(
      all.filter((v) => v.index % 2 === k),
      { index: k, count: 2 },
      10 + k,
    ),
  );
  const older = JSON.parse(JSON.stringify(shards[1])) as Record<string, unknown>;
  delete older.failedIndices;
  const both = mergeFleetSummaries([asFile("a.json", shards[0]!), asFile("b.json", shards[1]!)]);
  assert.ok(((both.summary as MergedEvFleetSummary).failedIndices?.length ?? 0) > 0);
  const { summary } = mergeFleetSummaries([asFile("a.json", shards[0]!), { file: "b.json", json: older }]);
  assert.equal((summary as MergedEvFleetSummary).failedIndices, undefined);
});
