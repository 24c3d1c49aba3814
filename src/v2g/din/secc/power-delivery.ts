/**
 * DIN 70121 PowerDeliveryReq → PowerDeliveryRes (fields per EcoG-io/iso15118): ReadyToChargeState true starts
 * the charge loop, false stops it (ramp to 0 A, then WeldingDetection). DIN has no renegotiation.
 */
import { dcEvseStatus, onPowerDelivery } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import type { din } from "./common.js";

function response(s: SeccState, code: din.responseCodeType): din.PowerDeliveryResType {
  return { ResponseCode: code, DC_EVSEStatus: dcEvseStatus(s) as din.DC_EVSEStatusType };
}

/** SECC handler of PowerDeliveryReq. */
export const powerDelivery: SeccHandler = {
  name: "PowerDelivery",
  res: "PowerDeliveryRes",
  handle(s, req: din.PowerDeliveryReqType, _ctx, fx) {
    const st = onPowerDelivery(s, req.ReadyToChargeState ? "start" : "stop", false, fx);
    return { state: st, body: response(st, "OK") };
  },
  failed: (s, code) => response(s, code as din.responseCodeType),
};
