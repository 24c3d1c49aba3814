/**
 * A whole simulated session (`nacs simulate`: both controllers, both V2G machines, the codecs, the simulated
 * board) makes no V8 hidden class per charge-loop message: a session with twice the charge loop makes about
 * as many hidden classes as the shorter one (V8's `--log-maps` counts them). A new hidden class per message
 * fills the old generation at the message rate (src/testing/hidden-class.ts says why); this catches a site
 * anywhere in the stack, where the per-site tests catch the ones found so far.
 *
 * Runs the CLI's transpiled copy (tools/prebuild-cli.mjs), as a fleet does: tsx's `__name` wrappers make
 * hidden classes of their own.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const main = join(root, "node_modules", ".cache", "nacs-cli", "src", "cli", "main.js");
const dir = mkdtempSync(join(tmpdir(), "nacs-maps-"));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => {
  const r = spawnSync(process.execPath, [join(root, "tools", "prebuild-cli.mjs")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

/** Hidden classes a whole run of `nacs simulate ARGS` made, and the V2G messages it exchanged. */
function run(name: string, args: string[]): Promise<{ maps: number; messages: number }> {
  const log = join(dir, `${name}.log`);
  const node = ["--log-maps", "--no-log-maps-details", `--logfile=${log}`, "--no-logfile-per-isolate"];
  return new Promise((resolve, reject) => {
    const cp = spawn(process.execPath, [...node, main, "simulate", "--json", "--no-record", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    cp.stdout.on("data", (b: Buffer) => {
      out += b;
    });
    cp.stderr.on("data", (b: Buffer) => {
      err += b;
    });
    const limit = setTimeout(() => cp.kill("SIGKILL"), 120_000);
    cp.on("close", (code) => {
      clearTimeout(limit);
      if (code !== 0) return reject(new Error(`nacs simulate ${args.join(" ")} exited ${code}: ${err}`));
      const counts = (JSON.parse(out) as { messages: Record<string, number> }).messages;
      const maps = readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("map,")).length;
      rmSync(log, { force: true });
      resolve({ maps, messages: Object.values(counts).reduce((a, b) => a + b, 0) });
    });
  });
}

/** Sessions with a longer and a shorter charge loop: [name, shorter args, longer args]. */
const CASES: [string, string[], string[]][] = [
  ["ISO-2 DC", ["--soc", "20", "--target-soc", "30"], ["--soc", "20", "--target-soc", "40"]],
  [
    "DIN DC",
    ["--protocol", "din", "--soc", "20", "--target-soc", "30"],
    ["--protocol", "din", "--soc", "20", "--target-soc", "40"],
  ],
  [
    "ISO-20 DC, Dynamic",
    ["--protocol", "iso20", "--control", "dynamic", "--soc", "20", "--target-soc", "30"],
    ["--protocol", "iso20", "--control", "dynamic", "--soc", "20", "--target-soc", "40"],
  ],
  [
    "ISO-20 DC_BPT (discharging)",
    ["--protocol", "iso20", "--service", "dc-bpt", "--soc", "80", "--min-soc", "70"],
    ["--protocol", "iso20", "--service", "dc-bpt", "--soc", "80", "--min-soc", "60"],
  ],
  [
    "ISO-20 AC",
    ["--protocol", "iso20", "--service", "ac", "--soc", "20", "--target-soc", "25"],
    ["--protocol", "iso20", "--service", "ac", "--soc", "20", "--target-soc", "30"],
  ],
];

/** At most one hidden class per this many extra messages (start-up and JIT timing vary by a few dozen). */
const MESSAGES_PER_HIDDEN_CLASS = 10;

for (const [name, shorter, longer] of CASES) {
  test(`simulate, ${name}: no hidden class per charge-loop message`, async () => {
    const [a, b] = await Promise.all([run(`${name}-a`, shorter), run(`${name}-b`, longer)]);
    const extraMessages = b.messages - a.messages;
    assert.ok(extraMessages >= 1000, `the longer session exchanged ${extraMessages} more messages`);
    const extraMaps = b.maps - a.maps;
    assert.ok(
      extraMaps <= extraMessages / MESSAGES_PER_HIDDEN_CLASS,
      `${extraMaps} more hidden classes for ${extraMessages} more messages (${a.maps} → ${b.maps})`,
    );
  });
}
