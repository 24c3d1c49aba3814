/**
 * `nacs ev --pause-after S [--resume-after R]`: the driver's pause and resume on a timetable. S seconds after
 * the charge loop first started the EV pauses (SessionStop with ChargingSession Pause, ISO 15118-2 [V2G2-739]
 * / ISO 15118-20 SessionStop Pause; DIN 70121 has no pause: the EV controller stops); R seconds after its
 * controller reached "paused" it resumes (SDP, a new V2G connection, SessionSetup with the paused SessionID).
 * Each happens once per process. Timers injected; no Node built-ins.
 */
import type { EvDcPhase } from "../../ev/dc/index.js";
import type { DcSessionPhase } from "../../v2g/index.js";

/** Upper bound of `--pause-after` / `--resume-after` (s). Design choice: an hour. */
export const LIVE_PAUSE_MAX_S = 3600;

/** Timer functions (the host's setTimeout / clearTimeout). */
export interface PauseTimers {
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A running plan: fed the session and controller phases; `cancel` drops what is pending. */
export interface PausePlan {
  /** The session phase (DC_SESSION_PHASES) changed. */
  onSessionPhase(phase: DcSessionPhase): void;
  /** The EV controller's phase changed. */
  onEvPhase(phase: EvDcPhase): void;
  cancel(): void;
}

/** Plan the pause and the resume; `act` hands the driver input to the EV. */
export function createPausePlan(
  o: { pauseAfterS?: number | undefined; resumeAfterS?: number | undefined },
  act: (input: "pause" | "resume") => void,
  timers: PauseTimers,
): PausePlan {
  let pauseTimer: unknown = null;
  let resumeTimer: unknown = null;
  let paused = false;
  let resumed = false;
  const { pauseAfterS, resumeAfterS } = o;
  return {
    onSessionPhase(phase) {
      if (phase !== "charging" || pauseAfterS === undefined || pauseTimer !== null) return;
      pauseTimer = timers.setTimeout(() => act("pause"), pauseAfterS * 1000);
    },
    onEvPhase(phase) {
      if (phase !== "paused" || paused) return;
      paused = true;
      if (resumeAfterS === undefined || resumed) return;
      resumed = true;
      resumeTimer = timers.setTimeout(() => act("resume"), resumeAfterS * 1000);
    },
    cancel() {
      for (const t of [pauseTimer, resumeTimer]) if (t !== null) timers.clearTimeout(t);
    },
  };
}
