/**
 * Control-pilot detection throughput: samples/s through detectCp (a realistic mix of A/B/C/D, X1 and faults,
 * with a state change every 20 samples), and circuit evaluations/s through cpPlateaus.
 * Target: ≥ 100 000 samples/s, i.e. 1000 charge points sampled every CP_SAMPLE_INTERVAL_MS (10 ms) on one core.
 */
import {
  type CpSample,
  cpPlateaus,
  cpSampleFor,
  detectCp,
  evLoadForState,
  initialCpDetector,
  NOMINAL_EVSE_SOURCE,
} from "../src/pilot/index.js";
import { type BenchResult, target } from "./types.js";

function samples(n: number): CpSample[] {
  const scenes = [
    { st: "A" as const, duty: 100 },
    { st: "B" as const, duty: 100 },
    { st: "B" as const, duty: 53.3 },
    { st: "C" as const, duty: 53.3 },
    { st: "D" as const, duty: 26.7 },
    { st: "C" as const, duty: 5 },
    { st: "B" as const, duty: 0 },
  ];
  const out: CpSample[] = [];
  for (let i = 0; i < n; i++) {
    const sc = scenes[Math.floor(i / 20) % scenes.length]!;
    out.push(cpSampleFor(NOMINAL_EVSE_SOURCE, evLoadForState(sc.st), sc.duty, i * 10));
  }
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const input = samples(140_000);
  const rounds = 10;
  let s = initialCpDetector;
  let events = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const x of input) {
      const [next, ev] = detectCp(s, x);
      s = next;
      events += ev.length;
    }
  }
  const dt = (performance.now() - t0) / 1000;
  const perSec = Math.round((input.length * rounds) / dt);

  const load = evLoadForState("C")!;
  const n = 1_000_000;
  let acc = 0;
  const t1 = performance.now();
  for (let i = 0; i < n; i++)
    acc += cpPlateaus(NOMINAL_EVSE_SOURCE, { ...load, diodeDrop: 0.55 + (i % 30) / 100 }).high;
  const plateauPerSec = Math.round(n / ((performance.now() - t1) / 1000));

  return [
    {
      name: "detectCp samples/s",
      value: perSec,
      unit: "samples/s",
      target: target(">=", 100_000, perSec),
      detail: { samples: input.length * rounds, events },
    },
    {
      name: "cpPlateaus evaluations/s",
      value: plateauPerSec,
      unit: "eval/s",
      detail: { checksum: Math.round(acc) },
    },
  ];
}
