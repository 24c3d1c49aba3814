/**
 * DIN 70121 WeldingDetectionReq → Res (fields per EcoG-io/iso15118): report the output voltage while the EV
 * checks its contactors.
 */
import { pv } from "../../session/physical.js";
import { dcEvseStatus } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import type { din } from "./common.js";

function response(s: SeccState, code: din.responseCodeType): din.WeldingDetectionResType {
  return {
    ResponseCode: code,
    DC_EVSEStatus: dcEvseStatus(s) as din.DC_EVSEStatusType,
    EVSEPresentVoltage: pv(s.readings.presentVoltageV, "V"),
  };
}

/** SECC handler of WeldingDetectionReq. */
export const weldingDetection: SeccHandler = {
  name: "WeldingDetection",
  res: "WeldingDetectionRes",
  handle: (s, _req: din.WeldingDetectionReqType) => ({ state: s, body: response(s, "OK") }),
  failed: (s, code) => response(s, code as din.responseCodeType),
};
