/**
 * Simple pure traction-battery / BMS model for the EVCC port: open-circuit voltage linear in
 * SOC, internal resistance, constant current up to a taper SOC then linear taper, and a voltage ceiling.
 * Figures are model parameters (not from the digest), chosen for a 400 V-class pack.
 */

/** Battery parameters. */
export interface BatteryParams {
  capacityWh: number;
  /** OCV at 0 % and 100 % SOC (V). */
  ocvEmptyV: number;
  ocvFullV: number;
  rIntOhm: number;
  maxCurrentA: number;
  maxVoltageV: number;
  maxPowerW: number;
  /** SOC where the current starts to taper linearly to `taperEndFraction` × max at 100 %. */
  taperSocPercent: number;
  taperEndFraction: number;
}

/** Default pack: 75 kWh, 330–410 V OCV, 50 mΩ, 200 A / 420 V / 150 kW, taper from 80 % to 10 %. */
export const DEFAULT_BATTERY: BatteryParams = {
  capacityWh: 75_000,
  ocvEmptyV: 330,
  ocvFullV: 410,
  rIntOhm: 0.05,
  maxCurrentA: 200,
  maxVoltageV: 420,
  maxPowerW: 150_000,
  taperSocPercent: 80,
  taperEndFraction: 0.1,
};

/** Battery state. */
export interface BatteryModel {
  p: BatteryParams;
  socPercent: number;
  /** Current into the battery (A, positive = charging). */
  currentA: number;
}

/** A battery at `socPercent`. */
export function createBattery(socPercent: number, p: BatteryParams = DEFAULT_BATTERY): BatteryModel {
  return { p, socPercent, currentA: 0 };
}

/** Open-circuit voltage at the present SOC. */
export function ocv(b: BatteryModel): number {
  return b.p.ocvEmptyV + ((b.p.ocvFullV - b.p.ocvEmptyV) * b.socPercent) / 100;
}

/** Terminal voltage with the present current. */
export function terminalVoltage(b: BatteryModel): number {
  return ocv(b) + b.currentA * b.p.rIntOhm;
}

/** Current the BMS asks for: CC, taper above `taperSocPercent`, capped by the voltage and power ceilings. */
export function targetCurrent(b: BatteryModel): number {
  const p = b.p;
  let i = p.maxCurrentA;
  if (b.socPercent >= 100) return 0;
  if (b.socPercent > p.taperSocPercent) {
    const f = 1 - ((1 - p.taperEndFraction) * (b.socPercent - p.taperSocPercent)) / (100 - p.taperSocPercent);
    i *= f;
  }
  const iVolt = (p.maxVoltageV - ocv(b)) / p.rIntOhm;
  const iPow = p.maxPowerW / Math.max(ocv(b), 1);
  return Math.max(0, Math.min(i, iVolt, iPow));
}

/** Charge (or discharge) with `currentA` for `dtMs`. */
export function advanceBattery(b: BatteryModel, currentA: number, dtMs: number): BatteryModel {
  const wh = (currentA * ocv(b) * dtMs) / 3_600_000;
  const soc = Math.min(100, Math.max(0, b.socPercent + (100 * wh) / b.p.capacityWh));
  return { ...b, socPercent: soc, currentA };
}
