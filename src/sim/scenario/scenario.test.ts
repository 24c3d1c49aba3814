import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DcSession, type DcSessionOptions } from "../dc/index.js";
import type { RecordEvent } from "../record/types.js";
import {
  parseEverestString,
  parseScenarioText,
  SCENARIO_COMMAND_NAMES,
  ScenarioError,
  ScenarioRunner,
} from "./index.js";

const base: DcSessionOptions = {
  batteryKwh: 75,
  socStart: 20,
  targetSoc: 80,
  chargerKw: 250,
  protocol: "iso2",
  seed: 1,
};
const EXAMPLE =
  "sleep 1;iso_wait_slac_matched;iso_start_v2g_session DC;iso_wait_pwr_ready;iso_draw_power_regulated 16,3;sleep 36000#100;iso_stop_charging;iso_wait_v2g_session_stopped;unplug";

function run(commands: string, over: Partial<DcSessionOptions> = {}) {
  const runner = new ScenarioRunner(parseEverestString(commands));
  const session = new DcSession({ ...base, ...over, driver: runner });
  const r = session.run();
  const at = (text: string) => runner.log.find((l) => l.text === text && l.event === "done")?.tMs;
  return { r, runner, session, at };
}

test("parse: EVerest string — ; and newlines, comma/space arguments, # comments, case-insensitive", () => {
  const c = parseEverestString(EXAMPLE);
  assert.deepEqual(
    c.map((x) => [x.name, x.args, x.pos]),
    [
      ["sleep", [1], 1],
      ["iso_wait_slac_matched", [], 2],
      ["iso_start_v2g_session", ["dc"], 3],
      ["iso_wait_pwr_ready", [], 4],
      ["iso_draw_power_regulated", [16, "3"], 5],
      ["sleep", [36000], 6],
      ["iso_stop_charging", [], 7],
      ["iso_wait_v2g_session_stopped", [], 8],
      ["unplug", [], 9],
    ],
  );
  assert.deepEqual(
    parseEverestString("SLEEP 2\n\nFault over-current ; ").map((x) => x.name),
    ["sleep", "fault"],
  );
});

test("parse: unknown command → error naming it, its position and the known commands", () => {
  assert.throws(
    () => parseEverestString("sleep 1;iso_wait_slacmatched"),
    (e: unknown) =>
      e instanceof ScenarioError &&
      /command 2 "iso_wait_slacmatched"/.test(e.message) &&
      SCENARIO_COMMAND_NAMES.every((n) => e.message.includes(n)),
  );
  for (const [bad, rule] of [
    ["sleep", /takes 1 argument/],
    ["sleep x", /number/],
    ["iso_start_v2g_session AC", /DC sessions/],
    ["iso_start_v2g_session DC,Contract", /ExternalPayment/],
    ["draw_power_regulated 16,3", /basic-AC/],
    ["fault meteor", /unknown fault/],
    ["wait_phase lunch", /unknown phase/],
    ["set_soc 120", /0–100/],
  ] as const)
    assert.throws(
      () => parseEverestString(bad),
      (e: unknown) => e instanceof ScenarioError && rule.test(e.message),
      bad,
    );
});

