/**
 * State of the EVSE DC controller and the small state helpers its parts share (phase, pilot duty, "in
 * progress", "live"). Pure code.
 */
import type { CpState } from "../../pilot/index.js";
import type { initialEvseSlac } from "../../slac/index.js";
import type { PowerSchedule, SeccState } from "../../v2g/index.js";
import type { SafetyState } from "../safety/index.js";
import type { Interlock } from "./interlock.js";
import type { EvseDcConfig, EvseDcEffect, EvseDcPhase, EvseMeasurements } from "./types.js";

/** State of the EVSE DC controller (treat as opaque outside tests). */
export interface EvseDcState {
  readonly cfg: EvseDcConfig;
  readonly nowMs: number;
  readonly phase: EvseDcPhase;
  readonly cp: CpState;
  readonly diodeVerified: boolean;
  readonly duty: number;
  readonly slac: ReturnType<typeof initialEvseSlac>;
  readonly secc: SeccState;
  readonly safety: SafetyState;
  readonly interlock: Interlock;
  readonly moduleOn: boolean;
  readonly meas: EvseMeasurements;
  /**
   * `meas` changed since the SECC last saw it. The SECC gets the measurements just before its next event
   * (a message, a timer, the pilot, a control) rather than on every reading: it acts on them only then, and
   * a board measuring ten times a second would otherwise copy its state ten times a second for nothing.
   */
  readonly measPending: boolean;
  readonly watchdogAtMs: number | null;
  readonly stopReason: string | null;
  /** Run-time power limit (W) of the operator or backend, null = the module's rating (power-limit.ts). */
  readonly powerLimitW: number | null;
  /** The backend's power schedule (power-schedule.ts), null = none: the SECC's schedules come from it. */
  readonly powerSchedule: PowerSchedule | null;
  /** Last limit flags reported (`limits` effect). */
  readonly limits: { current: boolean; voltage: boolean; power: boolean };
}

/** True when the pins are wired to the AC supply (the session is ISO 15118-2 AC). */
export function acPins(s: EvseDcState): boolean {
  return s.cfg.pins === "ac";
}

/** True while anything is (or may be) energised: output on or contactors (AC relay) commanded closed. */
export function evseLive(s: EvseDcState): boolean {
  return s.moduleOn || s.safety.contactorsCmd;
}

/** True while a session is in progress (an EV plugged and not ended). */
export function inProgress(s: EvseDcState): boolean {
  return s.phase === "slac" || s.phase === "sdp" || s.phase === "session";
}

export function setPhase(s: EvseDcState, phase: EvseDcPhase, fx: EvseDcEffect[]): EvseDcPhase {
  if (phase !== s.phase) fx.push({ kind: "phase", phase });
  return phase;
}

export function setDuty(s: EvseDcState, duty: number, fx: EvseDcEffect[]): EvseDcState {
  if (duty === s.duty) return s;
  fx.push({ kind: "duty", duty });
  return { ...s, duty };
}
