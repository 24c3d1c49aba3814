/**
 * `nacs simulate --fleet N`: wall time of N simulated DC sessions (default mix, seed 1) over the default
 * worker threads (one per core), sessions per second and failures, at the fleet's default fidelity
 * (`--time-scale 100 --charge-loop-ms 400 --measure-ms 50`, FLEET_DEFAULT_FIDELITY) and, for comparison, at
 * full fidelity (`--time-scale 1 --charge-loop-ms 200 --measure-ms 10`) on a smaller fleet, its
 * 10,000-session time an estimate scaled from it (labelled so).
 * Issue target: `--fleet 10000` in < 60 s on 2 cores; failures must be 0.
 *
 * Environment: `NACS_BENCH_FLEET_N` lowers N (the 60 s target is then scaled to N / 10000 of it);
 * `NACS_BENCH_FLEET_FULL_N` sets the full-fidelity fleet (default 200; 0 skips it);
 * `NACS_BENCH_FLEET_LOOP_MS` / `NACS_BENCH_FLEET_TIME_SCALE` / `NACS_BENCH_FLEET_MEASURE_MS` override the
 * default fleet's fidelity flags;
 * `NACS_BENCH_FLEET_WORKERS` sets `--workers`.
 */
import { runFleet } from "../src/cli/commands/simulate-fleet.js";
import { parseSimulateOptions } from "../src/cli/commands/simulate-options.js";
import { type BenchResult, target } from "./types.js";

/** The figure: 10,000 sessions in under 60 s. */
const FULL_N = 10_000;
const FULL_TARGET_S = 60;

async function fleet(n: number, fidelity: { timeScale?: string; chargeLoopMs?: string; measureMs?: string }) {
  const workers = process.env.NACS_BENCH_FLEET_WORKERS;
  const raw = { fleet: String(n), seed: "1", ...fidelity, ...(workers !== undefined && { workers }) };
  const r = await runFleet(parseSimulateOptions(raw), {
    raw,
    progress: process.stderr.isTTY ? (s) => process.stderr.write(s) : null,
  });
  const detail = {
    sessions: n,
    workers: r.workers,
    fidelity: r.fidelity,
    parkDurationS: r.durationS,
    energyKwh: Math.round(r.energyWh.total) / 1000,
    parkPeakKw: r.loadCurve.peakKw,
    coreMsPerSession: Math.round(((r.wallS * 1000 * r.workers) / n) * 10) / 10,
    projected10000S: Math.round((r.wallS * FULL_N) / n),
  };
  return { r, detail };
}

export async function run(): Promise<BenchResult[]> {
  const n = Number(process.env.NACS_BENCH_FLEET_N ?? FULL_N);
  const loop = process.env.NACS_BENCH_FLEET_LOOP_MS;
  const scale = process.env.NACS_BENCH_FLEET_TIME_SCALE;
  const measure = process.env.NACS_BENCH_FLEET_MEASURE_MS;
  const { r, detail } = await fleet(n, {
    ...(loop !== undefined && { chargeLoopMs: loop }),
    ...(scale !== undefined && { timeScale: scale }),
    ...(measure !== undefined && { measureMs: measure }),
  });
  const targetS = (FULL_TARGET_S * n) / FULL_N;
  const out: BenchResult[] = [
    {
      name: `fleet of ${n} sessions (default fidelity), wall time`,
      value: r.wallS,
      unit: "s",
      target: target("<=", targetS, r.wallS),
      detail,
    },
    { name: `fleet of ${n} sessions (default fidelity), rate`, value: r.sessionsPerS, unit: "sessions/s" },
    {
      name: `fleet of ${n} sessions (default fidelity), failures`,
      value: r.failures.length,
      unit: "sessions",
      target: target("<=", 0, r.failures.length),
      detail: { failures: r.failures.slice(0, 10) },
    },
  ];
  const fullN = Number(process.env.NACS_BENCH_FLEET_FULL_N ?? 200);
  if (fullN > 0) {
    const full = await fleet(fullN, { timeScale: "1", chargeLoopMs: "200", measureMs: "10" });
    out.push(
      {
        name: `full fidelity (--time-scale 1 --charge-loop-ms 200 --measure-ms 10): fleet of 10000, wall time (estimate scaled from ${fullN})`,
        value: full.detail.projected10000S,
        unit: "s",
        detail: { ...full.detail, measuredWallS: full.r.wallS },
      },
      { name: `full fidelity: fleet of ${fullN}, rate`, value: full.r.sessionsPerS, unit: "sessions/s" },
      {
        name: `full fidelity: fleet of ${fullN}, failures`,
        value: full.r.failures.length,
        unit: "sessions",
        target: target("<=", 0, full.r.failures.length),
      },
    );
  }
  return out;
}
