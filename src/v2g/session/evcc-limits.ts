/**
 * The EV's reading of the charger's declared limits (ChargeParameterDiscoveryRes: DIN SPEC 70121 §9.4.2.5,
 * ISO 15118-2 §8.4.3.8): before it closes S2 and asks for a CableCheck, the EV compares what the charger can
 * give with what its battery or on-board charger needs. Where the charger cannot charge it at all (its
 * maximum voltage below the battery's present voltage, an AC current below the on-board charger's minimum)
 * the EV stops with a named reason instead of timing out later in PreCharge; where the charger is merely
 * smaller than the EV, the EV charges within the charger's limits and says so. Pure code.
 */
import type { EvccState } from "./evcc-state.js";
import { AC_SUPPLY_TOLERANCE } from "./secc-logic.js";
import { isAcMode } from "./secc-state.js";

/** Prefix of the stop reason when the charger's declared limits cannot charge this EV. */
export const EV_STOP_CHARGER_LIMITS = "charger limits";

/** What the EV makes of the charger's declared limits. */
export type ChargerLimitsVerdict = { kind: "charge"; notes: string[] } | { kind: "refuse"; detail: string };

const fmt = (x: number) => (Math.round(x * 10) / 10).toString();

/** Compare the charger's declared limits (the EVCC's view after ChargeParameterDiscoveryRes) with the EV's needs. */
export function checkChargerLimits(s: EvccState): ChargerLimitsVerdict {
  const r = s.readings;
  const e = s.evse;
  const refuse = (why: string): ChargerLimitsVerdict => ({
    kind: "refuse",
    detail: `${EV_STOP_CHARGER_LIMITS}: ${why}`,
  });
  if (isAcMode(s.mode)) {
    if (e.acMaxCurrentA < r.acMinCurrentA)
      return refuse(
        `the charger offers ${fmt(e.acMaxCurrentA)} A, below the on-board charger's minimum ${fmt(r.acMinCurrentA)} A`,
      );
    if (e.acNominalVoltageV * (1 - AC_SUPPLY_TOLERANCE) > r.acMaxVoltageV)
      return refuse(
        `the charger's nominal ${fmt(e.acNominalVoltageV)} V is above the on-board charger's maximum ${fmt(r.acMaxVoltageV)} V`,
      );
    const notes =
      e.acMaxCurrentA < r.acMaxCurrentA
        ? [
            `charging within the charger's ${fmt(e.acMaxCurrentA)} A (the EV could take ${fmt(r.acMaxCurrentA)} A)`,
          ]
        : [];
    return { kind: "charge", notes };
  }
  if (e.maxVoltageV < r.batteryVoltageV)
    return refuse(
      `the charger's maximum ${fmt(e.maxVoltageV)} V is below the battery's ${fmt(r.batteryVoltageV)} V`,
    );
  if (e.minVoltageV > r.maxVoltageV)
    return refuse(
      `the charger's minimum ${fmt(e.minVoltageV)} V is above the EV's maximum ${fmt(r.maxVoltageV)} V`,
    );
  if (e.maxCurrentA <= 0 || e.maxPowerW <= 0)
    return refuse(`the charger declares ${fmt(e.maxCurrentA)} A / ${fmt(e.maxPowerW)} W`);
  const notes: string[] = [];
  if (e.maxCurrentA < r.maxCurrentA)
    notes.push(
      `charging within the charger's ${fmt(e.maxCurrentA)} A (the EV could take ${fmt(r.maxCurrentA)} A)`,
    );
  if (Number.isFinite(e.maxPowerW) && e.maxPowerW < r.maxPowerW)
    notes.push(`charging within the charger's ${fmt(e.maxPowerW / 1000)} kW`);
  return { kind: "charge", notes };
}

/**
 * The DC current the EV asks for: the BMS target, but never more than the charger declared (its maximum
 * current, and its maximum power at the present voltage). A charger that declared nothing yet limits nothing.
 */
export function requestedDcCurrentA(s: EvccState, bmsTargetA: number): number {
  const e = s.evse;
  let a = bmsTargetA;
  if (e.maxCurrentA > 0) a = Math.min(a, e.maxCurrentA);
  const v = Math.max(e.presentVoltageV, s.readings.batteryVoltageV, 1);
  if (e.maxPowerW > 0 && Number.isFinite(e.maxPowerW)) a = Math.min(a, e.maxPowerW / v);
  return a;
}
