/**
 * A virtual clock implementing {@link LinkTimers} for tests and the simulator (issue 4 §5): the hosts,
 * the in-memory link (with latency) and the machines' timers all run on it, so a session that takes
 * minutes of model time finishes in milliseconds and is reproducible. `run` fires timers in time order,
 * letting promise jobs and I/O callbacks settle (one macrotask turn) before each timer.
 */
import type { LinkTimers } from "../timers.js";

/** A virtual clock. */
export interface VirtualClock extends LinkTimers {
  /** Fire timers in order until `done()` holds, no timer is left, or virtual time passes `maxMs`. */
  run(done: () => boolean, maxMs: number): Promise<void>;
}

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
}

const turn = () => new Promise<void>((r) => setImmediate(r));

/** A virtual clock starting at 0 ms. */
export function createVirtualClock(): VirtualClock {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, Entry>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const e = { at: now + Math.max(0, ms), seq: seq++, fn };
      timers.set(e.seq, e);
      return e.seq;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    async run(done, maxMs) {
      for (;;) {
        await turn();
        if (done()) return;
        let next: Entry | undefined;
        for (const e of timers.values())
          if (!next || e.at < next.at || (e.at === next.at && e.seq < next.seq)) next = e;
        if (!next || next.at > maxMs) return;
        timers.delete(next.seq);
        now = Math.max(now, next.at);
        next.fn();
      }
    },
  };
}
