/**
 * DC physical-phase figures (IEC 61851-23, EVerest EvseManager) used by the session machines and the port
 * models.
 */

/** Cable-check current limit: 2 A (EVerest EvseManager `CABLECHECK_CURRENT_LIMIT`). */
export const CABLE_CHECK_CURRENT_LIMIT_A = 2;
/** Isolation fault threshold of EVerest: R_iso < 100 kΩ ⇒ Fault (EVerest EvseManager). */
export const ISOLATION_FAULT_RESISTANCE_OHM = 100_000;
/** Isolation classes, Ω per volt: > 500 Ω/V valid (IEC 61851-23 from memory — unconfirmed). */
export const ISOLATION_VALID_OHM_PER_V = 500;
/**
 * Isolation classes, Ω per volt: 100–500 Ω/V warning, < 100 Ω/V fault (IEC 61851-23 from memory —
 * unconfirmed).
 */
export const ISOLATION_FAULT_OHM_PER_V = 100;
/**
 * Safe voltage for unlock / end of welding detection: 60 V (EVerest EvseManager `CABLECHECK_SAFE_VOLTAGE`).
 */
export const SAFE_VOLTAGE_V = 60;
/** PreCharge match |V_EVSE − V_batt| < 20 V (IEC 61851-23, as EcoG-io/iso15118 states it). */
export const PRECHARGE_TOLERANCE_IEC_V = 20;
/** PreCharge match used by pyPLC by default: < 10 V (pyPLC `u_delta_max_for_end_of_precharge`). */
export const PRECHARGE_TOLERANCE_PYPLC_V = 10;
/**
 * PreCharge current the EVSE allows at most (A): the cable-check limit, 2 A (the same EVerest EvseManager
 * figure).
 */
export const PRECHARGE_CURRENT_LIMIT_A = CABLE_CHECK_CURRENT_LIMIT_A;
/** EV max voltage up to which the ≤ 500 V cable-check rule applies (IEC 61851-23:2023 CC.4.1.2). */
export const CABLE_CHECK_LOW_RANGE_MAX_V = 500;
/** Margin above EV max voltage in the ≤ 500 V rule: +50 V (IEC 61851-23:2023 CC.4.1.2). */
export const CABLE_CHECK_LOW_RANGE_MARGIN_V = 50;
/** Factor on EV max voltage above 500 V: 1.1 (IEC 61851-23:2023 CC.4.1.2). */
export const CABLE_CHECK_HIGH_RANGE_FACTOR = 1.1;

/**
 * Cable-check test voltage (IEC 61851-23:2023 CC.4.1.2 via EVerest EvseManager `get_cable_check_voltage()`):
 * EV max ≤ 500 V ⇒ min(500, EVmax + 50, EVSEmax); otherwise min(EVSEmax, 1.1 × EVmax).
 */
export function cableCheckVoltage(evMaxV: number, evseMaxV: number): number {
  if (evMaxV <= CABLE_CHECK_LOW_RANGE_MAX_V)
    return Math.min(CABLE_CHECK_LOW_RANGE_MAX_V, evMaxV + CABLE_CHECK_LOW_RANGE_MARGIN_V, evseMaxV);
  return Math.min(evseMaxV, CABLE_CHECK_HIGH_RANGE_FACTOR * evMaxV);
}

/**
 * Isolation level for a measured resistance at a test voltage: EVerest EvseManager's 100 kΩ fault rule, then
 * the Ω/V classes.
 */
export function isolationLevelFor(resistanceOhm: number, voltageV: number): "Valid" | "Warning" | "Fault" {
  if (resistanceOhm < ISOLATION_FAULT_RESISTANCE_OHM) return "Fault";
  const perV = resistanceOhm / Math.max(voltageV, 1);
  if (perV < ISOLATION_FAULT_OHM_PER_V) return "Fault";
  if (perV <= ISOLATION_VALID_OHM_PER_V) return "Warning";
  return "Valid";
}
