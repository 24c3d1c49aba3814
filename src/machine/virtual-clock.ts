/**
 * Virtual time: a {@link Clock} whose timers sit in a min-heap ordered by due time, then by arming order
 * (equal times run first-in first-out, so every run is deterministic). Time moves only when the owner runs
 * the next timer, so a session of minutes or hours runs in milliseconds. Used by the simulator, the SLAC
 * test bench and every host test; one implementation for all of them.
 */
import type { Clock, TimerHandle } from "./clock.js";

interface Entry {
  atMs: number;
  seq: number;
  fn: (() => void) | null;
}

/** A clock in virtual time. */
export interface VirtualClock extends Clock {
  /** Arm a timer at absolute time `atMs` (the past is clamped to now). */
  setTimeoutAt(fn: () => void, atMs: number): TimerHandle;
  /** Due time of the earliest armed timer, or undefined. */
  peekTime(): number | undefined;
  /** Number of armed timers. */
  readonly pending: number;
  /** Advance to the earliest timer and run it; false when none is armed. */
  runNext(): boolean;
  /** Run every timer due at or before `tMs` in order, then move time to `tMs`. */
  runUntil(tMs: number): void;
  /** Move time forward without running anything (no-op for the past). */
  advanceTo(tMs: number): void;
  /**
   * Run timers in order until `done()` holds, none is armed, or the next is due after `maxMs`, letting
   * promise jobs and I/O callbacks settle (one macrotask turn) before each timer: for hosts whose ports
   * are real sockets or streams.
   */
  run(done: () => boolean, maxMs: number): Promise<void>;
}

const turn = (): Promise<void> =>
  new Promise((r) => {
    const g = globalThis as { setImmediate?: (f: () => void) => void };
    if (g.setImmediate) g.setImmediate(r);
    else setTimeout(r, 0);
  });

/** A virtual clock starting at `startMs`. */
export function createVirtualClock(startMs = 0): VirtualClock {
  let now = startMs;
  let seq = 0;
  let live = 0;
  const heap: Entry[] = [];

  const less = (a: Entry, b: Entry) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  const up = (i0: number) => {
    let i = i0;
    const e = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, heap[p]!)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = e;
  };
  const popTop = (): Entry | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = last;
        let mi = -1;
        if (l < heap.length && less(heap[l]!, m)) {
          m = heap[l]!;
          mi = l;
        }
        if (r < heap.length && less(heap[r]!, m)) {
          m = heap[r]!;
          mi = r;
        }
        if (mi < 0) break;
        heap[i] = m;
        i = mi;
      }
      heap[i] = last;
    }
    return top;
  };
  const dropCleared = () => {
    while (heap.length > 0 && heap[0]!.fn === null) popTop();
  };
  const at = (fn: () => void, atMs: number): TimerHandle => {
    if (Number.isNaN(atMs)) throw new RangeError("virtual clock: timer due at NaN");
    const e: Entry = { atMs: Math.max(atMs, now), seq: seq++, fn };
    heap.push(e);
    up(heap.length - 1);
    live++;
    return e;
  };
  const clock: VirtualClock = {
    now: () => now,
    setTimeout: (fn, ms) => at(fn, now + Math.max(0, ms)),
    setTimeoutAt: at,
    clearTimeout(h) {
      const e = h as Entry | undefined;
      if (e && typeof e === "object" && e.fn !== null && "seq" in e) {
        e.fn = null;
        live--;
      }
    },
    peekTime() {
      dropCleared();
      return heap[0]?.atMs;
    },
    get pending() {
      return live;
    },
    runNext() {
      dropCleared();
      const e = popTop();
      if (!e || e.fn === null) return false;
      const fn = e.fn;
      e.fn = null;
      live--;
      if (e.atMs > now) now = e.atMs;
      fn();
      return true;
    },
    runUntil(tMs) {
      for (let t = clock.peekTime(); t !== undefined && t <= tMs; t = clock.peekTime()) clock.runNext();
      clock.advanceTo(tMs);
    },
    advanceTo(tMs) {
      if (tMs > now) now = tMs;
    },
    async run(done, maxMs) {
      for (;;) {
        await turn();
        if (done()) return;
        const t = clock.peekTime();
        if (t === undefined || t > maxMs) return;
        clock.runNext();
      }
    },
  };
  return clock;
}
