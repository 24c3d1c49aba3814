/** The driver alone, with a fake controller: ordering, timers, run to completion, errors. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createMachineDriver } from "./driver.js";
import { createVirtualClock } from "./virtual-clock.js";

type Ev = { kind: "in"; n: number; tMs: number } | { kind: "timer"; id: string; tMs: number };
type Fx =
  | { kind: "out"; n: number }
  | { kind: "set-timer"; id: string; atMs: number }
  | { kind: "clear-timer"; id: string };

/** Echoes inputs; input n ≥ 100 arms timer "t" at tMs + n; n = -1 clears it; logs everything it sees. */
function fake(log: string[]) {
  return (s: number, e: Ev): [number, Fx[]] => {
    log.push(e.kind === "in" ? `in${e.n}@${e.tMs}` : `timer:${e.id}@${e.tMs}`);
    if (e.kind === "timer") return [s + 1, [{ kind: "out", n: -2 }]];
    if (e.n === -1) return [s + 1, [{ kind: "clear-timer", id: "t" }]];
    if (e.n >= 100) return [s + 1, [{ kind: "set-timer", id: "t", atMs: e.tMs + e.n }]];
    return [s + 1, [{ kind: "out", n: e.n }]];
  };
}

test("driver: events pushed while effects run wait their turn (run to completion, FIFO)", () => {
  const clock = createVirtualClock();
  const log: string[] = [];
  const d = createMachineDriver<number, Ev, Fx>({
    step: fake(log),
    state: 0,
    clock,
    perform(f, drv) {
      log.push(`out${f.kind === "out" ? f.n : "?"}`);
      if (f.kind === "out" && f.n === 1) {
        drv.push({ kind: "in", n: 2, tMs: 0 });
        drv.push({ kind: "in", n: 3, tMs: 0 });
      }
    },
  });
  d.push({ kind: "in", n: 1, tMs: 0 });
  assert.deepEqual(log, ["in1@0", "out1", "in2@0", "out2", "in3@0", "out3"]);
  assert.equal(d.state(), 3);
});

test("driver: set-timer replaces a pending timer of the same id; the timer event carries the due time", () => {
  const clock = createVirtualClock();
  const log: string[] = [];
  const d = createMachineDriver<number, Ev, Fx>({ step: fake(log), state: 0, clock, perform() {} });
  d.push({ kind: "in", n: 100, tMs: 0 });
  clock.advanceTo(50);
  d.push({ kind: "in", n: 200, tMs: 50 });
  while (clock.runNext());
  assert.deepEqual(log, ["in100@0", "in200@50", "timer:t@250"]);
});

test("driver: clear-timer and stop disarm timers; a stopped driver ignores events", () => {
  const clock = createVirtualClock();
  const log: string[] = [];
  const d = createMachineDriver<number, Ev, Fx>({ step: fake(log), state: 0, clock, perform() {} });
  d.push({ kind: "in", n: 100, tMs: 0 });
  d.push({ kind: "in", n: -1, tMs: 0 });
  assert.equal(clock.pending, 0);
  d.push({ kind: "in", n: 300, tMs: 0 });
  d.stop();
  assert.equal(clock.pending, 0);
  d.push({ kind: "in", n: 5, tMs: 0 });
  assert.deepEqual(log, ["in100@0", "in-1@0", "in300@0"]);
  assert.equal(d.stopped, true);
});

test("driver: a throwing step stops the driver and reaches onError; without onError it propagates", () => {
  const clock = createVirtualClock();
  const errors: string[] = [];
  const bad = (s: number, e: Ev): [number, Fx[]] => {
    if (e.kind === "in" && e.n === 7) throw new Error("boom");
    return [s, [{ kind: "set-timer", id: "t", atMs: 10 }]];
  };
  const d = createMachineDriver<number, Ev, Fx>({
    step: bad,
    state: 0,
    clock,
    perform() {},
    onError: (err) => errors.push(String(err)),
  });
  d.push({ kind: "in", n: 1, tMs: 0 });
  d.push({ kind: "in", n: 7, tMs: 0 });
  assert.deepEqual(errors, ["Error: boom"]);
  assert.equal(d.stopped, true);
  assert.equal(clock.pending, 0, "timers disarmed");
  const d2 = createMachineDriver<number, Ev, Fx>({ step: bad, state: 0, clock, perform() {} });
  assert.throws(() => d2.push({ kind: "in", n: 7, tMs: 0 }), /boom/);
});

test("driver: every effect but the timer ones reaches perform, in order (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 50 }), (ns) => {
      const clock = createVirtualClock();
      const outs: number[] = [];
      const d = createMachineDriver<number, Ev, Fx>({
        step: fake([]),
        state: 0,
        clock,
        perform: (f) => outs.push(f.kind === "out" ? f.n : Number.NaN),
      });
      for (const n of ns) d.push({ kind: "in", n, tMs: 0 });
      assert.deepEqual(outs, ns);
      assert.equal(d.state(), ns.length);
    }),
  );
});