test("parse: YAML / JSON lists (strings, {name: arg}, {cmd, args}), {options, commands}, the older steps format", () => {
  const yaml = parseScenarioText(
    "options: {socStart: 30}\ncommands:\n  - sleep 1\n  - sleep: 2\n  - {cmd: fault, args: [tcp-drop]}\n",
    "yaml",
  );
  assert.deepEqual(yaml.options, { socStart: 30 });
  assert.deepEqual(
    yaml.commands.map((c) => [c.name, c.args]),
    [
      ["sleep", [1]],
      ["sleep", [2]],
      ["fault", ["tcp-drop"]],
    ],
  );
  const json = parseScenarioText('["plugin", {"iso_start_bcb_toggle": 3}]', "json");
  assert.deepEqual(
    json.commands.map((c) => [c.name, c.args]),
    [
      ["plugin", []],
      ["iso_start_bcb_toggle", [3]],
    ],
  );
  const old = parseScenarioText(
    '{"steps":[{"phase":"charging","delayS":5,"action":"fault","fault":"over-current"}]}',
    "json",
  );
  assert.equal(old.steps.length, 1);
  assert.equal(old.commands.length, 0);
  assert.throws(() => parseScenarioText("[1]", "yaml"), ScenarioError);
  assert.throws(() => parseScenarioText("{a: [", "yaml"), /not YAML/);
  for (const f of [
    "pause-resume.yaml",
    "emergency-stop-replug.yaml",
    "isolation-leak.json",
    "everest-dc.txt",
  ]) {
    const kind = f.endsWith(".txt") ? "txt" : f.endsWith(".json") ? "json" : "yaml";
    const text = readFileSync(new URL(`../../../examples/scenarios/${f}`, import.meta.url), "utf8");
    assert.ok(parseScenarioText(text, kind).commands.length > 3, f);
  }
});

test("runner: the EVerest example — waits block, plug-in at the first wait, sleep after the end skipped", () => {
  const { r, at, runner } = run(EXAMPLE);
  assert.equal(r.stopReason, "target SOC reached");
  assert.equal(runner.done, true);
  assert.equal(at("sleep 1"), 1000);
  const matched = at("iso_wait_slac_matched")!;
  assert.ok(matched > 1000 && matched < 5000, `SLAC matched at ${matched}`);
  assert.ok(at("iso_wait_pwr_ready")! > matched);
  assert.ok(runner.log.some((l) => l.text === "sleep 36000" && l.event === "skipped"));
  assert.ok(r.durationS < 3600, "the 10 h sleep did not run on after the session ended");
});

test("runner: with iso_start_v2g_session in the script, SDP/V2G wait for it; a wait nothing satisfies ends the run", () => {
  const { at, runner, session } = run(
    "iso_wait_slac_matched;sleep 10;iso_start_v2g_session DC;iso_wait_pwr_ready",
  );
  assert.ok(at("iso_wait_pwr_ready")! > at("sleep 10")!);
  const setup = session.sim.ctl.messages.SessionSetupReq;
  assert.equal(setup, 1);
  const never = run("iso_wait_slac_matched;iso_start_v2g_session DC;iso_wait_pause;unplug", {
    targetSoc: 21,
  });
  assert.equal(never.runner.blockedAt?.name, "iso_wait_pause", "blocked, as EVerest");
  assert.equal(never.r.stopReason, "target SOC reached");
  assert.equal(runner.done, true);
});

test("runner: iso_pause_charging / iso_wait_for_resume N — ISO 15118-2 pause, same SessionID on resume", () => {
  const { r, at, session } = run(
    "iso_wait_slac_matched;iso_start_v2g_session DC;iso_dc_power_on;sleep 10;iso_pause_charging;iso_wait_pause;iso_wait_for_resume 5;sleep 10;iso_stop_charging;iso_wait_v2g_session_stopped;unplug",
  );
  assert.equal(r.stopReason, "stopped by the driver");
  assert.equal(r.messages.SessionSetupReq, 2);
  assert.ok(at("iso_wait_for_resume 5")! - at("iso_wait_pause")! >= 5000);
  assert.deepEqual(r.safety, []);
  assert.equal(session.sim.ctl.evse.secc.paused, null, "paused session joined again");
});

test("runner: fault commands, rcd_current as an isolation leak, emergency stop + release + second plug-in", () => {
  const leak = run("plugin;wait_phase charging;sleep 5;rcd_current 20;iso_wait_v2g_session_stopped;unplug").r;
  assert.equal(leak.stopReason, "isolation fault");
  const estop = run(
    "plugin;wait_phase charging;sleep 5;emergency_stop;unplug;sleep 5;emergency_release;plugin;wait_phase charging;sleep 5;iso_stop_charging;iso_wait_v2g_session_stopped;unplug",
  );
  assert.equal(estop.r.stopReason, "emergency stop");
  assert.equal(estop.r.messages.SessionSetupReq, 2, "second session ran");
  assert.equal(estop.r.safety.length, 1);
  const f = run("plugin;wait_phase charging;sleep 5;fault tcp-drop;iso_wait_v2g_session_stopped;unplug").r;
  assert.equal(f.stopReason, "V2G connection closed (TCP)");
});

