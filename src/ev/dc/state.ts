/**
 * State of the EV DC controller and the small state helpers its parts share: the phase, S2, the contactor
 * gate (open only below {@link EV_CONTACTOR_OPEN_MAX_A}) and the inlet unlock (only below 60 V). Pure code.
 */
import type { PpState } from "../../pilot/index.js";
import type { initialEvSlac } from "../../slac/index.js";
import { type EvccState, SAFE_VOLTAGE_V } from "../../v2g/index.js";
import { EV_CONTACTOR_OPEN_MAX_A, type EvDcConfig, type EvDcEffect, type EvDcPhase } from "./types.js";

/** EV controller state (treat as opaque outside tests). */
export interface EvDcState {
  readonly cfg: EvDcConfig;
  readonly nowMs: number;
  readonly phase: EvDcPhase;
  readonly duty: number;
  readonly pp: PpState;
  readonly lockCmd: boolean;
  readonly lockFeedback: boolean;
  readonly inlet: { voltageV: number; currentA: number; acPresent: boolean };
  readonly socPercent: number;
  readonly batteryVoltageV: number;
  readonly slac: ReturnType<typeof initialEvSlac>;
  readonly evcc: EvccState;
  readonly sdpTries: number;
  readonly contactorsWant: boolean;
  readonly contactorsCmd: boolean;
  /** AC: the on-board charger's current limit last commanded (A). */
  readonly chargerA: number;
  readonly s2: boolean;
  readonly s2PendingAtMs: number | null;
  /** When the EV was plugged in (PP latched) this time: the legacy S2 delay counts from here. */
  readonly pluggedAtMs: number | null;
  readonly stopReason: string | null;
  readonly readingsDirty: boolean;
  /** `start-v2g` received (or `autoStartV2g`). */
  readonly v2gStart: boolean;
  /** Fault injection: request above the EVSE limits. */
  readonly overLimit: { currentA: number; voltageV: number } | null;
}

/** True when the session is past SLAC and not ended (a paused session counts: the inlet stays locked). */
export function active(s: EvDcState): boolean {
  return s.phase === "slac" || s.phase === "sdp" || s.phase === "session" || s.phase === "paused";
}

export function setPhase(s: EvDcState, phase: EvDcPhase, fx: EvDcEffect[]): EvDcState {
  if (phase === s.phase) return s;
  fx.push({ kind: "phase", phase });
  return { ...s, phase };
}

/**
 * Earliest time S2 may close: {@link EvDcConfig.s2CloseDelayMs} after plug-in (J3400 "delayed S2 closure",
 * so that a legacy single-wire-CAN charger completes its handshake while the pilot is in state B); 0 = now.
 */
export function s2ReadyAtMs(s: EvDcState): number {
  if (s.cfg.s2CloseDelayMs <= 0 || s.pluggedAtMs === null) return 0;
  return s.pluggedAtMs + s.cfg.s2CloseDelayMs;
}

export function setS2(s: EvDcState, closed: boolean, fx: EvDcEffect[]): EvDcState {
  if (s.s2 === closed && s.s2PendingAtMs === null) return s;
  if (s.s2 !== closed) fx.push({ kind: "s2", closed });
  return { ...s, s2: closed, s2PendingAtMs: null };
}

/** AC: command the on-board charger to draw at most `currentA` (0 = off). */
export function setCharger(s: EvDcState, currentA: number, fx: EvDcEffect[]): EvDcState {
  if (s.chargerA === currentA) return s;
  fx.push({ kind: "charger", currentA });
  return { ...s, chargerA: currentA };
}

export function gateContactors(s: EvDcState, fx: EvDcEffect[]): EvDcState {
  if (s.contactorsWant === s.contactorsCmd) return s;
  if (!s.contactorsWant && Math.abs(s.inlet.currentA) >= EV_CONTACTOR_OPEN_MAX_A) return s;
  fx.push({ kind: "contactors", closed: s.contactorsWant });
  return { ...s, contactorsCmd: s.contactorsWant };
}

export function maybeUnlock(s: EvDcState, fx: EvDcEffect[]): EvDcState {
  if (!s.lockCmd || active(s) || s.contactorsCmd || s.phase === "unplugged") return s;
  // AC: the inlet voltage is the supply's RMS value; the relay must be open (below 60 V) as in DC.
  if (s.phase === "plugged") return s;
  if (Math.abs(s.inlet.voltageV) >= SAFE_VOLTAGE_V) return s;
  fx.push({ kind: "lock", locked: false });
  return { ...s, lockCmd: false };
}
