/** Shared CP types. Split out so that circuit and detection can both use them. */

/** IEC 61851-1 / J1772 pilot states as the EVSE detects them (IEC 61851-1 Table A.4). */
export type CpState = "A" | "B" | "C" | "D" | "E" | "F";

/**
 * One CP measurement as the EVSE ADC sees it: the positive and negative plateau voltages and the duty the
 * EVSE is generating (0 = steady −12 V / F, 100 = steady +12 V / X1, else PWM %).
 */
export interface CpSample {
  tMs: number;
  high: number;
  low: number;
  duty: number;
}
