/**
 * ISO 15118-20 DC_PreChargeReq → Res: drive the output to EVTargetVoltage at the pre-charge current limit
 * (-20 gives the EV no target current; the ISO-2 2 A is used, unconfirmed for -20); the EV's EVProcessing
 * decides what may follow (Ongoing → PreCharge, Finished → PowerDelivery, [V2G20-2005]).
 */
import type { iso20Dc } from "../../../codecs/index.js";
import { PRECHARGE_CURRENT_LIMIT_A } from "../../session/dc-physics.js";
import { onPreCharge } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { rn, rnum } from "../envelope.js";
import { type Body, evProcessing, type iso20Common } from "./common.js";

function response(s: SeccState, code: iso20Common.responseCodeType): Body<iso20Dc.DC_PreChargeResType> {
  return { ResponseCode: code, EVSEPresentVoltage: rn(s.readings.presentVoltageV) };
}

/** SECC handler of DC_PreChargeReq. */
export const dcPreCharge: SeccHandler = {
  name: "PreCharge",
  res: "DC_PreChargeRes",
  handle(s, req: iso20Dc.DC_PreChargeReqType, _ctx, fx) {
    const st = onPreCharge(s, rnum(req.EVTargetVoltage), PRECHARGE_CURRENT_LIMIT_A, fx);
    return { state: st, body: response(st, "OK"), processing: evProcessing(req.EVProcessing) };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType),
};
