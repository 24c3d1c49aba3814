/**
 * ISO 15118-20 DC_WeldingDetectionReq → Res (sequence as libiso15118 and Josev run it): report the output
 * voltage; the EV's EVProcessing decides what follows (Ongoing → WeldingDetection again, Finished →
 * SessionStop).
 */
import type { iso20Dc } from "../../../codecs/index.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { rn } from "../envelope.js";
import { type Body, evProcessing, type iso20Common } from "./common.js";

function response(
  s: SeccState,
  code: iso20Common.responseCodeType,
): Body<iso20Dc.DC_WeldingDetectionResType> {
  return { ResponseCode: code, EVSEPresentVoltage: rn(s.readings.presentVoltageV) };
}

/** SECC handler of DC_WeldingDetectionReq. */
export const dcWeldingDetection: SeccHandler = {
  name: "WeldingDetection",
  res: "DC_WeldingDetectionRes",
  handle: (s, req: iso20Dc.DC_WeldingDetectionReqType) => ({
    state: s,
    body: response(s, "OK"),
    processing: evProcessing(req.EVProcessing),
  }),
  failed: (s, code) => response(s, code as iso20Common.responseCodeType),
};
