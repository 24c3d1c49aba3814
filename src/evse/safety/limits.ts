/**
 * Figures of the DC safety supervisor: reaction time, the over-voltage table of IEC 61851-23,
 * the over-current rule, the current below which contactors may open, and the 60 V unlock limit.
 */
import { SAFE_VOLTAGE_V } from "../../v2g/index.js";

/** DC output commanded off within 10 ms of detecting a fault. SAE J3400 "DC emergency stop" (from an SAE J3400-2023 overview page); clause unconfirmed, still a requirement. */
export const SAFETY_OFF_MAX_MS = 10;
/** Unlock the connector only below this voltage: 60 V. EVerest EvseManager `CABLECHECK_SAFE_VOLTAGE`, MathWorks J1772 lock example. */
export const SAFETY_UNLOCK_MAX_V = SAFE_VOLTAGE_V;
/**
 * Contactors open only once the current is below this (A), so they never break the load current.
 * Figure borrowed from the IEC 61851-23 CC.7.6.20 short-circuit test ("current must drop < 5 A", as
 * EVerest EvseManager cites it); using it as the contactor-opening limit is our choice (derived).
 */
export const SAFETY_CONTACTOR_OPEN_MAX_A = 5;
/** Over-current trips above the negotiated limit plus this fraction of it. Design choice (D). */
export const OVER_CURRENT_MARGIN_FRACTION = 0.1;

/**
 * Over-voltage emergency thresholds by negotiated maximum voltage (IEC 61851-23 Table 103 and the
 * 61851-23-3 draft, as coded in EVerest EvseManager):
 * ≤ 500 V ⇒ 550 V; > 500 ⇒ 825; > 750 ⇒ 935; > 850 ⇒ 1100; > 1000 ⇒ 1375.
 */
export const OVER_VOLTAGE_TABLE: readonly { above: number; thresholdV: number }[] = Object.freeze([
  { above: 1000, thresholdV: 1375 },
  { above: 850, thresholdV: 1100 },
  { above: 750, thresholdV: 935 },
  { above: 500, thresholdV: 825 },
  { above: Number.NEGATIVE_INFINITY, thresholdV: 550 },
]);

/** Over-voltage threshold for a negotiated maximum voltage (IEC 61851-23 Table 103). */
export function overVoltageThresholdV(negotiatedMaxV: number): number {
  for (const row of OVER_VOLTAGE_TABLE) if (negotiatedMaxV > row.above) return row.thresholdV;
  return 550;
}

/** Negotiated limit: the lower of EV and EVSE maxima; 0 = unknown. */
export function negotiated(evMax: number, evseMax: number): number {
  if (!(evMax > 0)) return evseMax;
  return Math.min(evMax, evseMax);
}

/**
 * Over-current threshold (A): negotiated maximum current plus the larger of the EVSE's regulation tolerance
 * and {@link OVER_CURRENT_MARGIN_FRACTION} of it.
 */
export function overCurrentThresholdA(negotiatedMaxA: number, regulationToleranceA: number): number {
  return negotiatedMaxA + Math.max(regulationToleranceA, OVER_CURRENT_MARGIN_FRACTION * negotiatedMaxA);
}
