#!/usr/bin/env node
// Builds the raw-Ethernet addon (native/raw_packet.c -> build/Release/nacs_raw.node) at `npm ci` /
// `npm install` time with node-gyp and the machine's C compiler, against Node's own installed headers
// (no header download: this machine has no network beyond the package registries).
// Never fails the install: without a compiler, headers or on a non-Linux system it prints why and exits 0;
// raw Ethernet then raises RawEthernetError "addon-not-built" when (and only when) it is used.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const say = (m) => process.stderr.write(`nacs: ${m}\n`);

if (process.platform !== "linux") {
  say(`raw ethernet addon not built: AF_PACKET needs Linux (this is ${process.platform})`);
  process.exit(0);
}

// node-gyp: the one npm runs scripts with (npm_config_node_gyp), else npm's bundled copy.
function findNodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const candidates = [];
  try {
    const npmCli = process.env.npm_execpath;
    if (npmCli)
      candidates.push(join(dirname(npmCli), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  } catch {}
  candidates.push(
    join(
      dirname(process.execPath),
      "..",
      "lib",
      "node_modules",
      "npm",
      "node_modules",
      "node-gyp",
      "bin",
      "node-gyp.js",
    ),
  );
  try {
    candidates.push(createRequire(import.meta.url).resolve("node-gyp/bin/node-gyp.js"));
  } catch {}
  return candidates.find((c) => existsSync(c));
}

// Node's headers: npm's nodedir setting, else the install prefix of this node (…/include/node/node_api.h).
function findNodeDir() {
  const fromNpm = process.env.npm_config_nodedir;
  if (fromNpm && existsSync(join(fromNpm, "include", "node", "node_api.h"))) return fromNpm;
  const prefix = resolve(dirname(process.execPath), "..");
  if (existsSync(join(prefix, "include", "node", "node_api.h"))) return prefix;
  return undefined;
}

const gyp = findNodeGyp();
if (!gyp) {
  say("raw ethernet addon not built: node-gyp not found (it ships with npm)");
  process.exit(0);
}
const nodedir = findNodeDir();
const args = [gyp, "rebuild", "--loglevel=warn"];
if (nodedir) args.push(`--nodedir=${nodedir}`);
const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
if (r.status !== 0) {
  say(
    `raw ethernet addon not built: node-gyp exited ${r.status ?? r.signal}` +
      " (needs python3, make, a C compiler and Node's headers); raw Ethernet will be unavailable",
  );
  process.exit(0);
}
say("raw ethernet addon built: build/Release/nacs_raw.node");
