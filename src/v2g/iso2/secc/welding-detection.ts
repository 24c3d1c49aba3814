/**
 * ISO 15118-2 WeldingDetectionReq → Res (fields per EcoG-io/iso15118): report the output voltage while the EV
 * checks its contactors.
 */
import { pv } from "../../session/physical.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type iso2, isoDcStatus } from "./common.js";

function response(s: SeccState, code: iso2.responseCodeType): iso2.WeldingDetectionResType {
  return {
    ResponseCode: code,
    DC_EVSEStatus: isoDcStatus(s),
    EVSEPresentVoltage: pv(s.readings.presentVoltageV, "V"),
  };
}

/** SECC handler of WeldingDetectionReq. */
export const weldingDetection: SeccHandler = {
  name: "WeldingDetection",
  res: "WeldingDetectionRes",
  handle: (s, _req: iso2.WeldingDetectionReqType) => ({ state: s, body: response(s, "OK") }),
  failed: (s, code) => response(s, code as iso2.responseCodeType),
};
