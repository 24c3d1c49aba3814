/** Start-up time of the `nacs` CLI (`nacs --version`), wall clock, median of 5 runs. */
import { spawnSync } from "node:child_process";
import type { BenchResult } from "./types.js";

export async function run(): Promise<BenchResult[]> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ["bin/nacs.js", "--version"]);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [{ name: "cli startup (median)", value: Math.round(times[2] ?? 0), unit: "ms" }];
}
