import assert from "node:assert/strict";
import { test } from "node:test";
import type { RecordEvent } from "../../link/host/record.js";
import { DcSession } from "../../sim/dc/session.js";
import { runPaced } from "./paced.js";
import { runSimControlLine } from "./sim-control.js";

function charging(): { s: DcSession; rec: RecordEvent[] } {
  const rec: RecordEvent[] = [];
  const s = new DcSession({
    batteryKwh: 75,
    socStart: 20,
    targetSoc: 80,
    chargerKw: 250,
    protocol: "iso2",
    seed: 1,
    onRecord: (e) => rec.push(e),
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
