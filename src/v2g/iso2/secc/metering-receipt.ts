/**
 * ISO 15118-2 MeteringReceiptReq → MeteringReceiptRes (digest §5.3): the receipt's SessionID must be the
 * session's (FAILED_UnknownSession otherwise); the EIM receipt carries no signature to check.
 */
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { sameId } from "../../session/session-id.js";
import { type iso2, isoAcStatus, isoDcStatus, sessionIsAc } from "./common.js";

function response(s: SeccState, code: iso2.responseCodeType): iso2.MeteringReceiptResType {
  return sessionIsAc(s)
    ? { ResponseCode: code, AC_EVSEStatus: isoAcStatus(s) }
    : { ResponseCode: code, DC_EVSEStatus: isoDcStatus(s) };
}

/** SECC handler of MeteringReceiptReq. */
export const meteringReceipt: SeccHandler = {
  name: "MeteringReceipt",
  res: "MeteringReceiptRes",
  handle(s, req: iso2.MeteringReceiptReqType) {
    return {
      state: s,
      body: response(s, sameId(req.SessionID, s.sessionId) ? "OK" : "FAILED_UnknownSession"),
    };
  },
  failed: (s, code) => response(s, code as iso2.responseCodeType),
};
