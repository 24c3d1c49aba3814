/** The fleet summaries: counts, failures grouped by phase with their reasons, nearest-rank percentiles. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { HISTOGRAM_REL_ERR, histogramDist, histogramOf } from "../../link/host/latency-histogram.js";
import type { VehicleResult } from "./ev-vehicle.js";
import {
  dist,
  evFleetSummary,
  evseFleetSummary,
  formatEvFleetSummary,
  formatEvseFleetSummary,
  sumCounts,
} from "./summary.js";

const v = (index: number, x: Partial<VehicleResult> = {}): VehicleResult => ({
  index,
  ok: true,
  stopReason: "stopped by the driver",
  failure: null,
  reachedLoop: true,
  setupMs: 3000 + index,
  energyWh: 100,
  rtt: [1, 2],
  ...x,
});

test("dist: nearest rank over 1…100", () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.deepEqual(dist(xs), { count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  assert.deepEqual(dist([]), { count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
});

test("EV fleet summary: counts, failures by phase with reasons, first failures in index order", () => {
  const timeout = "communication timeout: V2G_EVCC_Msg_Timeout: no CurrentDemandRes within 250 ms";
  const results = [
    v(3, { ok: false, stopReason: timeout, failure: { phase: "charge loop", reason: timeout } }),
    v(0),
    v(1, {
      ok: false,
      stopReason: null,
      reachedLoop: false,
      setupMs: null,
      rtt: [],
      failure: { phase: "SDP", reason: "SDP: no response" },
    }),
    v(2, { ok: false, stopReason: timeout, failure: { phase: "charge loop", reason: timeout } }),
  ];
  const s = evFleetSummary(results, {
    vehicles: 5,
    shard: { index: 0, count: 1 },
    workers: [{ pid: 1, pairs: 5, cpuPercent: 10, loopDelayP99Ms: 2, holds: 2, holdMs: 700 }],
    wallS: 12.3456,
    notStarted: 1,
    maxStarting: 50,
    holdDelayMs: 50,
    chargeLoopMs: { minMs: 180, maxMs: 220 },
  });
  assert.equal(s.started, 4);
  assert.equal(s.reachedLoop, 3);
  assert.equal(s.endedNormally, 1);
  assert.equal(s.failed, 3);
  assert.equal(s.notStarted, 1);
  assert.deepEqual(s.failuresByPhase, {
    "charge loop": { count: 2, reasons: { [timeout]: 2 } },
    SDP: { count: 1, reasons: { "SDP: no response": 1 } },
  });
  assert.deepEqual(
    s.firstFailures.map((f) => f.index),
    [1, 2, 3],
  );
  assert.deepEqual(s.failedIndices, [1, 2, 3]);
  assert.deepEqual(s.stopReasons, { "stopped by the driver": 1, none: 1, [timeout]: 2 });
  assert.equal(s.rttMs.count, 6);
  assert.equal(s.setupMs.count, 3);
  assert.equal(s.energyWh.total, 400);
  // beside the exact Dists, the same samples as mergeable histograms
  assert.deepEqual([s.rttHistogram.count, s.rttHistogram.max], [6, 2]);
  assert.deepEqual([s.setupHistogram.count, s.setupHistogram.min], [3, 3000]);
  assert.deepEqual([s.energyPerVehicleHistogram.unit, s.energyPerVehicleHistogram.count], ["Wh", 4]);
  assert.deepEqual(s.backPressure, { maxStarting: 50, holdDelayMs: 50, holds: 2, holdMs: 700 });
  const text = formatEvFleetSummary(s);
  assert.match(text, /failed {18}3/);
  assert.match(text, /2 × communication timeout/);
  assert.deepEqual(s.chargeLoopMs, { minMs: 180, maxMs: 220 });
  assert.match(text, /charge-loop pause {7}180–220 ms \(each vehicle its own\)/);
});

test("EVSE fleet summary: the board-thread interlock's actions by cause, summed over the workers", () => {
  const interlocksByCause = sumCounts([{ unlatched: 1 }, {}, { unlatched: 2, "emergency-stop": 1 }]);
  assert.deepEqual(interlocksByCause, { unlatched: 3, "emergency-stop": 1 });
  const x = {
    chargers: 2,
    shard: null,
    workers: [{ pid: 1, pairs: 2, cpuPercent: 10, loopDelayP99Ms: 1 }],
    wallS: 1,
    notStarted: [],
    boardsLost: 0,
    lostChargers: 0,
    responseMs: [],
    loopResponseMs: [],
  };
  assert.match(
    formatEvseFleetSummary(evseFleetSummary([], { ...x, interlocksByCause })),
    /\n {2}board-thread interlock {2}unlatched 3, emergency-stop 1\n/,
  );
  assert.doesNotMatch(
    formatEvseFleetSummary(evseFleetSummary([], { ...x, interlocksByCause: {} })),
    /interlock/,
  );
});

test("EVSE fleet summary: time to output off, of the controller's trips and of the board thread's interlock; none → absent", () => {
  const session = (trips: { fault: string; offLatencyMs: number | null }[]) => ({
    index: 0,
    protocol: "iso2",
    stopReason: "emergency stop",
    normal: trips.length === 0,
    trips,
    energyWh: 1,
    reachedLoop: true,
  });
  const x = {
    chargers: 2,
    shard: null,
    workers: [],
    wallS: 1,
    notStarted: [],
    boardsLost: 0,
    lostChargers: 0,
    interlocksByCause: { "emergency-stop": 3 },
    responseMs: [],
    loopResponseMs: [],
  };
  const sessions = [
    session([{ fault: "emergency-stop", offLatencyMs: 0.05 }]),
    session([
      { fault: "emergency-stop", offLatencyMs: 0.2 },
      { fault: "pp-unlatched", offLatencyMs: null },
    ]),
    session([]),
  ];
  const s = evseFleetSummary(sessions, { ...x, interlockOffMs: [0.03, 0.04, 0.5] });
  assert.deepEqual(s.outputOffMs?.trips, { count: 2, p50: 0.05, p90: 0.2, p99: 0.2, max: 0.2 });
  assert.deepEqual(s.outputOffMs?.interlock, { count: 3, p50: 0.04, p90: 0.5, p99: 0.5, max: 0.5 });
  const text = formatEvseFleetSummary(s);
  assert.match(text, /\n {2}trip → output off {7}p50 0\.05, p90 0\.2, p99 0\.2, max 0\.2 ms \(2 samples\)\n/);
  assert.match(text, /\n {2}interlock input → off {3}p50 0\.04, .* \(3 samples\)\n/);
  const none = evseFleetSummary([session([])], { ...x, interlockOffMs: [] });
  assert.equal(none.outputOffMs, undefined);
  assert.doesNotMatch(formatEvseFleetSummary(none), /output off|input → off/);
});

test("histogramDist agrees with the fleet summary's dist: same count and max, percentiles within 1 % (+ the 0.001 ms rounding)", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 60_000, noNaN: true }), { maxLength: 300 }), (xs) => {
      const h = histogramDist(histogramOf(xs));
      const d = dist(xs);
      assert.equal(h.count, d.count);
      assert.equal(h.max, d.max);
      for (const k of ["p50", "p90", "p99"] as const)
        assert.ok(
          Math.abs(h[k] - d[k]) <= HISTOGRAM_REL_ERR * d[k] + 0.001 + 1e-9,
          `${k}: ${h[k]} vs ${d[k]}`,
        );
    }),
  );
});

test("EV fleet summary: with the timeline, where the fleet was late and the failures there, in the JSON and the text", () => {
  const timeout = "communication timeout: V2G_EVCC_Msg_Timeout: no CurrentDemandRes within 250 ms";
  const window = (fromS: number, failed: number, loopDelayMs: number) => ({
    fromS,
    inLoop: 2,
    failed,
    loopDelayMs,
    count: 4,
    p50: 1,
    p90: 1,
    p99: 2,
    max: 2,
  });
  const s = evFleetSummary([v(0, { ok: false, failure: { phase: "charge loop", reason: timeout } }), v(1)], {
    vehicles: 2,
    shard: null,
    workers: [{ pid: 1, pairs: 2, cpuPercent: 99, loopDelayP99Ms: 400 }],
    wallS: 30,
    notStarted: 0,
    maxStarting: 50,
    holdDelayMs: 50,
    chargeLoopMs: { minMs: 200, maxMs: 200 },
    rttWindows: [window(0, 0, 2), window(10, 1, 400)],
  });
  assert.deepEqual(s.lateLoop, { thresholdMs: 125, windows: 1, failed: 1, maxLoopDelayMs: 400 });
  const text = formatEvFleetSummary(s);
  assert.match(text, /failures by 10 s +1 at 10–20 s \(event-loop delay 400 ms\)/);
  assert.match(
    text,
    /WARNING: 1 of the 1 failures fell where this fleet's own event loop was 125 ms or more late/,
  );
  // without the timeline (a merged summary), no lateLoop
  const merged = evFleetSummary([v(0)], {
    vehicles: 1,
    shard: null,
    workers: [],
    wallS: 1,
    notStarted: 0,
    maxStarting: 50,
    holdDelayMs: 50,
    chargeLoopMs: { minMs: 200, maxMs: 200 },
  });
  assert.equal(merged.lateLoop, undefined);
});
