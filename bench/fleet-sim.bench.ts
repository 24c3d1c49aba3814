/**
 * `nacs simulate --fleet N`: wall time of N simulated DC sessions (default mix, seed 1) over the default
 * worker threads (one per core), sessions per second and failures. Issue target: `--fleet 10000` in < 60 s
 * on 2 cores; failures must be 0. `NACS_BENCH_FLEET_N` lowers N for a quick run (the 60 s target is then
 * scaled to N / 10000 of it); `NACS_BENCH_FLEET_LOOP_MS` runs with `--charge-loop-ms` (fidelity flag);
 * `NACS_BENCH_FLEET_WORKERS` sets `--workers`.
 */
import { runFleet } from "../src/cli/commands/simulate-fleet.js";
import { parseSimulateOptions } from "../src/cli/commands/simulate-options.js";
import { type BenchResult, target } from "./types.js";

/** The figure: 10,000 sessions in under 60 s. */
const FULL_N = 10_000;
const FULL_TARGET_S = 60;

export async function run(): Promise<BenchResult[]> {
  const n = Number(process.env.NACS_BENCH_FLEET_N ?? FULL_N);
  const loop = process.env.NACS_BENCH_FLEET_LOOP_MS;
  const workers = process.env.NACS_BENCH_FLEET_WORKERS;
  const raw = {
    fleet: String(n),
    seed: "1",
    ...(loop !== undefined && { chargeLoopMs: loop }),
    ...(workers !== undefined && { workers }),
  };
  const o = parseSimulateOptions(raw);
  const r = await runFleet(o, {
    raw,
    progress: process.stderr.isTTY ? (s) => process.stderr.write(s) : null,
  });
  const targetS = (FULL_TARGET_S * n) / FULL_N;
  const detail = {
    sessions: n,
    workers: r.workers,
    chargeLoopMs: loop === undefined ? 200 : Number(loop),
    virtualDurationS: r.durationS,
    energyKwh: Math.round(r.energyWh.total) / 1000,
    parkPeakKw: r.loadCurve.peakKw,
    coreMsPerSession: Math.round(((r.wallS * 1000 * r.workers) / n) * 10) / 10,
    projected10000S: Math.round((r.wallS * FULL_N) / n),
  };
  return [
    {
      name: `fleet of ${n} sessions, wall time`,
      value: r.wallS,
      unit: "s",
      target: target("<=", targetS, r.wallS),
      detail,
    },
    { name: `fleet of ${n} sessions, rate`, value: r.sessionsPerS, unit: "sessions/s" },
    {
      name: `fleet of ${n} sessions, failures`,
      value: r.failures.length,
      unit: "sessions",
      target: target("<=", 0, r.failures.length),
      detail: { failures: r.failures.slice(0, 10) },
    },
  ];
}
