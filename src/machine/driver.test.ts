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

/** A machine whose input `{id, delay}` arms timer `id` at tMs + delay, or clears it when delay is null. */
type TimerOp = { id: string; delay: number | null };
type OpEv = { kind: "op"; op: TimerOp; tMs: number } | { kind: "timer"; id: string; tMs: number };
const opStep = (s: number, e: OpEv): [number, Fx[]] =>
  e.kind === "timer"
    ? [s, []]
    : [
        s,
        [
          e.op.delay === null
            ? { kind: "clear-timer", id: e.op.id }
            : { kind: "set-timer", id: e.op.id, atMs: e.tMs + e.op.delay },
        ],
      ];

/** Run `ops` (each `gap` ms after the previous) on a driver; the timer events it saw and clock timers armed. */
function runOps(ops: { gap: number; op: TimerOp }[], lazyTimers: boolean) {
  const clock = createVirtualClock();
  let armed = 0;
  const counting = {
    ...clock,
    setTimeout(fn: () => void, ms: number) {
      armed++;
      return clock.setTimeout(fn, ms);
    },
  };
  const fired: string[] = [];
  const d = createMachineDriver<number, OpEv, Fx>({
    step: (s, e) => {
      if (e.kind === "timer") fired.push(`${e.id}@${e.tMs} seen at ${clock.now()}`);
      return opStep(s, e);
    },
    state: 0,
    clock: counting,
    perform() {},
    lazyTimers,
  });
  let t = 0;
  for (const { gap, op } of ops) {
    t += gap;
    clock.runUntil(t);
    d.push({ kind: "op", op, tMs: t });
  }
  clock.runUntil(t + 10_000);
  return { fired: fired.sort(), armed };
}

test("driver: lazy timers fire the same timer events at the same times as eager ones (property)", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          gap: fc.integer({ min: 0, max: 300 }),
          op: fc.record({
            id: fc.constantFrom("a" as const, "b" as const),
            delay: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null, freq: 4 }),
          }),
        }),
        { maxLength: 60 },
      ),
      (ops) => {
        const eager = runOps(ops, false);
        const lazy = runOps(ops, true);
        assert.deepEqual(lazy.fired, eager.fired);
      },
    ),
    { numRuns: 300 },
  );
});

test("driver: a timeout re-armed with every request costs one clock timer per expiry when lazy", () => {
  // a request every 200 ms re-arms a 1,000 ms timeout and clears it when answered (as V2G message timeouts do)
  const ops: { gap: number; op: TimerOp }[] = [];
  for (let i = 0; i < 100; i++) {
    ops.push({ gap: i === 0 ? 0 : 190, op: { id: "a", delay: 1000 } });
    ops.push({ gap: 10, op: { id: "a", delay: null } });
  }
  const eager = runOps(ops, false);
  const lazy = runOps(ops, true);
  assert.deepEqual(lazy.fired, eager.fired);
  assert.equal(eager.armed, 100);
  assert.ok(lazy.armed <= 21, `lazy armed ${lazy.armed} clock timers`);
});

/** What `ops` should fire: each id due at its last set time (cleared: nothing), fired once the clock is there. */
function modelFired(ops: { gap: number; op: TimerOp }[]): string[] {
  const due = new Map<string, number>();
  const fired: string[] = [];
  const fireUntil = (t: number) => {
    for (const [id, at] of [...due].sort((x, y) => x[1] - y[1]))
      if (at <= t) {
        fired.push(`${id}@${at} seen at ${at}`);
        due.delete(id);
      }
  };
  let t = 0;
  for (const { gap, op } of ops) {
    t += gap;
    fireUntil(t);
    if (op.delay === null) due.delete(op.id);
    else due.set(op.id, t + op.delay);
  }
  fireUntil(t + 10_000);
  return fired.sort();
}

test("driver: timers of many ids (more than the idle records it keeps) fire as a plain model says (property)", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          gap: fc.integer({ min: 0, max: 100 }),
          op: fc.record({
            id: fc.integer({ min: 0, max: 79 }).map((n) => `deadline@${n}`),
            delay: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null, freq: 4 }),
          }),
        }),
        { minLength: 60, maxLength: 200 },
      ),
      (ops) => {
        const model = modelFired(ops);
        assert.deepEqual(runOps(ops, false).fired, model);
        assert.deepEqual(runOps(ops, true).fired, model);
      },
    ),
    { numRuns: 200 },
  );
});
