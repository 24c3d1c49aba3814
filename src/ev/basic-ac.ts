/**
 * EV controller for basic (PWM-only) AC charging, as a pure step function `stepEvAc(state, event)`.
 * It sees only what a vehicle can measure: the pilot duty (from the waveform), the PP state
 * (`classifyPp(ppVoltage(...))`), the AC voltage at the inlet, and its own BMS limits.
 *
 * Behaviour (SAE J1772 / IEC 61851-1 control pilot and proximity; SAE J3400 AC input):
 * - Reads the duty with `dutyToCurrent` and never sets a charge current above what it allows.
 * - Follows a duty change after {@link EvAcConfig.followDelayMs} (≤ {@link T_EV_FOLLOW_DUTY_MS}, status U).
 * - Closes S2 (state C, or C+ventilation for D) {@link EvAcConfig.s2CloseDelayMs} after a usable PWM
 *   appears and the plug is latched; opens S2 when it wants no more power.
 * - PP "unlatched" (handle button) or "unplugged": current 0 and S2 open at once (SAE J1772 behaviour, per
 *   the OpenEVSE J1772 basics article).
 * - The OBC accepts 104–293 V (ANSI C84.1 range B, SAE J3400 per an overview page; unconfirmed) and refuses
 *   otherwise: the refusal is latched until the connector is unplugged.
 */
import { type DutyMeaning, dutyToCurrent, type PpState, T_EV_FOLLOW_DUTY_MS } from "../pilot/index.js";
import {
  OBC_DEFAULT_MAX_CURRENT_A,
  OBC_INPUT_MAX_V,
  OBC_INPUT_MIN_V,
  obcInputForOutputW,
  obcSupplyVerdict,
} from "./obc.js";

/** Default EV reaction time to a duty change (ms). Design choice (D), within {@link T_EV_FOLLOW_DUTY_MS}. */
export const EV_DEFAULT_FOLLOW_DELAY_MS = 1000;
/** Default delay from a usable PWM to closing S2 (ms). Design choice (D); J3400 allows "delayed S2 closure" (overview page; unconfirmed). */
export const EV_DEFAULT_S2_CLOSE_DELAY_MS = 1000;

/** Why the EV stopped (or did not start) drawing power. */
export type EvStopReason =
  | "target SOC reached"
  | "connector unlatched"
  | "unplugged"
  | "supply voltage out of range"
  | "EVSE stopped offering power"
  | "HLC required";

/** EV configuration. */
export interface EvAcConfig {
  /** OBC maximum AC input current (A). */
  maxCurrentA: number;
  /** Which duty band edges to use (SAE J1772-2017 and IEC 61851-1 Table A.8, unconfirmed, disagree at 8–10 % and 96–97 %). */
  dutyProfile: "j1772" | "iec";
  /** Reaction time to a duty change (ms, must be ≤ {@link T_EV_FOLLOW_DUTY_MS}). */
  followDelayMs: number;
  /** Delay from usable PWM to S2 closing (ms). */
  s2CloseDelayMs: number;
  /** The EV requests ventilation (state D: S2 and the ventilation load). */
  needsVentilation: boolean;
  /** A well-behaved EV opens S2 when the EVSE stops PWM (X1). False models an EV that stays in C. */
  openS2OnPwmStop: boolean;
}

/** Complete a partial EV configuration with defaults. */
export function evAcConfig(partial: Partial<EvAcConfig> = {}): EvAcConfig {
  const cfg: EvAcConfig = {
    maxCurrentA: OBC_DEFAULT_MAX_CURRENT_A,
    dutyProfile: "j1772",
    followDelayMs: EV_DEFAULT_FOLLOW_DELAY_MS,
    s2CloseDelayMs: EV_DEFAULT_S2_CLOSE_DELAY_MS,
    needsVentilation: false,
    openS2OnPwmStop: true,
    ...partial,
  };
  if (cfg.followDelayMs > T_EV_FOLLOW_DUTY_MS) {
    throw new RangeError(
      `followDelayMs ${cfg.followDelayMs} exceeds T_EV_FOLLOW_DUTY_MS (${T_EV_FOLLOW_DUTY_MS})`,
    );
  }
  return cfg;
}

