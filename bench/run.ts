/**
 * `npm run bench`: runs every `bench/*.bench.ts` module (each exports `run(): Promise<BenchResult[]>`)
 * and writes one JSON file to `bench/results/` (plus `latest.json`). Performance targets live here,
 * never in timed tests. Pass names to run a subset: `npm run bench -- exi pilot`. The CLI's transpiled copy
 * (tools/prebuild-cli.mjs) is brought up to date first, so the `nacs` processes a bench starts use it.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { prebuildCopy } from "./prebuild.js";
import type { BenchResult } from "./types.js";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();

prebuildCopy();

const results: Record<string, BenchResult[]> = {};
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, "");
  process.stderr.write(`bench ${name} …\n`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { run: () => Promise<BenchResult[]> };
  results[name] = await mod.run();
  for (const r of results[name]) {
    const target = r.target
      ? ` (target ${r.target.op} ${r.target.value}: ${r.target.met ? "met" : "NOT met"})`
      : "";
    process.stderr.write(`  ${r.name}: ${r.value} ${r.unit}${target}\n`);
  }
}

const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  results,
};
mkdirSync(join(here, "results"), { recursive: true });
const stamp = out.date.replace(/[:.]/g, "-");
writeFileSync(join(here, "results", `bench-${stamp}.json`), `${JSON.stringify(out, null, 2)}\n`);
writeFileSync(join(here, "results", "latest.json"), `${JSON.stringify(out, null, 2)}\n`);
process.stderr.write(`wrote bench/results/bench-${stamp}.json\n`);
