/**
 * ISO 15118-2 PowerDeliveryReq → PowerDeliveryRes (fields per EcoG-io/iso15118): ChargeProgress Start /
 * Stop / Renegotiate; the SAScheduleTupleID must be the offered one (FAILED_TariffSelectionInvalid). AC: the
 * contactors close once CP is C/D (≤ 3 s, [V2G2-860]) and open on Stop.
 */
import { onPowerDelivery } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type iso2, isoAcStatus, isoDcStatus, sessionIsAc } from "./common.js";

function response(s: SeccState, code: iso2.responseCodeType): iso2.PowerDeliveryResType {
  return sessionIsAc(s)
    ? { ResponseCode: code, AC_EVSEStatus: isoAcStatus(s) }
    : { ResponseCode: code, DC_EVSEStatus: isoDcStatus(s) };
}

const PROGRESS = { Start: "start", Stop: "stop", Renegotiate: "renegotiate" } as const;

/** SECC handler of PowerDeliveryReq. */
export const powerDelivery: SeccHandler = {
  name: "PowerDelivery",
  res: "PowerDeliveryRes",
  handle(s, req: iso2.PowerDeliveryReqType, _ctx, fx) {
    if (req.ChargeProgress !== "Stop" && req.SAScheduleTupleID !== s.cfg.saScheduleTupleId) {
      return { state: s, body: response(s, "FAILED_TariffSelectionInvalid") };
    }
    if (req.ChargeProgress === "Renegotiate" && s.powerDelivery !== "start") {
      return { state: s, body: response(s, "FAILED") };
    }
    const st = onPowerDelivery(s, PROGRESS[req.ChargeProgress], sessionIsAc(s), fx);
    return { state: st, body: response(st, "OK") };
  },
  failed: (s, code) => response(s, code as iso2.responseCodeType),
};
