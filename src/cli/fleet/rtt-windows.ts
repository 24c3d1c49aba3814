/**
 * The EV fleet's charge-loop round trip in windows of wall time: where in the run the tail comes from
 * (the plug-in ramp, full load, the stops). Each worker fills one mergeable histogram per window and notes
 * how many of its vehicles were in the charge loop; the parent merges the workers' windows.
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

/** Width of a window (ms). Design choice: long enough for a stable p99 at a few hundred pairs. */
export const RTT_WINDOW_MS = 10_000;

/** One worker's window, as sent to the parent. */
export interface RttWindowJson {
  index: number;
  /** The most of this worker's vehicles in the charge loop at a sample of the window. */
  inLoopMax: number;
  histogram: HistogramJson;
}

/** A merged window of the summary: from `fromS` s after the fleet's start, for `RTT_WINDOW_MS`. */
export interface RttWindow extends Dist {
  fromS: number;
  /** Vehicles in the charge loop at most (the workers' maxima summed). */
  inLoop: number;
}

/** A worker's windows, counted from `t0` (epoch ms, the fleet's start). */
export function createRttWindows(t0: number, now: () => number = Date.now) {
  const windows = new Map<number, { inLoopMax: number; h: LatencyHistogram }>();
  return {
    /** A round trip of `ms` measured now, with `inLoop` of this worker's vehicles in the charge loop. */
    add(ms: number, inLoop: number): void {
      const index = Math.max(0, Math.floor((now() - t0) / RTT_WINDOW_MS));
      let w = windows.get(index);
      if (!w) {
        w = { inLoopMax: 0, h: createLatencyHistogram() };
        windows.set(index, w);
      }
      w.inLoopMax = Math.max(w.inLoopMax, inLoop);
      histogramAdd(w.h, ms);
    },
    toJson(): RttWindowJson[] {
      return [...windows]
        .sort((a, b) => a[0] - b[0])
        .map(([index, w]) => ({ index, inLoopMax: w.inLoopMax, histogram: histogramToJson(w.h) }));
    },
  };
}

/** The workers' windows merged, in time order. */
export function mergeRttWindows(workers: readonly (readonly RttWindowJson[])[]): RttWindow[] {
  const merged = new Map<number, { inLoop: number; h: LatencyHistogram }>();
  for (const ws of workers)
    for (const w of ws) {
      const h = histogramFromJson(w.histogram, `rttWindows[${w.index}].histogram`);
      const m = merged.get(w.index);
      merged.set(
        w.index,
        m ? { inLoop: m.inLoop + w.inLoopMax, h: mergeHistograms(m.h, h) } : { inLoop: w.inLoopMax, h },
      );
    }
  return [...merged]
    .sort((a, b) => a[0] - b[0])
    .map(([index, m]) => ({
      fromS: (index * RTT_WINDOW_MS) / 1000,
      inLoop: m.inLoop,
      ...histogramDist(m.h),
    }));
}
