/**
 * ISO 15118-20 DC_WeldingDetectionReq (EVProcessing Finished once the output is below 60 V or the request budget
 * is spent, else Ongoing) / Res (present voltage).
 */
import { SAFE_VOLTAGE_V } from "../../session/dc-physics.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { EVCC_WELDING_MAX_REQUESTS } from "../../session/evcc-state.js";
import { rnum } from "../envelope.js";
import type { Body, iso20Dc } from "./common.js";

/** EVCC side of DC_WeldingDetection. */
export const dcWeldingDetection: EvccMessage = {
  name: "WeldingDetection",
  req: "DC_WeldingDetectionReq",
  res: "DC_WeldingDetectionRes",
  build: (s): Body<iso20Dc.DC_WeldingDetectionReqType> => ({
    EVProcessing:
      s.weldingRequests > 0 &&
      (s.evse.presentVoltageV < SAFE_VOLTAGE_V || s.weldingRequests + 1 >= EVCC_WELDING_MAX_REQUESTS)
        ? "Finished"
        : "Ongoing",
  }),
  read: (r: iso20Dc.DC_WeldingDetectionResType) => ({
    code: r.ResponseCode,
    evse: { presentVoltageV: rnum(r.EVSEPresentVoltage) },
  }),
};
