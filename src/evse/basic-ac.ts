/**
 * EVSE controller for basic (PWM-only) AC charging (SAE J1772 / IEC 61851-1 Annex A), as a pure step function
 * `stepEvseAc(state, event) → [state, effects]`. Time arrives with every event (`tMs`, injected clock);
 * deadlines live in the state and are checked on `timer` events, which the host's machine driver delivers for
 * each `set-timer` effect.
 *
 * Rules (IEC 61851-1 Table A.6 as applied by EVerest EvseManager and its bring-up guide):
 * - A→B: offer PWM for the configured current (or 5 % when digital communication is configured:
 *   HLC, ISO 15118-3 §7).
 * - B→C (or D with ventilation): close the contactor (immediately; the limit is
 *   {@link T_CONTACTOR_CLOSE_MAX_MS}). With digital communication the contactor closes only once the
 *   high-level session allows power (`hlc-power`).
 * - C→B, →A (unplug), E, F, faults: open at once (limit {@link T_CONTACTOR_OPEN_MAX_MS}).
 * - The contactor closes only after the detector has proven the EV diode (−12 V low plateau seen, SAE J1772 /
 *   IEC 61851-1 diode check, as quoted in a SmartEVSE issue thread), reported with a `diode` event.
 * - D without ventilation: no power (EVerest IECStateMachine:
 *   `if (not has_ventilation) allow_power_on(false)`).
 * - PWM changes of the offered current are rate limited to one per {@link T_PWM_MIN_UPDATE_INTERVAL_MS}.
 * - `stop-pwm` (X2→X1) while the EV stays in C: power off under load after {@link T_POWER_OFF_UNDER_LOAD_MS}.
 */
import {
  type CpState,
  currentToDuty,
  DUTY_DIGITAL_COMM,
  DUTY_F,
  DUTY_X1,
  T_POWER_OFF_UNDER_LOAD_MS,
  T_PWM_MIN_UPDATE_INTERVAL_MS,
} from "../pilot/index.js";

/** Configuration of the basic AC EVSE. */
export interface EvseAcConfig {
  /** Current to offer on the PWM (A), 6–80 A (SAE J1772 / IEC 61851-1 duty-cycle formula). */
  maxCurrentA: number;
  /** When true the EVSE shows 5 % (HLC required, ISO 15118-3 §7) instead of the current duty. */
  digitalComm: boolean;
  /** Whether the site provides ventilation; without it state D gets no power (as in EVerest IECStateMachine). */
  ventilationAvailable: boolean;
  /** Nominal supply voltage (V AC). Default {@link DEFAULT_SUPPLY_VOLTAGE_V}. */
  supplyVoltageV: number;
}

/** Default AC supply voltage: 240 V split-phase (J3400 AC: typical 120/240 V, as reported by evmagz.com). */
export const DEFAULT_SUPPLY_VOLTAGE_V = 240;

/** Complete a partial configuration with defaults (32 A, no HLC, no ventilation, 240 V). */
export function evseAcConfig(partial: Partial<EvseAcConfig> = {}): EvseAcConfig {
  return {
    maxCurrentA: 32,
    digitalComm: false,
    ventilationAvailable: false,
    supplyVoltageV: DEFAULT_SUPPLY_VOLTAGE_V,
    ...partial,
  };
}

/** CP fault reported by the detector (see `CpEvent` of src/pilot). */
export type EvseCpFault = "diode-fault" | "cp-short" | "pilot-fault";

/** Inputs of the EVSE controller. Every event carries the current virtual time. */
export type EvseAcEvent =
  | { kind: "cp"; state: CpState; tMs: number }
  | { kind: "cp-fault"; fault: EvseCpFault; tMs: number }
  /** The detector's diode check (`diodeVerified` of src/pilot) changed. */
  | { kind: "diode"; verified: boolean; tMs: number }
  /** A timer the controller set (`set-timer`) is due: its deadlines are checked. */
  | { kind: "timer"; id: string; tMs: number }
  | { kind: "set-current"; amps: number; tMs: number }
  | { kind: "stop-pwm"; tMs: number }
  | { kind: "resume-pwm"; tMs: number }
  | { kind: "hlc-power"; allowed: boolean; tMs: number }
  | { kind: "fault"; reason: string; tMs: number }
  | { kind: "reset"; tMs: number };

