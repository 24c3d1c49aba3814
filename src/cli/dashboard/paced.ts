/**
 * Paced running of a simulated session for `--ui`: virtual time follows the wall clock × `speed`, advanced
 * from a timer in small steps so the event loop stays free (the server, control lines) and the plots
 * advance live. Clock and timer are injected.
 */

/** What is paced: the simulator's `advance(untilMs)` (DcSession). */
export interface Advanceable {
  advance(untilMs: number): void;
  readonly done: boolean;
}

/** Timer period of the pacing (ms of wall time). */
export const PACE_TICK_MS = 20;
/**
 * Most virtual time one tick may advance (ms, at least): after a stall (a slow tick, a suspended process)
 * the run continues from where it is instead of racing to catch up. Design choice.
 */
export const PACE_MAX_STEP_WALL_MS = 250;

/** Pacing options. */
export interface PaceOptions {
  speed: number;
  tickMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** After every tick (progress display). */
  onTick?: () => void;
  /**
   * Something of the run waits on the wall clock right now (e.g. the SECC on a CSMS's answer, with the EV's
   * and the SECC's timers running): pace at speed 1 while it does, so that a wall-time round trip takes the
   * same time in the run. Asked between slices of {@link PACE_SLICE_MS}; a tick stops at the slice where it
   * turned true.
   */
  realTime?: () => boolean;
}

/** Virtual time advanced at once within a tick when `realTime` is given (ms). Design choice. */
export const PACE_SLICE_MS = 250;

/** Run `s` paced until it is done. */
export async function runPaced(s: Advanceable, o: PaceOptions): Promise<void> {
  const now = o.now ?? (() => performance.now());
  const tick = o.tickMs ?? PACE_TICK_MS;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const stepWall = Math.max(PACE_MAX_STEP_WALL_MS, tick);
  let virtual = 0;
  let wall = now();
  while (!s.done) {
    const w = now();
    const speed = o.realTime?.() ? 1 : o.speed;
    const target = virtual + Math.min((w - wall) * speed, stepWall * speed);
    wall = w;
    if (!o.realTime || speed === 1) {
      virtual = target;
      s.advance(virtual);
    } else
      while (virtual < target && !s.done) {
        virtual = Math.min(target, virtual + PACE_SLICE_MS);
        s.advance(virtual);
        if (o.realTime()) break;
      }
    o.onTick?.();
    if (!s.done) await sleep(tick);
  }
}
