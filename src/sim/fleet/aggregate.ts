/**
 * The aggregate report of a fleet (`nacs simulate --fleet N --json`): per-session percentiles of energy,
 * duration and peak power, stop reasons counted, the failures (each with the command that re-runs it
 * alone), and the park load curve — every session's power summed over virtual park time, per bin.
 */
import { percentile } from "../../link/host/stats.js";
import { type FleetSessionSpec, fleetSessionCommand } from "./plan.js";
import type { FleetSessionResult } from "./run.js";

/** Distribution of one per-session figure. */
export interface Spread {
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** One failed session, with what re-runs it alone. */
export interface FleetFailure {
  index: number;
  seed: number;
  reason: string;
  stopReason: string;
  /** `nacs simulate …` reproducing the session exactly. */
  command: string;
}

/** The park load curve: the sum of all sessions' power, averaged over each bin of virtual park time. */
export interface LoadCurve {
  binS: number;
  /** Average park power per bin (kW), from park time 0. */
  kw: number[];
  peakKw: number;
  /** Start of the peak bin (s of park time). */
  peakAtS: number;
}

/** The `--fleet --json` object. */
export interface FleetReport {
  mode: "fleet";
  sessions: number;
  workers: number;
  seed: number;
  windowS: number;
  wallS: number;
  sessionsPerS: number;
  /**
   * The fidelity every session ran with (`--time-scale`, `--charge-loop-ms`, `--measure-ms`; absent: the
   * flag's own default, 1, 200 ms and 10 ms). Durations and the load curve are in park time (the scaled charge stretched back).
   */
  fidelity: { timeScale?: number; chargeLoopMs?: number; measureMs?: number };
  completed: number;
  energyWh: Spread & { total: number };
  durationS: Spread;
  peakPowerW: Spread;
  stopReasons: Record<string, number>;
  protocols: Record<string, number>;
  evProfiles: Record<string, number>;
  faults: Record<string, number>;
  failures: FleetFailure[];
  loadCurve: LoadCurve;
  files?: { csv: string; plot: string };
}

/** Min, nearest-rank percentiles, max and mean of `xs` (all 0 when empty). */
export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.length > 0 ? s.reduce((a, b) => a + b, 0) / s.length : 0;
  return {
    min: s[0] ?? 0,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? 0,
    mean: round(mean, 3),
  };
}

/** Sum the sessions' bins into the park load curve (kW per bin). */
export function loadCurve(results: readonly FleetSessionResult[], binS: number): LoadCurve {
  const wh: number[] = [];
  for (const r of results)
    r.binWh.forEach((x, k) => {
      wh[r.firstBin + k] = (wh[r.firstBin + k] ?? 0) + x;
    });
  const kw = Array.from(wh, (x) => round(((x ?? 0) * 3600) / binS / 1000, 3));
  let peak = 0;
  kw.forEach((x, k) => {
    if (x > (kw[peak] ?? 0)) peak = k;
  });
  return { binS, kw, peakKw: kw[peak] ?? 0, peakAtS: peak * binS };
}

const count = (xs: readonly string[]) => {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
};

/** The report of a finished fleet: `results` (one per session, any order) and the plan they ran. */
export function aggregateFleet(
  results: readonly FleetSessionResult[],
  specs: readonly FleetSessionSpec[],
  meta: { workers: number; seed: number; windowS: number; binS: number; wallS: number },
): FleetReport {
  const byIndex = [...results].sort((a, b) => a.index - b.index);
  const ran = byIndex.filter((r) => r.stopReason !== "crashed");
  const energy = ran.map((r) => r.energyWh);
  const failures: FleetFailure[] = byIndex
    .filter((r) => !r.ok)
    .map((r) => {
      const spec = specs[r.index];
      return {
        index: r.index,
        seed: r.seed,
        reason: r.failure ?? "failed",
        stopReason: r.stopReason,
        command: spec ? fleetSessionCommand(spec) : `nacs simulate --seed ${r.seed}`,
      };
    });
  return {
    mode: "fleet",
    sessions: specs.length,
    workers: meta.workers,
    seed: meta.seed,
    windowS: meta.windowS,
    wallS: round(meta.wallS, 3),
    fidelity: {
      ...(specs[0]?.options.timeScale !== undefined && { timeScale: specs[0].options.timeScale }),
      ...(specs[0]?.options.chargeLoopMs !== undefined && { chargeLoopMs: specs[0].options.chargeLoopMs }),
      ...(specs[0]?.options.measureMs !== undefined && { measureMs: specs[0].options.measureMs }),
    },
    sessionsPerS: meta.wallS > 0 ? round(results.length / meta.wallS, 2) : 0,
    completed: ran.length,
    energyWh: {
      ...spread(energy),
      total: round(
        energy.reduce((a, b) => a + b, 0),
        3,
      ),
    },
    durationS: spread(ran.map((r) => r.durationS)),
    peakPowerW: spread(ran.map((r) => r.peakPowerW)),
    stopReasons: count(byIndex.map((r) => r.stopReason)),
    protocols: count(ran.map((r) => r.protocol)),
    evProfiles: count(byIndex.map((r) => r.evProfile)),
    faults: count(byIndex.flatMap((r) => (r.fault === null ? [] : [r.fault]))),
    failures,
    loadCurve: loadCurve(results, meta.binS),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
