/**
 * When a case of the SECC runner is decided and how long the tester's EV waits: the response timeouts the
 * tester's EV runs with while a case holds a request back or measures a late response, when the verdict of
 * a case with a time limit is decided, when the SUT counts as not ready for the next plug-in, and the board
 * command of a tester's board action. Pure.
 */
import type { EvBoardEffect } from "../link/host/controllers.js";
import type { BoardAction, ConformanceCase, SutLimits, TraceEvent } from "./types.js";
import { limitMs } from "./verdict.js";

/** How long the tester's EV waits for a response while it holds a request back (ms). */
export const silentResponseTimeoutMs = (limits: SutLimits) =>
  Math.max(limits.sequenceTimeoutMs, limits.chargeLoopTimeoutMs) + 10_000;

/**
 * How long the tester's EV waits for any other response (ms): past the longest SECC performance time and
 * the tolerance, so that a late response is received and judged (a fail naming the performance time), not
 * cut short by the EV's own V2G_EVCC_Msg_Timeout (DIN 70121 CurrentDemandRes: 250 ms). Design choice (D).
 */
export const measuringResponseTimeoutMs = (limits: SutLimits) =>
  Math.max(
    2_000,
    ...Object.values(limits.performanceMs)
      .filter(Number.isFinite)
      .map((ms) => ms + limits.toleranceMs + 1_000),
  );

/**
 * How long after the deviation the verdict of a case with a time limit is decided (ms): its limit, the
 * tolerance, for a response the longest performance time, and a margin of {@link VERDICT_MARGIN_MS}.
 * Null: no time limit (the case runs until the session ends).
 */
export function decidedAfterMs(c: ConformanceCase, limits: SutLimits): number | null {
  const e = c.expect;
  const slowest = Math.max(0, ...Object.values(limits.performanceMs).filter(Number.isFinite));
  if (e.kind === "closes" || e.kind === "output-off")
    return limitMs(e.withinMs, limits) + limits.toleranceMs + VERDICT_MARGIN_MS;
  if (e.kind === "response" && e.thenClose)
    return slowest + limitMs(e.thenClose.withinMs, limits) + 2 * limits.toleranceMs + VERDICT_MARGIN_MS;
  return null;
}

/** Margin after a case's time limit before the runner stops observing (ms). Design choice (D). */
export const VERDICT_MARGIN_MS = 500;

/**
 * Expectations whose observation ends when the connection closes / the output goes off, or once their time
 * limit has passed (the verdict is decided: nothing later can change it).
 */
export function observationDone(
  c: ConformanceCase,
  events: TraceEvent[],
  devAt: number | null,
  nowMs: number,
  limits: SutLimits,
): boolean {
  if (devAt === null) return false;
  const decided = decidedAfterMs(c, limits);
  if (decided !== null && nowMs - devAt > decided) return true;
  const after = events.filter((e) => e.tMs >= devAt);
  switch (c.expect.kind) {
    case "closes":
      return after.some((e) => e.kind === "close");
    case "response":
      return c.expect.thenClose !== undefined && after.some((e) => e.kind === "close");
    case "output-off":
      return after.some((e) => e.kind === "inlet" && e.currentA < 1);
    default:
      return false;
  }
}

/**
 * The SUT is not ready for a session when, with no V2G connection yet, the pilot stays at 0 % (−12 V: state
 * F after a trip, or no pilot) this long (ms)… Design choice (D).
 */
export const SUT_NOT_READY_MS = 600;
/**
 * …or shows no PWM at all (steady +12 V: the EVSE waits for the previous EV to leave) this long (ms). Design
 * choice (D): a charger switches its oscillator on well within this after it sees state B.
 */
export const SUT_NO_PWM_MS = 2_500;
/** Attempts of a case whose SUT was not ready, and the pause between them (ms). Design choice (D). */
export const CASE_ATTEMPTS = 6;
export const NOT_READY_RETRY_MS = 600;

/** The EV board effect of a tester's board action. */
export function boardCommandOf(action: BoardAction): EvBoardEffect {
  switch (action) {
    case "s2-open":
      return { kind: "s2", closed: false };
    case "unlatch":
      // not a controller effect: the runner presses the handle button through the board port
      throw new Error("unlatch is not an EV controller effect");
  }
}
