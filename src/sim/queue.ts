/**
 * Virtual clock and event queue of the simulator: a binary min-heap ordered by time, then by insertion
 * order (events at the same millisecond run first-in first-out). Time only moves when the owner pops
 * the next event, so a 6-hour charging session runs in well under a second of wall time.
 */

interface Entry<T> {
  tMs: number;
  seq: number;
  item: T;
}

/** A time-ordered queue of items (the scheduler behind the virtual clock). */
export class EventQueue<T> {
  private heap: Entry<T>[] = [];
  private seq = 0;
  private clock = 0;

  /** Current virtual time (ms): the time of the last popped event. */
  get nowMs(): number {
    return this.clock;
  }

  /** Number of pending events. */
  get size(): number {
    return this.heap.length;
  }

  /** Schedule `item` at `tMs` (clamped to now: the past cannot be scheduled). */
  push(tMs: number, item: T): void {
    const e: Entry<T> = { tMs: Math.max(tMs, this.clock), seq: this.seq++, item };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  /** Time of the next event, or undefined when empty. */
  peekTime(): number | undefined {
    return this.heap[0]?.tMs;
  }

  /** Remove the earliest event and advance the clock to its time. */
  pop(): { tMs: number; item: T } | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = last;
        let mi = -1;
        if (l < h.length && before(h[l]!, m)) {
          m = h[l]!;
          mi = l;
        }
        if (r < h.length && before(h[r]!, m)) {
          m = h[r]!;
          mi = r;
        }
        if (mi < 0) break;
        h[i] = m;
        i = mi;
      }
      h[i] = last;
    }
    this.clock = top.tMs;
    return { tMs: top.tMs, item: top.item };
  }

  /** Move the clock forward to `tMs` without an event (no-op if `tMs` is in the past). */
  advanceTo(tMs: number): void {
    if (tMs > this.clock) this.clock = tMs;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.tMs < b.tMs || (a.tMs === b.tMs && a.seq < b.seq);
}
