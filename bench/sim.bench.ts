/**
 * Simulator speed: wall time of a default `nacs simulate --mode ac` session (75 kWh, 20 → 80 %, 32 A,
 * 240 V, seed 1; about 6.2 h of virtual time), median of 5 in-process runs, and virtual/wall speed-up.
 * Target: a default session in < 1 s wall (issue 2 §6).
 */
import { runAcSession } from "../src/sim/session.js";
import { type BenchResult, target } from "./types.js";

export async function run(): Promise<BenchResult[]> {
  const opts = { batteryKwh: 75, socStart: 20, targetSoc: 80, maxCurrentA: 32, supplyVoltageV: 240, seed: 1 };
  runAcSession(opts); // warm-up
  const times: number[] = [];
  let virtualS = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    virtualS = runAcSession(opts).durationS;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[2] ?? 0;
  const full = { ...opts, socStart: 10, targetSoc: 100 };
  const t1 = performance.now();
  const r = runAcSession(full);
  const fullMs = performance.now() - t1;
  return [
    {
      name: "default AC session 20→80 % (median of 5)",
      value: Math.round(median * 10) / 10,
      unit: "ms",
      target: target("<=", 1000, median),
      detail: { virtualS, speedup: Math.round(virtualS / (median / 1000)) },
    },
    {
      name: "AC session 10→100 % with taper",
      value: Math.round(fullMs * 10) / 10,
      unit: "ms",
      detail: { virtualS: r.durationS, events: r.events.length },
    },
  ];
}
