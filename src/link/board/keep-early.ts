/**
 * A board link that keeps what arrives before anyone listens: the board sends its state (pilot, PP, lock)
 * right after its hello and then only on change, so a reading dropped there would never come again.
 */
import type { BoardLink, BoardLost } from "./board-link.js";
import type { BoardRole } from "./messages.js";

/**
 * `link` with what arrives before anyone listens kept: readings are replayed to the first `onReading`
 * listener (a pilot or PP state lost here would never be sent again), a loss is reported to an `onLost`
 * listener added after it.
 */
export function keepEarly<R extends BoardRole>(link: BoardLink<R>): BoardLink<R> {
  type Reading = Parameters<Parameters<BoardLink<R>["onReading"]>[0]>;
  const early: Reading[] = [];
  let forward: ((...r: Reading) => void) | null = null;
  let lost: BoardLost | null = null;
  link.onReading((...r) => (forward ? forward(...r) : early.push(r)));
  link.onLost((l) => {
    lost = l;
  });
  return {
    role: link.role,
    ready: link.ready,
    get state() {
      return link.state;
    },
    send: (c) => link.send(c),
    onReading(cb) {
      forward = cb;
      for (const r of early.splice(0)) cb(...r);
      return () => {
        if (forward === cb) forward = null;
      };
    },
    onLost(cb) {
      const l = lost;
      if (l) {
        queueMicrotask(() => cb(l));
        return () => {};
      }
      return link.onLost(cb);
    },
    onWarning: (cb) => link.onWarning(cb),
    onError: (cb) => link.onError(cb),
    onAck: (cb) => link.onAck(cb),
    close: () => link.close(),
  };
}
