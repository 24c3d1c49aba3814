import assert from "node:assert/strict";
import { test } from "node:test";
import type { RecordEvent } from "../../link/host/record.js";
import { DcSession } from "../../sim/dc/session.js";
import { INTERACTIVE_REPLUG_HOLD_MS, InteractiveDriver } from "../../sim/scenario/index.js";
import { runPaced } from "./paced.js";
import { runSimControlLine, runSimScenario } from "./sim-control.js";

/** A session charging, with the interactive driver of `--ui` or (`interactive` false) none. */
function charging(interactive = false, targetSoc = 80): { s: DcSession; rec: RecordEvent[] } {
  const rec: RecordEvent[] = [];
  const s = new DcSession({
    batteryKwh: 75,
    socStart: 20,
    targetSoc,
    chargerKw: 250,
    protocol: "iso2",
    seed: 1,
    onRecord: (e) => rec.push(e),
    ...(interactive && { driver: new InteractiveDriver() }),
  });
  for (let t = 1000; !rec.some((e) => e.type === "phase" && e.phase === "charging"); t += 1000) {
    assert.ok(t < 60_000, "charging within a minute");
    s.advance(t);
  }
  s.advance(s.sim.nowMs + 2000);
  return { s, rec };
}

test("sim control: emergency_stop (EVSE) trips the simulated EVSE as the live control channel's line does", () => {
  const { s, rec } = charging();
  assert.deepEqual(runSimControlLine(s, "evse", "emergency_stop"), { ok: true, did: "emergency stop" });
  s.run();
  const trip = rec.find((e) => e.type === "trip");
  assert.equal(trip?.fault, "emergency-stop");
  assert.equal(s.summary().stopReason, "emergency stop");
  assert.deepEqual(runSimControlLine(s, "evse", "evse_stop"), {
    ok: false,
    error: "the simulated session is over",
  });
});

test("sim control: every named fault runs (recorded), the EV's words go to the EV, refusals name the command", () => {
  const { s, rec } = charging();
  assert.deepEqual(runSimControlLine(s, "evse", "set_target_soc 90"), {
    ok: false,
    error: "set_target_soc: the EV's charging target",
  });
  assert.deepEqual(runSimControlLine(s, "ev", "set_target_soc 30"), { ok: true, did: "target SOC 30 %" });
  assert.match(String((runSimControlLine(s, "ev", "help") as { did: string }).did), /^commands: /);
  assert.equal(runSimControlLine(s, "evse", "fault no-such").ok, false);
  // comm-loss is not a hardware fault: a live host refuses it, the simulator injects it
  assert.deepEqual(runSimControlLine(s, "evse", "fault comm-loss"), { ok: true, did: "fault comm-loss" });
  assert.ok(rec.some((e) => e.type === "fault" && e.name === "comm-loss"));
  s.run();
  assert.notEqual(s.summary().stopReason, "target SOC reached");
});

test("sim control: unplug presses the button and pulls the plug a second later; the session ends unplugged", () => {
  const { s } = charging();
  const at = s.sim.nowMs / 1000;
  const r = runSimControlLine(s, "ev", "unplug");
  assert.equal(r.ok, true);
  s.run();
  assert.equal(s.sim.cable.plugged, false);
  const unplugged = s.summary().sessions[0]?.unpluggedS;
  assert.ok(
    unplugged !== null && unplugged !== undefined && unplugged >= at + 1,
    `unplugged at ${unplugged} s`,
  );
  assert.deepEqual(runSimControlLine(s, "ev", "unplug"), {
    ok: false,
    error: "the simulated session is over",
  });
});

test("sim control (--ui): unplug, then plugin begins the next session of the same run, which charges", () => {
  const { s } = charging(true, 30);
  const r = runSimControlLine(s, "ev", "unplug");
  assert.ok(r.ok && /plug in within 600 s \(simulated\)/.test(r.did), JSON.stringify(r));
  assert.deepEqual(runSimControlLine(s, "ev", "plugin"), {
    ok: false,
    error: "plugin: the connector is plugged in already",
  });
  s.advance(s.sim.nowMs + 20_000);
  assert.equal(s.done, false, "the run waits for a plug-in");
  assert.equal(s.sim.cable.plugged, false);
  const p = runSimControlLine(s, "evse", "plugin");
  assert.ok(p.ok, JSON.stringify(p));
  s.run();
  const sessions = s.summary().sessions;
  assert.equal(sessions.length, 2, JSON.stringify(sessions));
  assert.equal(sessions[0]?.stopReason, "connector unlatched (PP)", "the first: the handle button");
  assert.equal(sessions[1]?.stopReason, "target SOC reached");
  assert.ok(
    (sessions[1]?.energyDeliveredWh ?? 0) > 1000,
    `second session: ${sessions[1]?.energyDeliveredWh} Wh`,
  );
});

