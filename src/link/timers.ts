/** Injectable clock and timers for the transports (real timers by default; the simulator injects its own). */

/** Timer functions the transports use. */
export interface LinkTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds, monotonic. */
  now(): number;
}

/** Node/browser timers; timers are unref'd so they never keep a process alive on their own. */
export const realTimers: LinkTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clearTimeout(h) {
    clearTimeout(h as ReturnType<typeof setTimeout>);
  },
  now: () => performance.now(),
};
