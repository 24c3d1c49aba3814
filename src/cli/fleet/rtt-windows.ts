/**
 * The EV fleet's timeline in windows of wall time: where in the run the round-trip tail and the failures
 * come from (the plug-in ramp, full load, the stops), and whether the fleet itself kept up there. Each
 * worker fills one mergeable histogram of charge-loop round trips per window, notes how many of its
 * vehicles were in the charge loop and how late its own event loop ran; the parent merges the workers'
 * windows and adds the failures: the EV fleet's when it learnt of them, the EVSE fleet's when each session
 * went wrong (its first trip).
 */
import {
  createLatencyHistogram,
  type Dist,
  type HistogramJson,
  histogramAdd,
  histogramDist,
  histogramFromJson,
  histogramToJson,
  type LatencyHistogram,
  mergeHistograms,
} from "../../link/host/latency-histogram.js";
import { V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_ISO2_MS } from "../../v2g/session/index.js";

/** Width of a window (ms). Design choice: long enough for a stable p99 at a few hundred pairs. */
export const RTT_WINDOW_MS = 10_000;

/** One worker's window, as sent to the parent. */
export interface RttWindowJson {
  index: number;
  /** The most of this worker's vehicles (EV) or sessions (EVSE) in the charge loop at a sample of the window. */
  inLoopMax: number;
  /** This worker's event-loop delay in the window: the largest p99 of one of its half-second samples (ms). */
  loopDelayMs: number;
  histogram: HistogramJson;
}

/**
 * A merged window of the summary: from `fromS` s after the fleet's start, for `RTT_WINDOW_MS`. Its
 * percentiles are of the EV fleet's charge-loop round trips, or of the EVSE fleet's SECC charge-loop responses.
 */
export interface RttWindow extends Dist {
  fromS: number;
  /** Vehicles (EV) or sessions (EVSE) in the charge loop at most (the workers' maxima summed). */
  inLoop: number;
  /**
   * Vehicles that failed (EV), counted when the fleet learnt of them (a worker reports each as it ends), or
   * sessions that did not end normally (EVSE), counted at their first trip (else at their end).
   */
  failed: number;
  /**
   * The fleet's own event-loop delay in the window (ms): the worst worker's worst half-second p99. Late by
   * a good part of the charge loop's response limit, a fleet reads its peer's messages late: its vehicles
   * time out on answers that came in time, its chargers answer late. Failures there may be the fleet's own.
   */
  loopDelayMs: number;
}

/** A worker's windows, counted from `t0` (epoch ms, the fleet's start). */
export function createRttWindows(t0: number, now: () => number = Date.now) {
  const windows = new Map<number, { inLoopMax: number; loopDelayMs: number; h: LatencyHistogram }>();
  const current = () => {
    const index = windowOf(now() - t0);
    let w = windows.get(index);
    if (!w) {
      w = { inLoopMax: 0, loopDelayMs: 0, h: createLatencyHistogram() };
      windows.set(index, w);
    }
    return w;
  };
  return {
    /** A sample of `ms` (a round trip, a SECC response) measured now, with `inLoop` of this worker's in the loop. */
    add(ms: number, inLoop: number): void {
      const w = current();
      w.inLoopMax = Math.max(w.inLoopMax, inLoop);
      histogramAdd(w.h, ms);
    },
    /** This worker's event-loop delay p99 over the half second (or so) that ends now (ms). */
    loopDelay(ms: number): void {
      const w = current();
      w.loopDelayMs = Math.max(w.loopDelayMs, ms);
    },
    toJson(): RttWindowJson[] {
      return [...windows]
        .sort((a, b) => a[0] - b[0])
        .map(([index, w]) => ({
          index,
          inLoopMax: w.inLoopMax,
          loopDelayMs: w.loopDelayMs,
          histogram: histogramToJson(w.h),
        }));
    },
  };
}

/** The window of a time `ms` after the fleet's start (before it: the first). */
const windowOf = (ms: number) => Math.max(0, Math.floor(ms / RTT_WINDOW_MS));

/**
 * The workers' windows merged, in time order, with the failures counted where they fall (`failedAtMs`:
 * ms after the fleet's start). A window only failures fell in is there too, with no round trips.
 */
