/**
 * The EV's ISO 15118-20 AC figures (AC_ChargeParameterDiscovery / AC_ChargeLoop): -20 AC speaks in active
 * power, the on-board charger in current — they meet at the supply's nominal voltage (ServiceDetailRes
 * EVSENominalVoltage). Sign convention: negative power / current = discharge (energy out of the EV, as
 * EcoG-io/iso15118 and the dSPACE AC BPT capture use it); limits are positive magnitudes.
 */
import type { EvccIso20, EvccState } from "./evcc-state.js";
import { isBptService } from "./iso20-session.js";

/**
 * Nominal voltage assumed when the EVSE declared none (V): 240 V split phase, the North American J3400 AC
 * supply — a design choice, used only if ServiceDetailRes lacks EVSENominalVoltage.
 */
export const ISO20_AC_DEFAULT_NOMINAL_V = 240;

/** The supply's nominal voltage (V). */
export function acNominalV(s: EvccState): number {
  return s.evse.acNominalVoltageV > 0 ? s.evse.acNominalVoltageV : ISO20_AC_DEFAULT_NOMINAL_V;
}

/** The most the on-board charger takes (W): its maximum current at the nominal voltage. */
export function evAcMaxChargeW(s: EvccState): number {
  return s.readings.acMaxCurrentA * acNominalV(s);
}

/** The most the EV gives back (W, magnitude): its discharge limit, within the on-board charger's rating. */
export function evAcMaxDischargeW(s: EvccState): number {
  return Math.min(Math.abs(s.readings.maxDischargePowerW), evAcMaxChargeW(s));
}

/** The EV wants to discharge in this session: a BPT service selected and the driver asked for it. */
export function wantsDischarge(s: EvccState, i: EvccIso20): boolean {
  return isBptService(i.serviceId) && s.cfg.bidirectional && s.readings.dischargeRequested;
}

/**
 * The current the on-board charger is told to draw (A, negative = feed back): the EVSE's EVSETargetActivePower
 * of the last AC_ChargeLoopRes (before the first: its maximum from AC_ChargeParameterDiscoveryRes) in the
 * chosen direction, within the EV's own limits, over the nominal voltage. A target of the other sign is 0.
 */
export function acChargerCurrentA(s: EvccState, i: EvccIso20): number {
  const v = acNominalV(s);
  const t = s.evse.acTargetPowerW;
  if (i.bptChannel === "Discharge") {
    const evse = t === null ? s.evse.acMaxDischargePowerW : Math.max(0, -t);
    return -Math.min(evse, evAcMaxDischargeW(s)) / v;
  }
  const evse = t === null ? s.evse.acMaxChargePowerW : Math.max(0, t);
  return Math.min(evse, evAcMaxChargeW(s)) / v;
}

/** Energy (Wh) from the present SOC to `socPercent` (negative below it: energy the EV can give). */
export function energyToSocWh(s: EvccState, socPercent: number): number {
  const r = s.readings;
  return ((socPercent - r.socPercent) / 100) * r.capacityWh;
}

/**
 * Energy left to give (Wh) below which a discharging EV is done: the 1 Wh resolution of the meter readings
 * (MeterInfo *EnergyReadingWh are whole Wh) — a design choice, so an EVSE that sets the power from the energy
 * requests (Dynamic) never leaves the EV a fraction of a Wh short of its minimum SOC.
 */
export const ISO20_DISCHARGE_DONE_WH = 1;

/** A discharging EV has reached its minimum SOC (within {@link ISO20_DISCHARGE_DONE_WH}). */
export function dischargeDone(socPercent: number, minSocPercent: number, capacityWh: number): boolean {
  return ((socPercent - minSocPercent) / 100) * capacityWh < ISO20_DISCHARGE_DONE_WH;
}
