/**
 * DIN 70121 CurrentDemandReq (BMS targets and limits) / Res (present V/I, EVSE limits), fields per
 * EcoG-io/iso15118.
 */
import { type EvccMessage, readDcStatus } from "../../session/evcc-protocol.js";
import { num, pv } from "../../session/physical.js";
import { type din, dinEvStatus } from "./common.js";

/** EVCC side of CurrentDemand. */
export const currentDemand: EvccMessage = {
  name: "CurrentDemand",
  req: "CurrentDemandReq",
  res: "CurrentDemandRes",
  build(s): din.CurrentDemandReqType {
    const r = s.readings;
    const remainingS =
      r.targetCurrentA > 0
        ? (((r.fullSocPercent - r.socPercent) / 100) * r.capacityWh * 3600) /
          (r.targetCurrentA * Math.max(r.batteryVoltageV, 1))
        : 0;
    return {
      DC_EVStatus: dinEvStatus(s),
      EVTargetCurrent: pv(Math.round(r.targetCurrentA * 10) / 10, "A"),
      EVMaximumVoltageLimit: pv(r.maxVoltageV, "V"),
      EVMaximumCurrentLimit: pv(r.maxCurrentA, "A"),
      EVMaximumPowerLimit: pv(r.maxPowerW, "W"),
      ...(!s.cfg.dinMandatoryOnly && { BulkChargingComplete: r.socPercent >= r.bulkSocPercent }),
      ChargingComplete: r.socPercent >= r.fullSocPercent,
      ...(!s.cfg.dinMandatoryOnly && {
        RemainingTimeToFullSoC: pv(Math.max(0, Math.min(32767, Math.round(remainingS))), "s"),
      }),
      EVTargetVoltage: pv(Math.round(r.targetVoltageV * 10) / 10, "V"),
    };
  },
  read: (r: din.CurrentDemandResType) => ({
    code: r.ResponseCode,
    evse: {
      presentVoltageV: num(r.EVSEPresentVoltage),
      presentCurrentA: num(r.EVSEPresentCurrent),
      ...readDcStatus(r.DC_EVSEStatus),
      ...(r.EVSEMaximumCurrentLimit && { maxCurrentA: num(r.EVSEMaximumCurrentLimit) }),
      ...(r.EVSEMaximumVoltageLimit && { maxVoltageV: num(r.EVSEMaximumVoltageLimit) }),
      ...(r.EVSEMaximumPowerLimit && { maxPowerW: num(r.EVSEMaximumPowerLimit) }),
    },
  }),
};
