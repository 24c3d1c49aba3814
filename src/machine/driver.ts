/**
 * The one machine driver of nacs: runs any pure controller `step(state, event) → [state, effects]` on a
 * {@link Clock}. It feeds events in order (run to completion: an event pushed while a step's effects are
 * being performed waits its turn), arms and clears timers for the `set-timer` / `clear-timer` effects and
 * turns their expiry into `timer` events, and hands every other effect to the host's `perform`, where the
 * port adapters (board, network, operator, record) carry it out. The simulator, `nacs evse` / `nacs ev`
 * and every test host run their controllers through this one driver.
 */
import type { Clock, TimerHandle } from "./clock.js";

/** Every machine's events carry the time; its timer event has this shape. */
export interface TimedEvent {
  kind: string;
  tMs: number;
}
/** The timer event every machine accepts. */
export interface TimerEvent {
  kind: "timer";
  id: string;
  tMs: number;
}
/** Timer effects the driver performs itself. */
export type TimerEffect =
  | { kind: "set-timer"; id: string; atMs: number }
  | { kind: "clear-timer"; id: string };

/** A pure controller. */
export type StepFunction<S, E, F> = (state: S, event: E) => [S, F[]];

/** Options of {@link createMachineDriver}. */
export interface MachineDriverOptions<S, E extends TimedEvent, F extends { kind: string }> {
  step: StepFunction<S, E, F>;
  state: S;
  clock: Clock;
  /** Carry out one effect (every kind but `set-timer` / `clear-timer`). */
  perform(effect: F, driver: MachineDriver<S, E>): void;
  /** After each step: the event, its effects and the host time the step took (ms, `hostClock`). */
  onStep?(event: E, effects: readonly F[], stepMs: number): void;
  /** Host clock for `onStep`'s step time (wall ms); default: the driver's clock. */
  hostClock?: () => number;
  /** The step function threw: the driver stops (nothing more is stepped). Default: rethrow. */
  onError?(err: unknown, event: E): void;
  /**
   * Re-arm timers lazily: a timer moved later (or cleared) keeps its clock timer, which on expiry fires the
   * event, re-arms itself for the new time, or does nothing. A message timeout re-armed with every request
   * then costs one clock timer per expiry instead of a clear and a set per request. The timer events are the
   * same (id, due time); only the order of timers due at the same instant may differ, so a host on a virtual
   * clock that replays runs exactly leaves it off. Default false.
   */
  lazyTimers?: boolean;
}

/** A running controller. */
export interface MachineDriver<S, E extends TimedEvent> {
  /** The controller's current state. */
  state(): S;
  /** The clock's time. */
  now(): number;
  /** Queue an event and run the queue (events pushed from inside `perform` run after the current step). */
  push(event: E): void;
  /** Disarm every timer and ignore further events. */
  stop(): void;
  readonly stopped: boolean;
}

/**
 * A timer's record: its clock timer `handle` (null: not armed) expires at `dueMs`; the machine wants `atMs`
 * (null: cleared). `gen` counts the armings, so a clock timer that was replaced does nothing when it fires.
 * Records are kept and reused once their timer fired or was cleared (a charge loop sets and clears its
 * message timeout with every message): no allocation, and no Map entry deleted and added again, whose
 * table V8 then rebuilds every few operations.
 */
interface TimerRecord {
  handle: TimerHandle | null;
  dueMs: number;
  atMs: number | null;
  gen: number;
}

/** Idle timer records kept for reuse before they are dropped (machines with timer ids made per deadline). */
const IDLE_TIMER_RECORDS_MAX = 32;

/** Run `o.step` on `o.clock` from `o.state`. */
export function createMachineDriver<S, E extends TimedEvent, F extends { kind: string }>(
  o: MachineDriverOptions<S, E, F>,
): MachineDriver<S, E> {
  let state = o.state;
  let stopped = false;
  let draining = false;
  const queue: E[] = [];
  const timers = new Map<string, TimerRecord>();
  const lazy = o.lazyTimers === true;
  const hostNow = o.hostClock ?? (() => o.clock.now());

  const clearTimer = (id: string) => {
    const a = timers.get(id);
    if (a === undefined || a.handle === null) return;
    a.atMs = null;
    if (lazy) return;
    o.clock.clearTimeout(a.handle);
    a.handle = null;
  };
  const arm = (id: string, a: TimerRecord) => {
    const gen = ++a.gen;
    a.handle = o.clock.setTimeout(() => {
      if (a.gen !== gen || timers.get(id) !== a) return;
      if (a.atMs !== null && a.atMs > a.dueMs) {
        // moved later since it was armed: wait for the new time
        a.dueMs = a.atMs;
        arm(id, a);
        return;
      }
      const atMs = a.atMs;
      a.handle = null;
      a.atMs = null;
      // The event carries the due time exactly (machines compare it with what they armed).
      if (atMs !== null) driver.push({ kind: "timer", id, tMs: atMs } as TimerEvent as unknown as E);
    }, a.dueMs - o.clock.now());
  };
  const record = (id: string): TimerRecord => {
    const a = timers.get(id);
    if (a !== undefined) return a;
    if (timers.size >= IDLE_TIMER_RECORDS_MAX)
      for (const [k, r] of timers) if (r.handle === null) timers.delete(k);
    const next: TimerRecord = { handle: null, dueMs: 0, atMs: null, gen: 0 };
    timers.set(id, next);
    return next;
  };
  const setTimer = (id: string, atMs: number) => {
    const a = record(id);
    if (lazy && a.handle !== null && a.dueMs <= atMs) {
      a.atMs = atMs;
      return;
    }
    if (a.handle !== null) o.clock.clearTimeout(a.handle);
    a.dueMs = atMs;
    a.atMs = atMs;
    arm(id, a);
  };
  const stepOne = (ev: E) => {
    const t0 = o.onStep ? hostNow() : 0;
    let fx: F[];
    try {
      [state, fx] = o.step(state, ev);
    } catch (err) {
      if (!o.onError) throw err;
      driver.stop();
      o.onError(err, ev);
      return;
    }
    if (o.onStep) o.onStep(ev, fx, hostNow() - t0);
    for (const f of fx) {
      if (stopped) return;
      const t = f as unknown as TimerEffect;
      if (t.kind === "set-timer") setTimer(t.id, t.atMs);
      else if (t.kind === "clear-timer") clearTimer(t.id);
      else o.perform(f, driver);
    }
  };
  const driver: MachineDriver<S, E> = {
    state: () => state,
    now: () => o.clock.now(),
    push(ev) {
      if (stopped) return;
      queue.push(ev);
      if (draining) return;
      draining = true;
      try {
        while (queue.length > 0 && !stopped) stepOne(queue.shift()!);
      } finally {
        draining = false;
        if (stopped) queue.length = 0;
      }
    },
    stop() {
      stopped = true;
      for (const a of timers.values()) if (a.handle !== null) o.clock.clearTimeout(a.handle);
      timers.clear();
    },
    get stopped() {
      return stopped;
    },
  };
  return driver;
}
