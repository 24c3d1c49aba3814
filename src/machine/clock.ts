/**
 * The one clock interface of nacs: every host, transport, timer and model reads time and arms timers
 * through a {@link Clock}, so the same code runs on the wall clock ({@link realClock}) or in virtual time
 * ({@link createVirtualClock}). Platform-neutral: `performance.now()` and `setTimeout` exist in Node and
 * in browsers.
 */

/** Opaque handle of an armed timer. */
export type TimerHandle = unknown;

/** Time (milliseconds, monotonic) and one-shot timers. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Call `fn` once, `ms` milliseconds from now (negative = as soon as possible). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Disarm a timer; a handle that already fired or was cleared is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** An armed timer of {@link realClock}: its callback, the platform's timer, and whether it was cleared. */
interface WallTimer {
  readonly fn: () => void;
  platform: ReturnType<typeof setTimeout> | undefined;
  cleared: boolean;
}

/** The callback of `t`, unless it was cleared since its platform timer fired. */
function runWallTimer(t: WallTimer): void {
  if (!t.cleared) t.fn();
}

/**
 * The platform timer of `t` fired: run its callback once the input already waiting has been read (Node's
 * `setImmediate` runs after the event loop's poll for I/O); where there is none (a browser), at once.
 * Module functions with the timer as argument: no closure is made per timer.
 */
const wallTimerDue: (t: WallTimer) => void =
  typeof globalThis.setImmediate === "function"
    ? (t) => {
        globalThis.setImmediate(runWallTimer, t);
      }
    : runWallTimer;

/**
 * The wall clock. Its timers are unref'd where the platform allows, so a pending timer never keeps a process
 * alive on its own: a host is kept alive by its ports (sockets, streams, a board link).
 *
 * A timer's callback runs after the input that is already waiting has been read, and not at all if that
 * input clears the timer. In Node a turn of the event loop runs its due timers before it polls for I/O, so
 * after a stall of this process (a garbage collection, a burst of work) longer than a timeout's remaining
 * time, the timeout would fire although the answer it waits for came in time and sits unread in the
 * socket: a V2G message timeout ending a session the peer answered, a board's supervision declaring lost a
 * board whose heartbeat is waiting. The deadline itself is unchanged; only the order is: what arrived
 * before the callback runs is read first.
 */
export const realClock: Clock = {
  setTimeout(fn, ms) {
    const timer: WallTimer = { fn, platform: undefined, cleared: false };
    timer.platform = setTimeout(wallTimerDue, Math.max(0, ms), timer);
    (timer.platform as { unref?: () => void }).unref?.();
    return timer;
  },
  clearTimeout(h) {
    if (typeof h !== "object" || h === null || !("cleared" in h)) return;
    const timer = h as WallTimer;
    timer.cleared = true;
    clearTimeout(timer.platform);
  },
  now: () => performance.now(),
};

/** `clock` seen from `originMs` (default: now): `now()` counts from zero, timers are the same timers. */
export function clockFrom(clock: Clock, originMs = clock.now()): Clock {
  return {
    now: () => clock.now() - originMs,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (h) => clock.clearTimeout(h),
  };
}
