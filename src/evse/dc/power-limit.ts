/**
 * A power limit set at run time by the operator or the backend (e.g. OCPP 2.0.1 SetChargingProfile with a
 * ChargingStationMaxProfile, or a site load manager): the charger delivers at most this power in either
 * direction, whatever its module is rated for. The SECC announces the lower figure from then on —
 * EVSEMaximumPowerLimit in DIN 70121 / ISO 15118-2 CurrentDemandRes, EVSEMaximumChargePower in ISO 15118-20
 * DC_ChargeLoopRes, and EVSEMaxCurrent = P / U in ISO 15118-2 AC — and the output set point is capped by it.
 * Pure code.
 */
import { defaultSeccReadings } from "../../v2g/index.js";
import type { PowerModuleConfig } from "./power-module.js";
import type { EvseDcState } from "./state.js";
import type { EvseDcEffect } from "./types.js";

/** The module's configuration with its power ratings capped by the run-time limit. */
export function limitedModule(s: EvseDcState): PowerModuleConfig {
  const m = s.cfg.module;
  const w = s.powerLimitW;
  if (w === null) return m;
  return { ...m, maxPowerW: Math.min(m.maxPowerW, w), maxDischargePowerW: Math.min(m.maxDischargePowerW, w) };
}

/**
 * Set (a number of W, > 0) or clear (null) the run-time power limit; the SECC's limits follow at once, and
 * a running output is re-capped at the next set point.
 */
export function setPowerLimit(s0: EvseDcState, maxPowerW: number | null, fx: EvseDcEffect[]): EvseDcState {
  if (maxPowerW !== null && !(Number.isFinite(maxPowerW) && maxPowerW > 0)) {
    fx.push({ kind: "log", level: "warn", msg: `power limit ${maxPowerW} W refused: must be a number > 0` });
    return s0;
  }
  const s: EvseDcState = { ...s0, powerLimitW: maxPowerW };
  const m = limitedModule(s);
  const r = s.secc.readings;
  const acRatedDischargeW = (s.cfg.secc.readings ?? defaultSeccReadings()).ac.maxDischargePowerW;
  const acMaxA =
    maxPowerW === null
      ? s.cfg.ac.maxCurrentA
      : Math.min(s.cfg.ac.maxCurrentA, maxPowerW / Math.max(s.cfg.ac.nominalVoltageV, 1));
  const readings = {
    ...r,
    dc: { ...r.dc, maxPowerW: m.maxPowerW, maxDischargePowerW: m.maxDischargePowerW },
    ac: {
      ...r.ac,
      maxCurrentA: acMaxA,
      maxDischargePowerW: maxPowerW === null ? acRatedDischargeW : Math.min(acRatedDischargeW, maxPowerW),
    },
  };
  fx.push({
    kind: "log",
    level: "info",
    msg:
      maxPowerW === null
        ? `power limit cleared: ${m.maxPowerW / 1000} kW (the module's rating)`
        : `power limit ${maxPowerW / 1000} kW: announcing ${m.maxPowerW / 1000} kW`,
  });
  return { ...s, secc: { ...s.secc, readings } };
}
