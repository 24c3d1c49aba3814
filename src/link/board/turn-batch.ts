/**
 * Messages to another thread, sent once per turn of the event loop as one batch in their order: a thousand
 * boards measuring, or a thousand chargers setting their power modules, cost one `postMessage` a turn
 * instead of one each (each costs a structured clone and a wake-up of the other thread). A message marked
 * urgent leaves at once, with everything queued before it, so that it never waits for the turn to end.
 * Platform-neutral.
 */

/** A queue that leaves as one batch. */
export interface TurnBatch<T> {
  /** Queue `m` (urgent: send the queue now). */
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
  return {
    push(m) {
      queued.push(m);
      if (o.urgent?.(m)) flush();
      else if (!scheduled) {
        scheduled = true;
        o.schedule(onTurn);
      }
    },
    flush,
  };
}
