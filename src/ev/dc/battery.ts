/**
 * Traction battery / BMS model for DC charging: capacity, open-circuit voltage over SOC (a
 * per-cell NMC-like table times the cells in series), internal resistance, maximum charge current over SOC
 * (taper), voltage and power ceilings, bulk / full SOC. Two vehicle classes: a legacy "400v" pack (limit
 * ≤ 500 V, charges on a 500 V legacy charger) and an "800v" pack that needs a 1000 V J3400 charger.
 * All figures are model parameters (derived by us) — no standard or public source gives them.
 *
 * Energy bookkeeping (used by the simulator and the energy balance of `nacs simulate`): charging with
 * current I stores OCV·I in the cells (this is what moves the SOC) and heats the internal resistance with
 * I²·R. SOC is stored energy over capacity.
 */

/** Per-cell open-circuit voltage over SOC (%, V): NMC-like shape. Design choice (D). */
export const CELL_OCV_TABLE: readonly (readonly [number, number])[] = Object.freeze([
  [0, 3.3],
  [10, 3.55],
  [20, 3.62],
  [30, 3.67],
  [40, 3.72],
  [50, 3.77],
  [60, 3.84],
  [70, 3.92],
  [80, 4.0],
  [90, 4.08],
  [100, 4.18],
] as const);
/** Highest cell voltage under charge (V): the pack's EVMaximumVoltageLimit is cells × this. Design choice (D). */
export const CELL_MAX_V = 4.2;
/** Charge-current taper: fraction of the maximum current over SOC (%). Design choice (D). */
export const DEFAULT_TAPER: readonly (readonly [number, number])[] = Object.freeze([
  [0, 1],
  [50, 1],
  [60, 0.85],
  [70, 0.65],
  [80, 0.45],
  [90, 0.25],
  [100, 0.05],
] as const);

/** Vehicle voltage class. */
export type EvVoltageClass = "400v" | "800v";

/** DC battery parameters. */
export interface DcBatteryConfig {
  voltageClass: EvVoltageClass;
  capacityWh: number;
  cellsInSeries: number;
  rIntOhm: number;
  maxCurrentA: number;
  maxPowerW: number;
  /** EVMaximumVoltageLimit (V). */
  maxVoltageV: number;
  taper: readonly (readonly [number, number])[];
  bulkSocPercent: number;
  fullSocPercent: number;
}

/** Cells in series of a class: 96 (≈ 400 V) or 192 (≈ 800 V). Design choice (D). */
export const CELLS_IN_SERIES: Readonly<Record<EvVoltageClass, number>> = Object.freeze({
  "400v": 96,
  "800v": 192,
});

/** A pack of `voltageClass` with `capacityKwh` (default 75 kWh, 250 kW). */
export function dcBatteryConfig(
  voltageClass: EvVoltageClass = "800v",
  capacityKwh = 75,
  over: Partial<DcBatteryConfig> = {},
): DcBatteryConfig {
  const cells = CELLS_IN_SERIES[voltageClass];
  return {
    voltageClass,
    capacityWh: capacityKwh * 1000,
    cellsInSeries: cells,
    rIntOhm: voltageClass === "400v" ? 0.025 : 0.05,
    maxCurrentA: voltageClass === "400v" ? 650 : 500,
    maxPowerW: 250_000,
    maxVoltageV: Math.round(cells * CELL_MAX_V * 10) / 10,
    taper: DEFAULT_TAPER,
    bulkSocPercent: 80,
    fullSocPercent: 100,
    ...over,
  };
}

function interp(table: readonly (readonly [number, number])[], x: number): number {
  const first = table[0]!;
  if (x <= first[0]) return first[1];
  // indexed reads, no tuple destructuring: this runs for every measurement of a simulated session
  for (let k = 1; k < table.length; k++) {
    const hi = table[k]!;
    if (x <= hi[0]) {
      const lo = table[k - 1]!;
      return lo[1] + ((hi[1] - lo[1]) * (x - lo[0])) / (hi[0] - lo[0]);
    }
  }
  return table[table.length - 1]![1];
}

/** Pack open-circuit voltage (V) at `soc` %. */
export function packOcvV(c: DcBatteryConfig, soc: number): number {
  return c.cellsInSeries * interp(CELL_OCV_TABLE, soc);
}

/** Terminal voltage (V) while charging with `currentA`. */
export function packTerminalV(c: DcBatteryConfig, soc: number, currentA: number): number {
  return packOcvV(c, soc) + currentA * c.rIntOhm;
}

/**
 * Current the BMS asks for at `soc` % (A): the taper fraction of the maximum current, capped so the terminal
 * voltage stays ≤ the maximum voltage and the terminal power ≤ the maximum power. 0 at 100 %.
 */
export function bmsTargetCurrentA(c: DcBatteryConfig, soc: number): number {
  if (soc >= 100) return 0;
  const ocv = packOcvV(c, soc);
  const taper = c.maxCurrentA * interp(c.taper, soc);
  const cv = (c.maxVoltageV - ocv) / c.rIntOhm;
  // P = (ocv + I R) I ⇒ I = (−ocv + √(ocv² + 4 R P)) / 2R
  const pw = (-ocv + Math.sqrt(ocv * ocv + 4 * c.rIntOhm * c.maxPowerW)) / (2 * c.rIntOhm);
  return Math.max(0, Math.min(taper, cv, pw));
}

/** SOC after storing `storedWh` (OCV·I·t; negative when discharging) at `soc` %, kept within 0–100 %. */
export function socAfter(c: DcBatteryConfig, soc: number, storedWh: number): number {
  return Math.max(0, Math.min(100, soc + (100 * storedWh) / c.capacityWh));
}
