/** The traction battery of the basic-AC simulator, on the one pack model of src/ev/dc/battery.ts. */
import { type DcBatteryConfig, dcBatteryConfig, packOcvV } from "../ev/dc/battery.js";

/**
 * BMS taper of an AC-charged car: full charge power up to {@link SIM_AC_TAPER_START_SOC} %, then the current
 * falls linearly to 10 % of it at 100 % (the constant-current / constant-voltage shape seen at the power an
 * on-board charger delivers). Design choice (D).
 */
export const SIM_AC_TAPER_START_SOC = 80;

/**
 * The traction battery of the basic-AC simulator: the one pack model (src/ev/dc/battery.ts), 400 V class,
 * its BMS limited to `maxChargeW` and its current tapering above {@link SIM_AC_TAPER_START_SOC} %.
 */
export function acCarPack(capacityKwh: number, maxChargeW: number): DcBatteryConfig {
  const base = dcBatteryConfig("400v", capacityKwh);
  const atTaperV = packOcvV(base, SIM_AC_TAPER_START_SOC);
  return dcBatteryConfig("400v", capacityKwh, {
    maxPowerW: maxChargeW,
    maxCurrentA: maxChargeW / atTaperV,
    taper: [
      [0, 1],
      [SIM_AC_TAPER_START_SOC, 1],
      [100, 0.1],
    ],
    bulkSocPercent: SIM_AC_TAPER_START_SOC,
  });
}
