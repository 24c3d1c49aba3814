#!/usr/bin/env node
// Builds the dashboard app with Vite: dist/dashboard/index.html + assets/ (served by `nacs dashboard`),
// then dist/dashboard/offline.html (one self-contained file with the empty `nacs-record` element).
// `--if-possible` (the `prepare` script, run by `npm ci` / `npm install` in a git checkout): when Vite or the
// app sources are missing (an install without devDependencies) it prints why and exits 0, so the install
// goes on; a real build error still prints the error and exits 0 with the dashboard missing.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "dashboard");
const lenient = process.argv.includes("--if-possible");
const say = (m) => process.stderr.write(`nacs: ${m}\n`);
const fail = (m) => {
  say(lenient ? `dashboard not built: ${m}` : m);
  process.exit(lenient ? 0 : 1);
};

if (!existsSync(join(root, "dashboard", "index.html"))) fail("no dashboard/ sources (not a git checkout)");
let viteBin;
try {
  const pkg = createRequire(join(root, "package.json")).resolve("vite/package.json");
  viteBin = join(dirname(pkg), "bin", "vite.js");
} catch {
  fail("vite is not installed (devDependencies skipped?); run `npm install` then `npm run build:dashboard`");
}

const t0 = performance.now();
for (const mode of ["production", "offline"]) {
  const r = spawnSync(
    process.execPath,
    [viteBin, "build", "-c", "dashboard/vite.config.ts", "--mode", mode],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (r.status !== 0) fail(`vite build --mode ${mode} failed (status ${r.status ?? r.signal})`);
}
const ms = performance.now() - t0;

// The contract of offline.html: exactly one empty record placeholder, nothing loaded from the network.
const offline = readFileSync(join(out, "offline.html"), "utf8");
const tag = '<script id="nacs-record" type="application/x-ndjson"></script>';
const n = offline.split(tag).length - 1;
if (n !== 1) fail(`offline.html: ${n} nacs-record placeholders (must be exactly 1)`);
if (/<script[^>]+src=|<link[^>]+href=/.test(offline))
  fail("offline.html loads a file (must be self-contained)");

const size = (p) =>
  statSync(p).isDirectory() ? readdirSync(p).reduce((s, f) => s + size(join(p, f)), 0) : statSync(p).size;
const kb = (b) => `${(b / 1024).toFixed(0)} KiB`;
say(
  `dashboard built in ${(ms / 1000).toFixed(1)} s: index.html + assets ${kb(size(join(out, "assets")))}, ` +
    `offline.html ${kb(statSync(join(out, "offline.html")).size)}`,
);
