/**
 * DIN 70121 PreChargeReq (target = battery voltage, small current) / Res (present voltage), fields per
 * EcoG-io/iso15118.
 */
import { type EvccMessage, readDcStatus } from "../../session/evcc-protocol.js";
import { EVCC_PRECHARGE_CURRENT_A } from "../../session/evcc-state.js";
import { num, pv } from "../../session/physical.js";
import { type din, dinEvStatus } from "./common.js";

/** EVCC side of PreCharge. */
export const preCharge: EvccMessage = {
  name: "PreCharge",
  req: "PreChargeReq",
  res: "PreChargeRes",
  build: (s): din.PreChargeReqType => ({
    DC_EVStatus: dinEvStatus(s),
    EVTargetVoltage: pv(Math.round(s.readings.batteryVoltageV * 10) / 10, "V"),
    EVTargetCurrent: pv(EVCC_PRECHARGE_CURRENT_A, "A"),
  }),
  read: (r: din.PreChargeResType) => ({
    code: r.ResponseCode,
    evse: { presentVoltageV: num(r.EVSEPresentVoltage), ...readDcStatus(r.DC_EVSEStatus) },
  }),
};
