/**
 * When the simulated EV board sends a `bms` reading (state of charge, battery terminal voltage). The board
 * protocol recommends `bms` "every 1 s and on change" (docs/board-protocol.md); a board on the wall clock
 * therefore reports a change only once it reaches the BMS's resolution, instead of with every measurement
 * of the power path (10 a second, 100 during a ramp). Pure.
 */

/** How often and at which resolution the EV board reports its BMS. */
export interface BmsReportRule {
  /** At least this often (ms). */
  everyMs: number;
  /** A state of charge that crossed a multiple of this (%) since the last report is reported at once. */
  socStepPercent: number;
  /** A terminal voltage this far (V) from the last reported one is reported at once. */
  voltageStepV: number;
}

/**
 * The live board's rule. Design choice: 1 s as the protocol recommends; 0.1 % of SOC, ten times finer than
 * the whole percent a vehicle reports over ISO 15118-2 / DIN 70121 (EVRESSSOC) and ISO 15118-20 (PresentSOC),
 * so a target SOC in whole or tenth percent is seen the moment it is crossed; 1 V of terminal voltage.
 */
export const LIVE_BMS_REPORT: BmsReportRule = Object.freeze({
  everyMs: 1_000,
  socStepPercent: 0.1,
  voltageStepV: 1,
});

/** The last `bms` reading sent. */
export interface BmsReported {
  atMs: number;
  socPercent: number;
  batteryVoltageV: number;
}

/** Whether a `bms` reading is due now; no rule (or nothing sent yet) ⇒ always. */
export function bmsDue(
  rule: BmsReportRule | undefined,
  last: BmsReported | null,
  nowMs: number,
  socPercent: number,
  batteryVoltageV: number,
): boolean {
  if (!rule || !last) return true;
  if (nowMs - last.atMs >= rule.everyMs) return true;
  const step = rule.socStepPercent;
  if (Math.floor(socPercent / step) !== Math.floor(last.socPercent / step)) return true;
  return Math.abs(batteryVoltageV - last.batteryVoltageV) >= rule.voltageStepV;
}
