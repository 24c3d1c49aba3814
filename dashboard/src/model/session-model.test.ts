import assert from "node:assert/strict";
import { test } from "node:test";
import type { RecordEvent } from "../../../src/sim/record/types.js";
import { applyEvents, createSessionModel } from "./session-model.js";
import { tripLabel } from "./trip-label.js";

const ev = (t: number, type: string, f: Record<string, unknown> = {}) => ({ t, type, ...f }) as RecordEvent;

test("session model: sample columns keep every sample, null where a field is absent", () => {
  const m = applyEvents(createSessionModel(), [
    ev(1, "sample", { v: 400, i: 10, p: 4000, soc: 70, cp: "C" }),
    ev(1.05, "sample", {
      v: 401,
      i: 12,
      p: 4812,
      soc: 70.001,
      evTargetV: 410,
      evTargetA: 12.5,
      evseMaxA: 400,
    }),
  ]);
  assert.deepEqual(m.samples.t, [1, 1.05]);
  assert.deepEqual(m.samples.evTargetV, [null, 410]);
  assert.deepEqual(m.samples.evseMaxW, [null, null]);
  assert.equal(m.status.cp, "C");
  assert.equal(m.version, 1);
});

test("session model: trips get fault → detection and detection → off times from fault/trip/off", () => {
  const m = applyEvents(createSessionModel(), [
    ev(33.725, "fault", { name: "over-current" }),
    ev(33.733, "trip", { fault: "over-current", reason: "over-current", detail: "459.6 A > 440.0 A" }),
    ev(33.734, "off", { fault: "over-current", latencyMs: 1 }),
  ]);
  assert.equal(m.trips.length, 1);
  const t = m.trips[0]!;
  assert.equal(t.faultT, 33.725);
  assert.equal(t.latencyMs, 1);
  assert.equal(
    tripLabel(t),
    "over-current: fault → detection 8 ms, detection → off 1 ms (459.6 A > 440.0 A)",
  );
});

test("session model: messages paired with their request time; state follows cp/duty/lock/contactor/stop", () => {
  const m = createSessionModel();
  applyEvents(m, [
    ev(1.2, "msg", { name: "CurrentDemandReq" }),
    ev(1.2035, "msg", { dir: "rx", name: "CurrentDemandRes", bytes: "8000" }),
    ev(1.3, "cp", { state: "C" }),
    ev(1.3, "duty", { duty: 5 }),
    ev(1.31, "lock", { locked: true }),
  ]);
  applyEvents(m, [
    ev(2, "contactor", { side: "evse", closed: true }),
    ev(9, "stop", { side: "ev", reason: "done" }),
  ]);
  assert.equal(m.messages[1]!.reqIndex, 0);
  assert.equal(m.messages[1]!.rttMs, 3.5);
  assert.equal(m.messages[0]!.resIndex, 1);
  assert.equal(m.messages[0]!.from, "ev");
  assert.equal(m.messages[1]!.from, "evse");
  assert.equal(m.messages[1]!.bytes, "8000");
  assert.deepEqual(
    { cp: m.status.cp, duty: m.status.duty, locked: m.status.locked, evse: m.status.contactors.evse },
    { cp: "C", duty: 5, locked: true, evse: true },
  );
  assert.deepEqual(m.status.stop, { side: "ev", reason: "done", t: 9 });
  assert.equal(m.version, 2);
  assert.equal(m.count, 7);
  // a plug-in after the unplug: the next session of the run starts with no stop reason
  applyEvents(m, [ev(20, "phase", { phase: "connecting" })]);
  assert.equal(m.status.stop, undefined);
  assert.deepEqual(m.phases.at(-1), { t: 20, phase: "connecting" });
});

test("session model: SLAC / SDP progress from the hosts' phase log lines", () => {
  const m = applyEvents(createSessionModel(), [
    ev(0.01, "log", { side: "ev", level: "info", msg: "EV phase plugged" }),
    ev(0.02, "log", { side: "evse", level: "info", msg: "contactors close command at 0.00 A" }),
    ev(0.03, "log", { side: "evse", level: "info", msg: "EVSE phase slac" }),
    ev(1.2, "log", { side: "ev", level: "info", msg: "EV phase sdp" }),
  ]);
  assert.deepEqual(
    m.progress.map((p) => p.step),
    ["EV phase plugged", "EVSE phase slac", "EV phase sdp"],
  );
});