/** Outputs of the EVSE controller. */
export type EvseAcEffect =
  | { kind: "set-duty"; duty: number }
  | { kind: "contactor"; closed: boolean }
  /** Deliver a `timer` event at `atMs` (one timer per deadline: `id` names the time). */
  | { kind: "set-timer"; id: string; atMs: number }
  | { kind: "log"; level: "info" | "warn"; msg: string };

/** State of the EVSE controller (treat as opaque outside this module and tests). */
export interface EvseAcState {
  readonly cfg: EvseAcConfig;
  readonly nowMs: number;
  /** Last CP state reported by the detector. */
  readonly cp: CpState;
  /** Duty the generator is producing (0 = F, 100 = X1). */
  readonly duty: number;
  /** Current offered (A) when PWM runs. */
  readonly offeredA: number;
  /** False after `stop-pwm` until `resume-pwm`. */
  readonly pwmEnabled: boolean;
  readonly contactorClosed: boolean;
  /** Latched fault (duty F, no power) until `reset`. */
  readonly fault: string | null;
  readonly hlcPowerAllowed: boolean;
  /** The EV diode has been proven since the last A/E/F (SAE J1772 / IEC 61851-1 diode check). */
  readonly diodeVerified: boolean;
  /** Time of the last change between two PWM duties (rate limiting). */
  readonly lastPwmChangeMs: number | null;
  /** A rate-limited duty change waits until this time. */
  readonly pendingDutyAtMs: number | null;
  /** Power-off-under-load deadline after `stop-pwm` while the EV stays in C/D. */
  readonly powerOffAtMs: number | null;
}

/** Initial state: nothing plugged (A), X1, contactor open. */
export function initialEvseAc(cfg: EvseAcConfig, tMs = 0): EvseAcState {
  return {
    cfg,
    nowMs: tMs,
    cp: "A",
    duty: DUTY_X1,
    offeredA: cfg.maxCurrentA,
    pwmEnabled: true,
    contactorClosed: false,
    fault: null,
    hlcPowerAllowed: false,
    diodeVerified: false,
    lastPwmChangeMs: null,
    pendingDutyAtMs: null,
    powerOffAtMs: null,
  };
}

const isPwm = (d: number): boolean => d > DUTY_F && d < DUTY_X1;

/** The duty the EVSE wants to show now, ignoring rate limiting. */
function wantedDuty(s: EvseAcState): number {
  if (s.fault) return DUTY_F;
  if (!s.pwmEnabled) return DUTY_X1;
  if (s.cp !== "B" && s.cp !== "C" && s.cp !== "D") return DUTY_X1;
  if (s.cfg.digitalComm) return DUTY_DIGITAL_COMM;
  return currentToDuty(s.offeredA) ?? DUTY_X1;
}

/** Whether the EVSE may energise the outlet now. */
function wantsPower(s: EvseAcState): boolean {
  if (s.fault) return false;
  const evReady = s.cp === "C" || (s.cp === "D" && s.cfg.ventilationAvailable);
  if (!evReady) return false;
  if (!s.diodeVerified && !s.contactorClosed) return false;
  if (!isPwm(s.duty)) {
    // X1 after stop-pwm with the EV still in C: keep power until the under-load deadline (seq 10.2).
    return s.contactorClosed && s.powerOffAtMs !== null && s.nowMs < s.powerOffAtMs;
  }
  if (s.duty === DUTY_DIGITAL_COMM && s.cfg.digitalComm) return s.hlcPowerAllowed;
  return true;
}

/**
 * One step of the EVSE controller. Pure: returns the next state and the effects to carry out
 * (set the generator duty, switch the contactor, set a timer, log).
 */
