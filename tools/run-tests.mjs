#!/usr/bin/env node
// Runs every *.test.ts under src/, tools/, bench/ and dashboard/ with node:test through tsx.
// Node 20's test runner takes no glob patterns, so we hand it the files.
// First the transpiled copy of the sources that bin/nacs.js runs instead of tsx while it is up to date
// (tools/prebuild-cli.mjs): the `nacs` processes the tests start then skip tsx's start-up.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { prebuildCli } from "./prebuild-cli.mjs";

function find(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e === "node_modules" || e === "dist") continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) find(p, out);
    else if (p.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = [...find("src", []), ...find("tools", []), ...find("bench", []), ...find("dashboard", [])].sort();
if (filter.length > 0) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error("run-tests: no test files found");
  process.exit(1);
}
try {
  const p = await prebuildCli();
  console.log(`# prebuild-cli: ${p.transpiled} transpiled, ${p.reused} unchanged in ${p.ms.toFixed(0)} ms`);
} catch (e) {
  // without the copy every `nacs` process runs through tsx: slower, same code
  console.log(`# prebuild-cli failed, nacs processes use tsx: ${e instanceof Error ? e.message : e}`);
}
// Test files at once: NACS_TEST_CONCURRENCY, else cores − 1 (node's default) but at least 2. Many files spend
// most of their time waiting on other processes and protocol timers, so on 2 cores two at a time roughly
// halves the wall time of src/cli + src/link; NACS_TEST_CONCURRENCY=1 runs them one by one.
const concurrency = Number(process.env.NACS_TEST_CONCURRENCY) || Math.max(2, availableParallelism() - 1);
const args = [
  "--import",
  "tsx",
  "--test",
  `--test-concurrency=${concurrency}`,
  "--test-reporter=spec",
  ...files,
];
const r = spawnSync(process.execPath, args, {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
