/**
 * DC safety supervisor, a pure state machine inside the EVSE DC controller. On any fault it
 * commands the DC output off in the same step as the detection (the host then has {@link SAFETY_OFF_MAX_MS}
 * to carry it out), lets the contactors open only once the current is below
 * {@link SAFETY_CONTACTOR_OPEN_MAX_A}, refuses to close them again until reset, and reports unlock permission
 * only below {@link SAFETY_UNLOCK_MAX_V}. The first fault wins: it names the stop reason.
 */
import {
  negotiated,
  OVER_CURRENT_MARGIN_FRACTION,
  overCurrentThresholdA,
  overVoltageThresholdV,
  SAFETY_CONTACTOR_OPEN_MAX_A,
  SAFETY_OFF_MAX_MS,
  SAFETY_UNLOCK_MAX_V,
} from "./limits.js";

export { OVER_CURRENT_MARGIN_FRACTION, SAFETY_OFF_MAX_MS };

/** Faults the supervisor acts on. */
export type SafetyFault =
  | "cp-state-e"
  | "cp-state-f"
  | "cp-lost"
  | "diode-fault"
  | "pilot-fault"
  | "pp-unlatched"
  | "ev-stop-cp"
  | "isolation"
  | "over-voltage"
  | "over-current"
  | "emergency-stop"
  | "comm-loss"
  | "comm-timeout"
  | "connection-lost"
  | "malformed-message"
  | "session-error"
  | "interlock"
  /** The board that measures the pilot and switches the output stopped answering (heartbeat, link). */
  | "board-lost";

/** The named stop reason each fault ends a session with. */
export const SAFETY_STOP_REASONS: Readonly<Record<SafetyFault, string>> = Object.freeze({
  "cp-state-e": "CP shorted to PE (state E)",
  "cp-state-f": "CP at -12 V (state F)",
  "cp-lost": "control pilot lost",
  "diode-fault": "EV diode fault",
  "pilot-fault": "pilot fault",
  "pp-unlatched": "connector unlatched (PP)",
  "ev-stop-cp": "EV opened S2 under load",
  isolation: "isolation fault",
  "over-voltage": "over-voltage",
  "over-current": "over-current",
  "emergency-stop": "emergency stop",
  "comm-loss": "communication loss",
  "comm-timeout": "communication timeout (EV not responding)",
  "connection-lost": "V2G connection closed (TCP)",
  "malformed-message": "malformed V2G message (EXI decode error)",
  "session-error": "V2G session error",
  interlock: "interlock: pins not configured for this power path",
  "board-lost": "board lost",
});

/** A trip: what, why, when detected. */
export interface SafetyTrip {
  fault: SafetyFault;
  detail: string;
  detectedAtMs: number;
}

/** Supervisor state. */
export interface SafetyState {
  readonly trip: SafetyTrip | null;
  /** What the controller wants the contactors to be. */
  readonly contactorsWant: boolean;
  /** What was last commanded to the contactors. */
  readonly contactorsCmd: boolean;
  readonly currentA: number;
  readonly voltageV: number;
  /**
   * The switch may open under load after a trip: an AC supply relay, the only way to take AC off the pins
   * (IEC 61851-1 §6.3.1: the EVSE de-energises the supply on a fault; a mains relay is rated to break its
   * current). In a normal stop it still waits for the EV's charger to bring the current below
   * {@link SAFETY_CONTACTOR_OPEN_MAX_A}. A DC contactor (false) always waits for the power module.
   */
  readonly breaksUnderLoad: boolean;
}

/** Effects of the supervisor. */
export type SafetyEffect =
  | { kind: "output-off"; fault: SafetyFault }
  | { kind: "contactors"; closed: boolean }
  | { kind: "log"; level: "info" | "warn"; msg: string };

/** Initial supervisor: no trip, contactors open; `breaksUnderLoad` for an AC supply relay. */
export function initialSafety(breaksUnderLoad = false): SafetyState {
  return {
    trip: null,
    contactorsWant: false,
    contactorsCmd: false,
    currentA: 0,
    voltageV: 0,
    breaksUnderLoad,
  };
}

function gate(s: SafetyState, fx: SafetyEffect[]): SafetyState {
  if (s.contactorsWant === s.contactorsCmd) return s;
  if (s.contactorsWant) {
    if (s.trip) return { ...s, contactorsWant: false };
    fx.push({ kind: "contactors", closed: true });
    return { ...s, contactorsCmd: true };
  }
  if (Math.abs(s.currentA) >= SAFETY_CONTACTOR_OPEN_MAX_A && !(s.breaksUnderLoad && s.trip)) return s;
  fx.push({ kind: "contactors", closed: false });
  return { ...s, contactorsCmd: false };
}

