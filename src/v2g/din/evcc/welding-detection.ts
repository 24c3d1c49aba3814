/**
 * DIN 70121 WeldingDetectionReq / Res (EVSEPresentVoltage; unlock below 60 V, EVerest EvseManager's safe
 * voltage).
 */
import { type EvccMessage, readDcStatus } from "../../session/evcc-protocol.js";
import { num } from "../../session/physical.js";
import { type din, dinEvStatus } from "./common.js";

/** EVCC side of WeldingDetection. */
export const weldingDetection: EvccMessage = {
  name: "WeldingDetection",
  req: "WeldingDetectionReq",
  res: "WeldingDetectionRes",
  build: (s): din.WeldingDetectionReqType => ({ DC_EVStatus: dinEvStatus(s) }),
  read: (r: din.WeldingDetectionResType) => ({
    code: r.ResponseCode,
    evse: { presentVoltageV: num(r.EVSEPresentVoltage), ...readDcStatus(r.DC_EVSEStatus) },
  }),
};
