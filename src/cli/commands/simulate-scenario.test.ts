import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const EXAMPLES = new URL("../../../examples/scenarios/", import.meta.url).pathname;

function nacs(...args: string[]) {
  return spawnSync(process.execPath, ["bin/nacs.js", "simulate", "--no-record", ...args], {
    encoding: "utf8",
  });
}

/** The top-level fields of `nacs simulate --json` (DC) before `sessions`: a contract, kept as they are. */
const TOP_LEVEL = [
  "batteryKwh",
  "durationS",
  "energyDeliveredWh",
  "events",
  "limitsAchieved",
  "lossesWh",
  "messages",
  "mode",
  "outputPeak",
  "peakPowerW",
  "protocol",
  "responseTimesMs",
  "safety",
  "socEnd",
  "socStart",
  "stopReason",
];

test("--scenario with a re-plug: --json has one sessions[] entry per plug-in beside the whole-run fields; the table lists them", () => {
  const file = join(EXAMPLES, "emergency-stop-replug.yaml");
  const r = nacs("--json", "--scenario", file);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of TOP_LEVEL) assert.ok(k in j, `top-level field ${k} kept`);
  assert.equal(j.stopReason, "emergency stop", "whole run: the earliest reason, as before");
  assert.deepEqual(
    j.sessions.map((s: { n: number; stopReason: string }) => [s.n, s.stopReason]),
    [
      [1, "emergency stop"],
      [2, "stopped by the driver"],
    ],
  );
  const second = j.sessions[1];
  assert.ok(
    second.chargingS >= 10 && second.chargingS < 10.25,
    `second session charged ${second.chargingS} s`,
  );
  const sum = j.sessions.reduce((a: number, s: { energyDeliveredWh: number }) => a + s.energyDeliveredWh, 0);
  assert.ok(Math.abs(sum - j.energyDeliveredWh) < 0.01, `${sum} vs ${j.energyDeliveredWh} Wh`);
  assert.deepEqual(j.script, { done: true, blockedAt: null });

  const t = nacs("--scenario", file);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /stop reason\s+emergency stop/);
  assert.match(t.stdout, /plug-ins\s+2 sessions/);
  assert.match(t.stdout, /session 1\s+0\.0 s → [\d.]+ s: emergency stop, charging 10\.\d s, [\d.]+ kWh/);
  assert.match(
    t.stdout,
    /session 2\s+[\d.]+ s → [\d.]+ s: stopped by the driver, charging 10\.\d s, [\d.]+ kWh/,
  );
});

test("a script that ends on a wait nothing satisfies names the command in the table", () => {
  const r = nacs(
    "--target-soc",
    "21",
    "--scenario-string",
    "iso_wait_slac_matched;iso_start_v2g_session DC;iso_wait_pause;unplug",
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /script\s+did not finish: the run ended at command 3 "iso_wait_pause"/);
  assert.doesNotMatch(r.stdout, /plug-ins/, "one plug-in: no per-session rows");
});

test("an ISO 15118-20 command in a session of another protocol is a usage error naming the command and the rule", () => {
  const r = nacs("--protocol", "iso2", "--scenario-string", "iso_wait_slac_matched;iso_start_bpt_discharge");
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /option --scenario-string: scenario command 2 "iso_start_bpt_discharge": .*needs protocol iso20, this session's protocol is iso2/,
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});
