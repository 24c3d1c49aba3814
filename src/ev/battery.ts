/**
 * Traction battery model for the simulator: capacity, state of charge and a charge-power taper.
 * Taper (our model, status D): the battery accepts its full rated charge power up to
 * {@link BATTERY_TAPER_START_SOC} %, then linearly less, down to {@link BATTERY_TAPER_END_FRACTION} of the
 * rating at 100 % — the usual constant-current / constant-voltage shape seen as power over SOC.
 * The battery itself is lossless here: charger losses are in the OBC model (obc.ts).
 */

/** SOC (%) where the charge-power taper begins. Design choice (D). */
export const BATTERY_TAPER_START_SOC = 80;
/** Fraction of the rated charge power still accepted at 100 % SOC. Design choice (D). */
export const BATTERY_TAPER_END_FRACTION = 0.1;

/** Battery parameters. */
export interface BatteryConfig {
  /** Usable capacity (kWh). */
  capacityKwh: number;
  /** Rated charge power at low SOC (W, DC side). */
  maxChargeW: number;
}

/** Battery state. */
export interface BatteryState {
  readonly cfg: BatteryConfig;
  /** State of charge in percent (0–100). */
  readonly soc: number;
}

/** A battery at `soc` percent. */
export function createBattery(cfg: BatteryConfig, soc: number): BatteryState {
  return { cfg, soc: Math.min(100, Math.max(0, soc)) };
}

/** Taper factor (0–1) of the rated charge power at `soc` percent. */
export function taperFactor(soc: number): number {
  if (soc <= BATTERY_TAPER_START_SOC) return 1;
  if (soc >= 100) return 0;
  const x = (soc - BATTERY_TAPER_START_SOC) / (100 - BATTERY_TAPER_START_SOC);
  return 1 - x * (1 - BATTERY_TAPER_END_FRACTION);
}

/** Highest DC charge power (W) the battery accepts now. */
export function maxChargePowerW(b: BatteryState): number {
  return b.cfg.maxChargeW * taperFactor(b.soc);
}

/** Add `energyWh` (DC side) to the battery; SOC is capped at 100 %. */
export function chargeBattery(b: BatteryState, energyWh: number): BatteryState {
  const soc = b.soc + (energyWh / (b.cfg.capacityKwh * 1000)) * 100;
  return { ...b, soc: Math.min(100, soc) };
}

/** Energy (Wh) needed to go from `fromSoc` to `toSoc` percent. */
export function energyBetweenWh(cfg: BatteryConfig, fromSoc: number, toSoc: number): number {
  return (cfg.capacityKwh * 1000 * (toSoc - fromSoc)) / 100;
}