const REPLUG = readFileSync(
  new URL("../../../examples/scenarios/emergency-stop-replug.yaml", import.meta.url),
  "utf8",
);

/** Run a parsed scenario, keeping the record events. */
function runScenario(text: string, kind: "yaml" | "txt", over: Partial<DcSessionOptions> = {}) {
  const scenario = parseScenarioText(text, kind);
  const runner = new ScenarioRunner(scenario.commands);
  const events: RecordEvent[] = [];
  const session = new DcSession({
    ...base,
    ...scenario.options,
    ...over,
    driver: runner,
    onRecord: (e) => events.push(e),
  });
  const r = session.run();
  const starts = (name: string) => runner.log.filter((l) => l.event === "start" && l.text === name);
  const phases = (p: string) =>
    events.filter((e) => e.type === "phase" && e.phase === p).map((e) => e.t * 1000);
  const logs = events.filter((e) => e.type === "log" && e.side === "script").map((e) => String(e.msg));
  return { r, runner, events, starts, phases, logs };
}

test("wait_phase belongs to the current plug-in: the replug example's second charging period lasts as scripted", () => {
  const { r, runner, starts, phases } = runScenario(REPLUG, "yaml");
  assert.equal(runner.done, true);
  const charging = phases("charging");
  assert.equal(charging.length, 2, "two sessions reached charging");
  const plugins = starts("plugin").map((l) => l.tMs);
  assert.ok(charging[1]! > plugins[1]!, "the second charging phase comes after the second plug-in");
  // plugin; wait_phase charging; sleep 10; … — from entering charging to the next command: 10 s each time.
  const estop = starts("emergency_stop")[0]!.tMs;
  const stop = starts("iso_stop_charging")[0]!.tMs;
  assert.ok(Math.abs(estop - charging[0]! - 10_000) < 1, `first period ${estop - charging[0]!} ms`);
  assert.ok(Math.abs(stop - charging[1]! - 10_000) < 1, `second period ${stop - charging[1]!} ms`);
  const chargingS = r.sessions[1]!.chargingS;
  assert.ok(chargingS >= 10 && chargingS < 10.25, `summary: second session charging ${chargingS} s`);
});

test("wait_phase with the connector out plugs in first and says so in the record (first command, after an unplug)", () => {
  const { r, runner, logs } = runScenario(
    "wait_phase charging;sleep 3;iso_stop_charging;iso_wait_v2g_session_stopped;unplug;wait_phase charging;sleep 4;iso_stop_charging;iso_wait_v2g_session_stopped;unplug",
    "txt",
  );
  assert.equal(runner.done, true);
  assert.equal(r.stopReason, "stopped by the driver");
  assert.ok(r.durationS < 60, `ran ${r.durationS} s`);
  const implicit = logs.filter((m) =>
    /wait_phase charging: connector not plugged in.*implicit plugin/.test(m),
  );
  assert.deepEqual(
    implicit.map((m) => m.split(":")[0]),
    ["1", "6"],
    "both waits said they plugged in",
  );
  // chargingS runs to the "stopping" phase: the stop is sent with the next charge-loop request.
  assert.deepEqual(
    r.sessions.map((s) => [s.n, s.stopReason, Math.round(s.chargingS * 4) / 4]),
    [
      [1, "stopped by the driver", 3],
      [2, "stopped by the driver", 4],
    ],
  );
});

