/**
 * ISO 15118-20 DC_PreChargeReq (target = battery voltage; EVProcessing Ongoing until the EVSE voltage matched,
 * then one request with Finished, [V2G20-2005]/[V2G20-2006]) / Res (present voltage).
 */
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { rn, rnum } from "../envelope.js";
import type { Body, iso20Dc } from "./common.js";

/** EVCC side of DC_PreCharge. */
export const dcPreCharge: EvccMessage = {
  name: "PreCharge",
  req: "DC_PreChargeReq",
  res: "DC_PreChargeRes",
  build: (s): Body<iso20Dc.DC_PreChargeReqType> => ({
    EVProcessing: evcc20(s).preChargeFinished ? "Finished" : "Ongoing",
    EVPresentVoltage: rn(s.readings.batteryVoltageV),
    EVTargetVoltage: rn(s.readings.batteryVoltageV),
  }),
  read: (r: iso20Dc.DC_PreChargeResType) => ({
    code: r.ResponseCode,
    evse: { presentVoltageV: rnum(r.EVSEPresentVoltage) },
  }),
};