/** Inputs of the EV controller (all carry the virtual time). */
export type EvAcEvent =
  /** Duty measured on the pilot: 0 (steady −12 V or no pilot), 100 (steady +12 V), else PWM %. */
  | { kind: "duty"; duty: number; tMs: number }
  | { kind: "pp"; state: PpState; tMs: number }
  /** RMS AC voltage at the inlet (0 when the EVSE contactor is open). */
  | { kind: "supply"; volts: number; tMs: number }
  /** BMS: DC power the battery accepts now, and whether the target SOC is reached. */
  | { kind: "bms"; maxChargeW: number; targetReached: boolean; tMs: number }
  /** A timer the controller set (`set-timer`) is due: its deadlines are checked. */
  | { kind: "timer"; id: string; tMs: number };

/** Outputs of the EV controller. */
export type EvAcEffect =
  | { kind: "s2"; closed: boolean }
  | { kind: "vent"; closed: boolean }
  /** OBC AC input current setpoint (A). */
  | { kind: "current"; amps: number }
  /** Deliver a `timer` event at `atMs` (one timer per deadline: `id` names the time). */
  | { kind: "set-timer"; id: string; atMs: number }
  | { kind: "stop"; reason: EvStopReason }
  | { kind: "log"; level: "info" | "warn"; msg: string };

/** EV controller state. */
export interface EvAcState {
  readonly cfg: EvAcConfig;
  readonly nowMs: number;
  readonly pp: PpState;
  readonly meaning: DutyMeaning;
  /** Current allowed by the duty, as currently followed (A). */
  readonly allowedA: number;
  /** A duty change not yet followed. */
  readonly pendingAllowedA: number | null;
  readonly pendingAtMs: number | null;
  readonly s2CloseAtMs: number | null;
  readonly supplyV: number;
  /** Latched OBC refusal (supply voltage out of range) until unplug. */
  readonly obcRefusal: string | null;
  readonly bmsMaxChargeW: number;
  readonly targetReached: boolean;
  readonly s2Closed: boolean;
  readonly ventClosed: boolean;
  readonly setpointA: number;
  readonly stopReason: EvStopReason | null;
}

/** Initial EV state: unplugged, no pilot, S2 open. */
export function initialEvAc(cfg: EvAcConfig, tMs = 0): EvAcState {
  return {
    cfg,
    nowMs: tMs,
    pp: "unplugged",
    meaning: { kind: "f" },
    allowedA: 0,
    pendingAllowedA: null,
    pendingAtMs: null,
    s2CloseAtMs: null,
    supplyV: 0,
    obcRefusal: null,
    bmsMaxChargeW: 0,
    targetReached: false,
    s2Closed: false,
    ventClosed: false,
    setpointA: 0,
    stopReason: null,
  };
}

/** Allowance (A) a duty meaning grants; a stubborn EV keeps its allowance on X1. */
function allowanceOf(s: EvAcState, m: DutyMeaning): number {
  if (m.kind === "current") return m.amps;
  if (m.kind === "x1" && !s.cfg.openS2OnPwmStop && s.s2Closed) return s.allowedA;
  return 0;
}

/** Reason to stay out of state C, or null when the EV wants power. */
function blockReason(s: EvAcState): EvStopReason | null {
  if (s.pp === "unplugged") return "unplugged";
  if (s.pp !== "latched") return "connector unlatched";
  if (s.obcRefusal) return "supply voltage out of range";
  if (s.targetReached) return "target SOC reached";
  const m = s.meaning;
  if (m.kind === "current") return null;
  if (m.kind === "x1" && !s.cfg.openS2OnPwmStop && s.s2Closed) return null;
  if (m.kind === "digital") return "HLC required";
  return "EVSE stopped offering power";
}