/** Trip on `fault` (first fault wins): output off now, contactors open as soon as the current allows. */
export function safetyTrip(
  s: SafetyState,
  fault: SafetyFault,
  detail: string,
  tMs: number,
): [SafetyState, SafetyEffect[]] {
  if (s.trip) return [s, []];
  const fx: SafetyEffect[] = [
    { kind: "output-off", fault },
    { kind: "log", level: "warn", msg: `safety trip ${fault}: ${detail}` },
  ];
  const st = gate({ ...s, trip: { fault, detail, detectedAtMs: tMs }, contactorsWant: false }, fx);
  return [st, fx];
}

/** The controller asks for the contactors closed/open; closing is refused after a trip. */
export function safetyContactors(s: SafetyState, closed: boolean): [SafetyState, SafetyEffect[]] {
  const fx: SafetyEffect[] = [];
  if (closed && s.trip) {
    fx.push({ kind: "log", level: "warn", msg: `contactor close refused after ${s.trip.fault}` });
    return [s, fx];
  }
  return [gate({ ...s, contactorsWant: closed }, fx), fx];
}

/** New output measurement: opens the contactors once the current has fallen below the safe limit. */
export function safetyMeasure(
  s: SafetyState,
  voltageV: number,
  currentA: number,
): [SafetyState, SafetyEffect[]] {
  const fx: SafetyEffect[] = [];
  return [gate({ ...s, voltageV, currentA }, fx), fx];
}

/**
 * Faults that latch until an operator reset (`safetyReset` with `operator` true): the emergency-stop button
 * and the interlock. Every other trip is cleared when the EV is unplugged, so the EVSE can serve the next
 * plug-in (the physical fault, if still there, is detected again). Design choice (D).
 */
export const SAFETY_LATCHING_FAULTS: readonly SafetyFault[] = Object.freeze(["emergency-stop", "interlock"]);

/**
 * Clear a trip (operator reset, or unplugged with nothing energised). Refused (state unchanged) while the
 * contactors are commanded closed or ≥ {@link SAFETY_CONTACTOR_OPEN_MAX_A} flows, and for a latching fault
 * unless `operator`. Contactors stay open until asked again.
 */
export function safetyReset(s: SafetyState, operator = true): SafetyState {
  if (!s.trip) return s;
  if (s.contactorsCmd || Math.abs(s.currentA) >= SAFETY_CONTACTOR_OPEN_MAX_A) return s;
  if (!operator && SAFETY_LATCHING_FAULTS.includes(s.trip.fault)) return s;
  return { ...s, trip: null, contactorsWant: false };
}

/** True when the connector may be unlocked: output below 60 V (EVerest EvseManager `CABLECHECK_SAFE_VOLTAGE`). */
export function unlockPermitted(voltageV: number): boolean {
  return Math.abs(voltageV) < SAFETY_UNLOCK_MAX_V;
}

/** Negotiated limits the measurement checks use. */
export interface SafetyLimits {
  evMaxVoltageV: number;
  evseMaxVoltageV: number;
  evMaxCurrentA: number;
  evseMaxCurrentA: number;
  regulationToleranceA: number;
  /**
   * Discharge limits (A, positive) of a bidirectional session (ISO 15118-20 BPT): a negative current beyond
   * the negotiated one plus the same margin is an over-current too. Absent = no discharge allowed beyond the
   * charge limits.
   */
  evMaxDischargeCurrentA?: number;
  evseMaxDischargeCurrentA?: number;
}

/** Over-voltage (IEC 61851-23 Table 103) or over-current (negotiated limit + margin) in one measurement, or null. */
export function checkOutput(
  l: SafetyLimits,
  voltageV: number,
  currentA: number,
): { fault: "over-voltage" | "over-current"; detail: string } | null {
  const vMax = negotiated(l.evMaxVoltageV, l.evseMaxVoltageV);
  const ov = overVoltageThresholdV(vMax);
  if (voltageV > ov)
    return { fault: "over-voltage", detail: `${voltageV.toFixed(1)} V > ${ov} V (negotiated ${vMax} V)` };
  const iMax = negotiated(l.evMaxCurrentA, l.evseMaxCurrentA);
  const oc = overCurrentThresholdA(iMax, l.regulationToleranceA);
  if (currentA > oc)
    return {
      fault: "over-current",
      detail: `${currentA.toFixed(1)} A > ${oc.toFixed(1)} A (negotiated ${iMax} A)`,
    };
  // the limits apply in both directions: discharge current against the negotiated discharge maximum
  const dMax = negotiated(l.evMaxDischargeCurrentA ?? iMax, l.evseMaxDischargeCurrentA ?? iMax);
  const doc = overCurrentThresholdA(dMax, l.regulationToleranceA);
  if (-currentA > doc)
    return {
      fault: "over-current",
      detail: `discharge ${(-currentA).toFixed(1)} A > ${doc.toFixed(1)} A (negotiated ${dMax} A)`,
    };
  return null;
}
