/**
 * State of the EV DC controller and the small state helpers its parts share: the phase, S2, the contactor
 * gate (open only below {@link EV_CONTACTOR_OPEN_MAX_A}) and the inlet unlock (only below 60 V). Pure code.
 */
import type { PpState } from "../../pilot/index.js";
import type { initialEvSlac } from "../../slac/index.js";
import { type EvccState, SAFE_VOLTAGE_V } from "../../v2g/index.js";
import {
  EV_CONTACTOR_OPEN_MAX_A,
  EV_STOP_WELDED,
  type EvDcConfig,
  type EvDcEffect,
  type EvDcPhase,
} from "./types.js";

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
  /** Since when the inlet has stayed at ≥ 60 V with the session over and the contactors commanded open. */
  readonly inletLiveSinceMs: number | null;
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

/**
 * How long the inlet may stay at ≥ 60 V once the session is over and the EV's contactors are commanded open
 * before the EV concludes that a contactor is welded (ms). The charger's output discharges in well under a
 * second; design choice.
 */
export const EV_WELD_SUSPECT_MS = 2_000;

/**
 * The EV's own check of its contactors, for a session without WeldingDetection (DIN 70121 / ISO 15118-2 make
 * it optional for the EV; the Tesla profile skips it): the session over, the contactors commanded open, and
 * the inlet still at ≥ 60 V for {@link EV_WELD_SUSPECT_MS} ⇒ a welded contactor. The EV stops with that
 * safety finding; the inlet stays locked whatever happens (it unlocks only below 60 V, `maybeUnlock`).
 */
export function watchInletAfterSession(s: EvDcState, tMs: number, fx: EvDcEffect[]): EvDcState {
  // DC only: with AC the inlet carries the supply whenever the charger's contactor is closed
  const live =
    s.phase === "ended" &&
    s.evcc.mode.startsWith("DC") &&
    !s.contactorsCmd &&
    !s.contactorsWant &&
    Math.abs(s.inlet.voltageV) >= SAFE_VOLTAGE_V;
  if (!live) return s.inletLiveSinceMs === null ? s : { ...s, inletLiveSinceMs: null };
  if (s.inletLiveSinceMs === null) return { ...s, inletLiveSinceMs: tMs };
  if (tMs - s.inletLiveSinceMs < EV_WELD_SUSPECT_MS || s.stopReason === EV_STOP_WELDED) return s;
  const detail = `${EV_STOP_WELDED}: the inlet still at ${Math.abs(s.inlet.voltageV).toFixed(0)} V ${EV_WELD_SUSPECT_MS} ms after the session, contactors commanded open`;
  fx.push({ kind: "log", level: "error", msg: detail });
  fx.push({ kind: "stop", reason: EV_STOP_WELDED, fault: true });
  return { ...s, stopReason: EV_STOP_WELDED };
}
