/**
 * A virtual clock: a min-heap of scheduled items ordered by time, then by scheduling order (so equal
 * times run first-in first-out and every run is deterministic). Generic and reusable — it knows nothing
 * about SLAC. `next()` pops the earliest item and moves `now` to its time; time never goes backwards.
 */

/** Handle returned by {@link VirtualClock.schedule}, for {@link VirtualClock.cancel}. */
export type TimerHandle = number;

interface Entry<T> {
  atMs: number;
  seq: number;
  item: T;
}

/** Discrete-event scheduler on virtual milliseconds. */
export class VirtualClock<T> {
  private heap: Entry<T>[] = [];
  private seq = 0;
  private readonly cancelled = new Set<number>();
  private current: number;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  /** Current virtual time (ms). */
  get now(): number {
    return this.current;
  }

  /** Items still scheduled (cancelled ones excluded). */
  get size(): number {
    return this.heap.length - this.cancelled.size;
  }

  /** Schedule `item` at `atMs` (clamped to now: the past runs next). */
  schedule(atMs: number, item: T): TimerHandle {
    if (!Number.isFinite(atMs)) throw new RangeError(`atMs = ${atMs} is not allowed: must be finite`);
    const e: Entry<T> = { atMs: Math.max(atMs, this.current), seq: this.seq++, item };
    this.heap.push(e);
    this.up(this.heap.length - 1);
    return e.seq;
  }

  /** Cancel a scheduled item; true if it was still pending. */
  cancel(handle: TimerHandle): boolean {
    if (handle >= this.seq || this.cancelled.has(handle)) return false;
    if (!this.heap.some((e) => e.seq === handle)) return false;
    this.cancelled.add(handle);
    return true;
  }

  /** Time of the earliest pending item, or undefined. */
  peekTime(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.atMs;
  }

  /** Pop the earliest item and advance `now` to its time; undefined when nothing is left. */
  next(): { atMs: number; item: T; handle: TimerHandle } | undefined {
    this.dropCancelled();
    const top = this.pop();
    if (!top) return undefined;
    this.current = top.atMs;
    return { atMs: top.atMs, item: top.item, handle: top.seq };
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.seq)) {
      this.cancelled.delete(this.heap[0]!.seq);
      this.pop();
    }
  }

  private less(a: Entry<T>, b: Entry<T>): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private pop(): Entry<T> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
