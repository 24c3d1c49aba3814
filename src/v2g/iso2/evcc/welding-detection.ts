/** ISO 15118-2 WeldingDetectionReq / Res (EVSEPresentVoltage), fields per EcoG-io/iso15118. */
import { type EvccMessage, readDcStatus } from "../../session/evcc-protocol.js";
import { num } from "../../session/physical.js";
import { type iso2, isoEvStatus } from "./common.js";

/** EVCC side of WeldingDetection. */
export const weldingDetection: EvccMessage = {
  name: "WeldingDetection",
  req: "WeldingDetectionReq",
  res: "WeldingDetectionRes",
  build: (s): iso2.WeldingDetectionReqType => ({ DC_EVStatus: isoEvStatus(s) }),
  read: (r: iso2.WeldingDetectionResType) => ({
    code: r.ResponseCode,
    evse: { presentVoltageV: num(r.EVSEPresentVoltage), ...readDcStatus(r.DC_EVSEStatus) },
  }),
};
