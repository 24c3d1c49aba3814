/**
 * ISO 15118-2 PreChargeReq → PreChargeRes (fields per EcoG-io/iso15118): regulate to EVTargetVoltage at ≤ 2 A
 * (EVerest EvseManager), report present voltage.
 */
import { num, pv } from "../../session/physical.js";
import { onPreCharge } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type iso2, isoDcStatus } from "./common.js";

function response(s: SeccState, code: iso2.responseCodeType): iso2.PreChargeResType {
  return {
    ResponseCode: code,
    DC_EVSEStatus: isoDcStatus(s),
    EVSEPresentVoltage: pv(s.readings.presentVoltageV, "V"),
  };
}

/** SECC handler of PreChargeReq. */
export const preCharge: SeccHandler = {
  name: "PreCharge",
  res: "PreChargeRes",
  handle(s, req: iso2.PreChargeReqType, _ctx, fx) {
    const st = onPreCharge(s, num(req.EVTargetVoltage), num(req.EVTargetCurrent), fx);
    return { state: st, body: response(st, "OK") };
  },
  failed: (s, code) => response(s, code as iso2.responseCodeType),
};
