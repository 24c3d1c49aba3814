/**
 * DIN 70121 PreChargeReq → PreChargeRes (fields per EcoG-io/iso15118): regulate to EVTargetVoltage at ≤ 2 A
 * (EVerest EvseManager), report present voltage.
 */
import { num, pv } from "../../session/physical.js";
import { dcEvseStatus, onPreCharge } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import type { din } from "./common.js";

function response(s: SeccState, code: din.responseCodeType): din.PreChargeResType {
  return {
    ResponseCode: code,
    DC_EVSEStatus: dcEvseStatus(s) as din.DC_EVSEStatusType,
    EVSEPresentVoltage: pv(s.readings.presentVoltageV, "V"),
  };
}

/** SECC handler of PreChargeReq. */
export const preCharge: SeccHandler = {
  name: "PreCharge",
  res: "PreChargeRes",
  handle(s, req: din.PreChargeReqType, _ctx, fx) {
    const st = onPreCharge(s, num(req.EVTargetVoltage), num(req.EVTargetCurrent), fx);
    return { state: st, body: response(st, "OK") };
  },
  failed: (s, code) => response(s, code as din.responseCodeType),
};