export function mergeRttWindows(
  workers: readonly (readonly RttWindowJson[])[],
  failedAtMs: readonly number[] = [],
): RttWindow[] {
  type Merged = { inLoop: number; loopDelayMs: number; failed: number; h: LatencyHistogram };
  const merged = new Map<number, Merged>();
  const at = (index: number): Merged => {
    let m = merged.get(index);
    if (!m) {
      m = { inLoop: 0, loopDelayMs: 0, failed: 0, h: createLatencyHistogram() };
      merged.set(index, m);
    }
    return m;
  };
  for (const ws of workers)
    for (const w of ws) {
      const h = histogramFromJson(w.histogram, `rttWindows[${w.index}].histogram`);
      const m = at(w.index);
      m.inLoop += w.inLoopMax;
      m.loopDelayMs = Math.max(m.loopDelayMs, w.loopDelayMs);
      m.h = mergeHistograms(m.h, h);
    }
  for (const ms of failedAtMs) at(windowOf(ms)).failed++;
  return [...merged]
    .sort((a, b) => a[0] - b[0])
    .map(([index, m]) => ({
      fromS: (index * RTT_WINDOW_MS) / 1000,
      inLoop: m.inLoop,
      failed: m.failed,
      loopDelayMs: m.loopDelayMs,
      ...histogramDist(m.h),
    }));
}

/**
 * From this event-loop delay on (ms) the fleet's own loop counts as late: half the charge loop's tightest
 * response limit, V2G_EVCC_Msg_Timeout of CurrentDemand (ISO 15118-2 and DIN 70121, 250 ms as in
 * EcoG-io/iso15118). Design choice: a vehicle whose process is that late has used half its wait before it
 * reads an answer.
 */
export const FLEET_LATE_LOOP_MS = V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_ISO2_MS / 2;

/** The windows in which the fleet's own event loop was late ({@link FLEET_LATE_LOOP_MS}), and their failures. */
export interface FleetLateLoop {
  thresholdMs: number;
  /** Windows with a loop delay of at least `thresholdMs`. */
  windows: number;
  /** Failures counted in those windows. */
  failed: number;
  /** The largest loop delay of any window (ms). */
  maxLoopDelayMs: number;
}

/** Where the fleet was late, from its merged windows. */
export function fleetLateLoop(windows: readonly RttWindow[]): FleetLateLoop {
  const late = windows.filter((w) => w.loopDelayMs >= FLEET_LATE_LOOP_MS);
  return {
    thresholdMs: FLEET_LATE_LOOP_MS,
    windows: late.length,
    failed: late.reduce((a, w) => a + w.failed, 0),
    maxLoopDelayMs: windows.reduce((a, w) => Math.max(a, w.loopDelayMs), 0),
  };
}

const span = (w: RttWindow) => `${w.fromS}–${w.fromS + RTT_WINDOW_MS / 1000} s`;

/** What the timeline's text says, by side: the EV fleet's round trips, the EVSE fleet's SECC responses. */
const SIDE_TEXT = {
  ev: {
    label: "round trip by 10 s     ",
    json: "rttWindows",
    late: "the machine did not keep up with its vehicles, so they may have timed out on answers that came in time. Fewer vehicles per machine (--shard) tell the charger's failures from the fleet's.",
  },
  evse: {
    label: "SECC loop resp. by 10 s",
    json: "seccWindows",
    late: "the machine did not keep up with its chargers, so they may have read requests late and answered late. Fewer chargers per machine (--shard) tell the vehicles' failures from the fleet's.",
  },
} as const;

/**
 * The text lines of the timeline in a summary: the worst window of the latency it holds (`side`: the EV
 * fleet's round trip, the EVSE fleet's SECC response) and, with failures, the (up to three) windows most of
 * them fell in, and a warning when failures fell where the fleet itself was late.
 */
export function formatRttWindows(windows: readonly RttWindow[], side: keyof typeof SIDE_TEXT = "ev"): string {
  const text = SIDE_TEXT[side];
  let out = "";
  const worst = windows.reduce<RttWindow | null>(
    (a, w) => (w.count > 0 && !(a && a.p99 >= w.p99) ? w : a),
    null,
  );
  if (worst)
    out += `  ${text.label} worst p99 ${worst.p99} ms at ${span(worst)} (${worst.inLoop} in the loop; --json: ${text.json})\n`;
  const most = windows
    .filter((w) => w.failed > 0)
    .sort((a, b) => b.failed - a.failed || a.fromS - b.fromS)
    .slice(0, 3)
    .sort((a, b) => a.fromS - b.fromS);
  if (most.length > 0)
    out += `  failures by 10 s        ${most.map((w) => `${w.failed} at ${span(w)} (event-loop delay ${w.loopDelayMs} ms)`).join(", ")}\n`;
  const late = fleetLateLoop(windows);
  const failed = windows.reduce((a, w) => a + w.failed, 0);
  if (late.failed > 0)
    out += `  WARNING: ${late.failed} of the ${failed} failures fell where this fleet's own event loop was ${late.thresholdMs} ms or more late (up to ${late.maxLoopDelayMs} ms): ${text.late}\n`;
  return out;
}
