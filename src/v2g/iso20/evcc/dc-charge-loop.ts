/**
 * ISO 15118-20 DC_ChargeLoopReq (DisplayParameters with the SOC, MeterInfoRequested, EVPresentVoltage and the
 * session's control mode: Scheduled → EVTargetCurrent/EVTargetVoltage; Dynamic → energy requests and limits,
 * the EVSE sets the power) / Res (present V/I, EVSEStatus, MeterInfo, EVSE limits), digest §3.3/§3.4.
 */
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { rn, rnum } from "../envelope.js";
import { type Body, departureTime, energyRequestWh, type iso20Dc, readEvseStatus } from "./common.js";

/** EVCC side of DC_ChargeLoop (neutral name CurrentDemand). */
export const dcChargeLoop: EvccMessage = {
  name: "CurrentDemand",
  req: "DC_ChargeLoopReq",
  res: "DC_ChargeLoopRes",
  build(s): Body<iso20Dc.DC_ChargeLoopReqType> {
    const r = s.readings;
    const base = {
      DisplayParameters: {
        PresentSOC: Math.max(0, Math.min(100, Math.round(r.socPercent))),
        TargetSOC: Math.round(Math.min(100, r.fullSocPercent)),
        ChargingComplete: r.socPercent >= r.fullSocPercent,
      },
      MeterInfoRequested: true,
      EVPresentVoltage: rn(r.batteryVoltageV),
    };
    if (evcc20(s).controlMode === "dynamic") {
      const wh = energyRequestWh(s);
      return {
        ...base,
        Dynamic_DC_CLReqControlMode: {
          ...departureTime(s),
          EVTargetEnergyRequest: rn(wh),
          EVMaximumEnergyRequest: rn(wh),
          EVMinimumEnergyRequest: rn(0),
          EVMaximumChargePower: rn(r.maxPowerW),
          EVMinimumChargePower: rn(0),
          EVMaximumChargeCurrent: rn(Math.min(r.maxCurrentA, r.targetCurrentA)),
          EVMaximumVoltage: rn(r.maxVoltageV),
          EVMinimumVoltage: rn(0),
        },
      };
    }
    return {
      ...base,
      Scheduled_DC_CLReqControlMode: {
        EVTargetCurrent: rn(r.targetCurrentA),
        EVTargetVoltage: rn(r.targetVoltageV),
        EVMaximumChargePower: rn(r.maxPowerW),
        EVMaximumChargeCurrent: rn(r.maxCurrentA),
        EVMaximumVoltage: rn(r.maxVoltageV),
      },
    };
  },
  read(r: iso20Dc.DC_ChargeLoopResType) {
    const m = r.Dynamic_DC_CLResControlMode ?? r.Scheduled_DC_CLResControlMode;
    return {
      code: r.ResponseCode,
      evse: {
        ...readEvseStatus(r.EVSEStatus),
        presentVoltageV: rnum(r.EVSEPresentVoltage),
        presentCurrentA: rnum(r.EVSEPresentCurrent),
        ...(r.MeterInfo && {
          meter: { id: r.MeterInfo.MeterID, readingWh: Number(r.MeterInfo.ChargedEnergyReadingWh) },
        }),
        ...(m?.EVSEMaximumChargeCurrent && { maxCurrentA: rnum(m.EVSEMaximumChargeCurrent) }),
        ...(m?.EVSEMaximumVoltage && { maxVoltageV: rnum(m.EVSEMaximumVoltage) }),
        ...(m?.EVSEMaximumChargePower && { maxPowerW: rnum(m.EVSEMaximumChargePower) }),
      },
    };
  },
};