test("sim control (--ui): after an unplug with no plug-in the run ends once the hold is over", () => {
  const { s } = charging(true);
  runSimControlLine(s, "ev", "unplug");
  const from = s.sim.nowMs;
  s.run();
  const waited = s.sim.nowMs - from;
  assert.ok(
    waited >= INTERACTIVE_REPLUG_HOLD_MS && waited < INTERACTIVE_REPLUG_HOLD_MS + 15_000,
    `ended ${waited} ms after the unplug`,
  );
  assert.equal(s.summary().sessions.length, 1);
  // without the interactive driver an unplug ends the run at once, and nothing plugs in
  const plain = charging(false);
  assert.match(String((runSimControlLine(plain.s, "ev", "plugin") as { error: string }).error), /plugged in/);
  runSimControlLine(plain.s, "ev", "unplug");
  const t0 = plain.s.sim.nowMs;
  plain.s.run();
  assert.ok(plain.s.sim.nowMs - t0 < 15_000, `plain run ended ${plain.s.sim.nowMs - t0} ms after the unplug`);
});

test("sim control (--ui): a scenario file's commands are queued and run; options, steps and bad commands are refused", () => {
  const { s, rec } = charging(true);
  assert.deepEqual(runSimScenario(s, "limit.yaml", "options: { chargerKw: 50 }\ncommands: [sleep 1]\n"), {
    ok: false,
    error: "scenario limit.yaml: options (chargerKw) set up a run; give them to nacs simulate --scenario",
  });
  const bad = runSimScenario(s, "x.txt", "sleep 1;no_such_command");
  assert.ok(!bad.ok && /^scenario x\.txt: .*no_such_command/.test(bad.error), JSON.stringify(bad));
  const ok = runSimScenario(s, "limit.txt", "set_charger_kw 50;sleep 10;set_target_soc 25");
  assert.deepEqual(ok, { ok: true, did: "scenario limit.txt: 3 commands queued (as commands 1–3)" });
  s.run();
  const lastSample = rec.filter((e) => e.type === "sample" && Number(e.p) > 0).at(-1);
  assert.equal(lastSample?.evseMaxW, 50_000, "the charger power limit took effect");
  assert.equal(s.summary().stopReason, "target SOC reached");
  assert.ok(s.summary().socEnd >= 25 && s.summary().socEnd < 27, `SOC ${s.summary().socEnd}`);
});

test("paced run: virtual time follows the (fake) wall clock × speed, with a bounded step after a stall", async () => {
  let wall = 0;
  const seen: number[] = [];
  const target = {
    done: false,
    advance(untilMs: number) {
      seen.push(untilMs);
      if (seen.length >= 4) this.done = true;
    },
  };
  const walls = [0, 20, 40, 10_040];
  let k = 0;
  await runPaced(target, {
    speed: 50,
    tickMs: 20,
    now: () => {
      wall = walls[Math.min(k++, walls.length - 1)]!;
      return wall;
    },
    sleep: async () => {},
  });
  // first tick at wall 20 → 1000 ms virtual; 40 → 2000; a 10 s stall advances at most 250 ms × 50
  assert.deepEqual(seen, [1000, 2000, 2000 + 250 * 50, 2000 + 250 * 50]);
});

test("paced run with realTime: a tick stops at the slice where the run began to wait on the wall clock, then speed 1 until it no longer does", async () => {
  const seen: number[] = [];
  let waiting = false;
  const target = {
    done: false,
    advance(untilMs: number) {
      seen.push(untilMs);
      if (untilMs === 500) waiting = true; // e.g. the SECC handed a request to the CSMS here
      if (untilMs === 540) waiting = false;
      if (seen.length >= 8) this.done = true;
    },
  };
  const walls = [0, 20, 40, 60, 80];
  let k = 0;
  await runPaced(target, {
    speed: 50,
    tickMs: 20,
    realTime: () => waiting,
    now: () => walls[Math.min(k++, walls.length - 1)]!,
    sleep: async () => {},
  });
  // tick 1 (1000 ms at ×50) in 250 ms slices, cut at 500; ticks 2–3 at ×1 (20 ms each); then ×50 again
  assert.deepEqual(seen.slice(0, 5), [250, 500, 520, 540, 790]);
});

test("sim control (--ui): an unplug at any moment of the charge loop ends the session (phase ended), also when the plug is pulled during the EV's welding detection after the EVSE tripped", () => {
  // every 7 ms over 0.4 s of the loop (the CurrentDemand cycle is about 0.2 s): some moments leave the EV in
  // its welding detection when the plug is pulled, so it goes straight to unplugged without its own "ended"
  const missing: number[] = [];
  for (let k = 0; k < 400; k += 7) {
    const { s, rec } = charging(true, 30);
    s.advance(s.sim.nowMs + k);
    assert.equal(runSimControlLine(s, "ev", "unplug").ok, true);
    s.advance(s.sim.nowMs + 10_000);
    if (!rec.some((e) => e.type === "phase" && e.phase === "ended")) missing.push(k);
  }
  assert.deepEqual(missing, [], "unplug moments (ms into the loop) whose session never ended");
});
