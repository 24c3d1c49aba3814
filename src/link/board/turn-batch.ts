/**
 * Messages to another thread, sent once per turn of the event loop as one batch in their order: a thousand
 * boards measuring, or a thousand chargers setting their power modules, cost one `postMessage` a turn
 * instead of one each (each costs a structured clone and a wake-up of the other thread). A message marked
 * urgent leaves at once, with the queued messages of its own key (its board link) before it, in order; the
 * others' messages wait for the turn's end, so an urgent message never waits on a turn's worth of others.
 * Platform-neutral.
 */

/** A queue that leaves as one batch. */
export interface TurnBatch<T> {
  /** Queue `m` (urgent: send it now, after the queued messages of its key). */
  push(m: T): void;
  /** Send what is queued now (nothing queued: nothing sent). */
  flush(): void;
}

/** Options of {@link createTurnBatch}. */
export interface TurnBatchOptions<T> {
  /** Send one batch (never empty). */
  send(batch: T[]): void;
  /** Run `flush` once after the current turn of the event loop (Node: `setImmediate`). */
  schedule(flush: () => void): void;
  /** A message that must not wait for the end of the turn. */
  urgent?(m: T): boolean;
  /** Messages of one key keep their order among themselves (default: one key for all). */
  key?(m: T): unknown;
}

/** Create a queue whose messages leave once per turn, as one batch. */
export function createTurnBatch<T>(o: TurnBatchOptions<T>): TurnBatch<T> {
  let queued: T[] = [];
  let scheduled = false;
  const flush = (): void => {
    if (queued.length === 0) return;
    const out = queued;
    queued = [];
    o.send(out);
  };
  const onTurn = (): void => {
    scheduled = false;
    flush();
  };
  /** Send `m` now with the queued messages of its key; the others stay queued. */
  const sendNow = (m: T): void => {
    if (!o.key) {
      queued.push(m);
      flush();
      return;
    }
    const k = o.key(m);
    const now: T[] = [];
    const rest: T[] = [];
    for (const q of queued) (o.key(q) === k ? now : rest).push(q);
    now.push(m);
    queued = rest;
    o.send(now);
  };
  return {
    push(m) {
      if (o.urgent?.(m)) return sendNow(m);
      queued.push(m);
      if (!scheduled) {
        scheduled = true;
        o.schedule(onTurn);
      }
    },
    flush,
  };
}