export function stepEvseAc(s0: EvseAcState, ev: EvseAcEvent): [EvseAcState, EvseAcEffect[]] {
  const fx: EvseAcEffect[] = [];
  let s: EvseAcState = { ...s0, nowMs: Math.max(s0.nowMs, ev.tMs) };
  switch (ev.kind) {
    case "cp":
      if (ev.state === s.cp) break;
      fx.push({ kind: "log", level: "info", msg: `CP ${s.cp}→${ev.state}` });
      if (ev.state === "D" && !s.cfg.ventilationAvailable) {
        fx.push({
          kind: "log",
          level: "warn",
          msg: "state D: ventilation required but not available, no power",
        });
      }
      if (ev.state === "E" || ev.state === "F") {
        fx.push({ kind: "log", level: "warn", msg: `state ${ev.state}: power off` });
      }
      s = { ...s, cp: ev.state };
      if (ev.state !== "C" && ev.state !== "D") s = { ...s, powerOffAtMs: null };
      break;
    case "cp-fault":
      if (ev.fault === "cp-short") {
        fx.push({ kind: "log", level: "warn", msg: "CP short to PE (E): power off" });
        s = { ...s, cp: "E", powerOffAtMs: null };
      } else {
        fx.push({ kind: "log", level: "warn", msg: `${ev.fault}: power off, state F` });
        s = { ...s, fault: ev.fault, powerOffAtMs: null };
      }
      break;
    case "fault":
      fx.push({ kind: "log", level: "warn", msg: `EVSE fault (${ev.reason}): power off, state F` });
      s = { ...s, fault: ev.reason, powerOffAtMs: null };
      break;
    case "diode":
      s = { ...s, diodeVerified: ev.verified };
      break;
    case "reset":
      s = { ...s, fault: null };
      break;
    case "set-current":
      s = { ...s, offeredA: ev.amps };
      break;
    case "stop-pwm":
      if (!s.pwmEnabled) break;
      s = { ...s, pwmEnabled: false };
      if (s.contactorClosed) {
        const at = s.nowMs + T_POWER_OFF_UNDER_LOAD_MS;
        s = { ...s, powerOffAtMs: at };
        fx.push({ kind: "set-timer", id: `deadline@${at}`, atMs: at });
      }
      break;
    case "resume-pwm":
      s = { ...s, pwmEnabled: true, powerOffAtMs: null };
      break;
    case "hlc-power":
      s = { ...s, hlcPowerAllowed: ev.allowed };
      break;
    case "timer":
      break;
  }
  s = applyDuty(s, fx);
  s = applyContactor(s, fx);
  return [s, fx];
}

function applyDuty(s: EvseAcState, fx: EvseAcEffect[]): EvseAcState {
  const want = wantedDuty(s);
  if (want === s.duty) return s.pendingDutyAtMs !== null ? { ...s, pendingDutyAtMs: null } : s;
  const rateLimited = isPwm(want) && isPwm(s.duty);
  if (rateLimited && s.lastPwmChangeMs !== null) {
    const earliest = s.lastPwmChangeMs + T_PWM_MIN_UPDATE_INTERVAL_MS;
    if (s.nowMs < earliest) {
      if (s.pendingDutyAtMs !== earliest)
        fx.push({ kind: "set-timer", id: `deadline@${earliest}`, atMs: earliest });
      return { ...s, pendingDutyAtMs: earliest };
    }
  }
  fx.push({ kind: "set-duty", duty: want });
  const lastPwmChangeMs = isPwm(want) ? s.nowMs : s.lastPwmChangeMs;
  return { ...s, duty: want, lastPwmChangeMs, pendingDutyAtMs: null };
}

function applyContactor(s: EvseAcState, fx: EvseAcEffect[]): EvseAcState {
  const want = wantsPower(s);
  if (want === s.contactorClosed) return s;
  fx.push({ kind: "contactor", closed: want });
  return { ...s, contactorClosed: want, powerOffAtMs: want ? s.powerOffAtMs : null };
}