test("plugin right after unplug waits until both sides saw the connector out, so a second session runs (DC and AC)", () => {
  const script =
    "plugin;wait_phase charging;sleep 5;iso_stop_charging;iso_wait_v2g_session_stopped;unplug;plugin;wait_phase charging;sleep 5;iso_stop_charging;iso_wait_v2g_session_stopped;unplug";
  for (const energy of ["dc", "ac"] as const) {
    const { r, runner, starts } = runScenario(script, "txt", { energy });
    assert.equal(runner.done, true, energy);
    assert.equal(r.sessions.length, 2, energy);
    const [a, b] = r.sessions;
    assert.ok(b!.pluggedInS > a!.unpluggedS!, `${energy}: plugged in again after the unplug`);
    assert.ok(b!.pluggedInS - a!.unpluggedS! < 1, `${energy}: re-plug ${b!.pluggedInS - a!.unpluggedS!} s`);
    assert.ok(
      b!.phases.some((p) => p.phase === "charging"),
      `${energy}: second session charged: ${JSON.stringify(b!.phases)}`,
    );
    assert.equal(starts("iso_stop_charging").length, 2);
    assert.equal(b!.messages.SessionSetupReq, 1);
  }
});

test("summary: one entry per plug-in; the top-level fields still cover the whole run", () => {
  const { r } = runScenario(REPLUG, "yaml");
  assert.equal(r.stopReason, "emergency stop", "top level: the earliest reason, as before");
  assert.equal(r.socStart, 20);
  assert.equal(r.safety.length, 1);
  const [a, b] = r.sessions;
  assert.equal(r.sessions.length, 2);
  assert.deepEqual([a!.n, b!.n], [1, 2]);
  assert.equal(a!.stopReason, "emergency stop");
  assert.equal(b!.stopReason, "stopped by the driver");
  assert.deepEqual(
    a!.safety.map((t) => t.fault),
    ["emergency-stop"],
  );
  assert.deepEqual(b!.safety, []);
  assert.equal(a!.protocol, "iso2");
  assert.equal(b!.protocol, "iso2");
  assert.equal(a!.socStart, 20);
  assert.equal(a!.socEnd, b!.socStart);
  assert.equal(b!.socEnd, r.socEnd);
  assert.ok(Math.abs(a!.energyDeliveredWh + b!.energyDeliveredWh - r.energyDeliveredWh) < 0.01);
  assert.ok(Math.abs(a!.lossesWh + b!.lossesWh - r.lossesWh) < 0.01);
  assert.ok(a!.energyDeliveredWh > 100 && b!.energyDeliveredWh > 100);
  assert.equal(Math.max(a!.peakPowerW, b!.peakPowerW), r.peakPowerW);
  for (const [k, v] of Object.entries(r.messages))
    assert.equal((a!.messages[k] ?? 0) + (b!.messages[k] ?? 0), v, k);
  assert.equal(a!.pluggedInS, 0);
  assert.ok(a!.unpluggedS! < b!.pluggedInS && b!.unpluggedS === r.durationS);
  assert.deepEqual(
    b!.phases.map((p) => p.phase),
    ["connecting", "cable-check", "pre-charge", "charging", "stopping", "ended"],
  );
  assert.deepEqual(r.script, { done: true, blockedAt: null });
  // One plug-in: the entry matches the top level.
  const one = run(EXAMPLE).r;
  assert.equal(one.sessions.length, 1);
  const s = one.sessions[0]!;
  assert.equal(s.stopReason, one.stopReason);
  assert.equal(s.energyDeliveredWh, one.energyDeliveredWh);
  assert.equal(s.socEnd, one.socEnd);
  assert.equal(s.peakPowerW, one.peakPowerW);
  assert.deepEqual(s.messages, one.messages);
  assert.equal(s.pluggedInS, 1, "the script plugged in at its first wait, after sleep 1");
});

test("a script that ends on a wait says so: summary.script.blockedAt and a warning in the record", () => {
  const { r, logs } = runScenario(
    "iso_wait_slac_matched;iso_start_v2g_session DC;iso_wait_pause;unplug",
    "txt",
    {
      targetSoc: 21,
    },
  );
  assert.deepEqual(r.script, { done: false, blockedAt: { pos: 3, text: "iso_wait_pause" } });
  assert.ok(
    logs.some((m) => /script did not finish: .* at command 3 "iso_wait_pause"/.test(m)),
    logs.join("\n"),
  );
});
