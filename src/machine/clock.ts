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

/**
 * The wall clock. Its timers are unref'd where the platform allows, so a pending timer never keeps a process
 * alive on its own: a host is kept alive by its ports (sockets, streams, a board link).
 */
export const realClock: Clock = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout(h) {
    clearTimeout(h as ReturnType<typeof setTimeout>);
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
