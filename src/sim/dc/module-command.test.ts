import assert from "node:assert/strict";
import { test } from "node:test";
import { dcBatteryConfig } from "../../ev/dc/index.js";
import { powerModuleConfig } from "../../evse/dc/index.js";
import { createVirtualClock } from "../../machine/index.js";
import { DcWorld } from "./world.js";

/** A world measuring every `measureEveryMs` (0: only on change, as in virtual-time sessions). */
function world(measureEveryMs: number) {
  const clock = createVirtualClock();
  const w = new DcWorld({
    module: powerModuleConfig("1000v", 150_000),
    battery: dcBatteryConfig("800v", 200),
    socStart: 50,
    clock,
    rng: null,
    record: () => {},
    measureEveryMs,
  });
  const measures: number[] = [];
  w.sides = { evse: (ev) => ev.kind === "measure" && measures.push(ev.tMs), ev: () => {} };
  return { w, clock, measures };
}

test("a board measuring periodically: a module set point repeated unchanged (every charge-loop cycle) brings no extra measurement; a changed one does", () => {
  const { w, clock, measures } = world(100);
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
  clock.runUntil(50);
  const afterFirst = measures.length;
  assert.ok(afterFirst >= 1, "the first set point is measured at once");
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
  clock.runUntil(60);
  assert.equal(
    measures.length,
    afterFirst,
    "the same set point again: nothing until the periodic measurement",
  );
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 20 });
  clock.runUntil(70);
  assert.equal(measures.length, afterFirst + 1, "a new set point is measured at once");
  w.evseCommand({ kind: "module", op: "off", emergency: false });
  clock.runUntil(80);
  assert.equal(measures.length, afterFirst + 2, "off is measured at once");
});

test("in virtual time (no periodic measuring) every module command measures", () => {
  const { w, clock, measures } = world(0);
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
  clock.runUntil(50);
  const n = measures.length;
  w.evseCommand({ kind: "module", op: "set", voltageV: 400, currentA: 10 });
  clock.runUntil(60);
  assert.equal(measures.length, n + 1);
});