/** One step of the EV controller. */
export function stepEvAc(s0: EvAcState, ev: EvAcEvent): [EvAcState, EvAcEffect[]] {
  const fx: EvAcEffect[] = [];
  let s: EvAcState = { ...s0, nowMs: Math.max(s0.nowMs, ev.tMs) };
  switch (ev.kind) {
    case "duty": {
      const meaning = dutyToCurrent(ev.duty, s.cfg.dutyProfile);
      const amps = allowanceOf(s, meaning);
      s = { ...s, meaning };
      if (amps === s.allowedA) {
        s = { ...s, pendingAllowedA: null, pendingAtMs: null };
      } else if (!s.s2Closed || amps === 0) {
        // nothing drawn yet, or power withdrawn: apply at once (an EV may always draw less)
        s = { ...s, allowedA: amps, pendingAllowedA: null, pendingAtMs: null };
      } else {
        const at = s.pendingAtMs ?? s.nowMs + s.cfg.followDelayMs;
        if (s.pendingAtMs === null) fx.push({ kind: "set-timer", id: `deadline@${at}`, atMs: at });
        s = { ...s, pendingAllowedA: amps, pendingAtMs: at };
      }
      break;
    }
    case "pp":
      if (ev.state !== s.pp) fx.push({ kind: "log", level: "info", msg: `PP ${s.pp}→${ev.state}` });
      s = { ...s, pp: ev.state };
      if (ev.state === "unplugged") s = { ...s, obcRefusal: null };
      break;
    case "supply": {
      s = { ...s, supplyV: ev.volts };
      const verdict = obcSupplyVerdict(ev.volts);
      if ((verdict === "undervoltage" || verdict === "overvoltage") && !s.obcRefusal) {
        const msg = `OBC refuses ${ev.volts.toFixed(1)} V (${verdict}; accepts ${OBC_INPUT_MIN_V}–${OBC_INPUT_MAX_V} V, ANSI C84.1 range B)`;
        fx.push({ kind: "log", level: "warn", msg });
        s = { ...s, obcRefusal: msg };
      }
      break;
    }
    case "bms":
      s = { ...s, bmsMaxChargeW: ev.maxChargeW, targetReached: ev.targetReached };
      break;
    case "timer":
      break;
  }
  if (s.pendingAtMs !== null && s.nowMs >= s.pendingAtMs) {
    s = { ...s, allowedA: s.pendingAllowedA ?? s.allowedA, pendingAllowedA: null, pendingAtMs: null };
  }
  return settle(s, fx);
}

function settle(s0: EvAcState, fx: EvAcEffect[]): [EvAcState, EvAcEffect[]] {
  let s = s0;
  const reason = blockReason(s);
  // S2 (and the ventilation load)
  let s2 = s.s2Closed;
  if (reason !== null) {
    s2 = false;
    if (s.s2CloseAtMs !== null) s = { ...s, s2CloseAtMs: null };
  } else if (!s2) {
    if (s.s2CloseAtMs === null) {
      const at = s.nowMs + s.cfg.s2CloseDelayMs;
      s = { ...s, s2CloseAtMs: at };
      if (at > s.nowMs) fx.push({ kind: "set-timer", id: `deadline@${at}`, atMs: at });
    }
    if (s.nowMs >= (s.s2CloseAtMs ?? Number.POSITIVE_INFINITY)) {
      s2 = true;
      s = { ...s, s2CloseAtMs: null };
    }
  }
  // current setpoint: only with S2 closed, a good supply and no block
  let amps = 0;
  if (s2 && reason === null && obcSupplyVerdict(s.supplyV) === "ok") {
    const bmsA = s.supplyV > 0 ? obcInputForOutputW(s.bmsMaxChargeW) / s.supplyV : 0;
    amps = Math.floor(Math.min(s.allowedA, s.cfg.maxCurrentA, bmsA) * 10) / 10;
    amps = Math.max(0, amps);
  }
  // order: reduce current before opening S2; close S2 before drawing current
  if (amps < s.setpointA) fx.push({ kind: "current", amps });
  if (s2 !== s.s2Closed) {
    fx.push({ kind: "s2", closed: s2 });
    if (s.cfg.needsVentilation) fx.push({ kind: "vent", closed: s2 });
  }
  if (amps > s.setpointA) fx.push({ kind: "current", amps });
  const wasActive = s.s2Closed || s.setpointA > 0;
  let stopReason = s.stopReason;
  if (reason !== null && (wasActive || reason === "supply voltage out of range") && reason !== s.stopReason) {
    fx.push({ kind: "stop", reason });
    stopReason = reason;
  }
  if (reason === null) stopReason = null;
  return [{ ...s, s2Closed: s2, ventClosed: s.cfg.needsVentilation && s2, setpointA: amps, stopReason }, fx];
}
