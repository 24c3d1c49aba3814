/**
 * ISO 15118-20 AuthorizationReq → Res (ISO 15118-20 digest §3.3): the selected service must be EIM (else
 * WARNING_AuthorizationSelectionInvalid, [V2G20-2209]); Ongoing while the payment port is pending; a rejection is
 * Finished + WARNING_EIMAuthorizationFailure ([V2G20-2219]/[V2G20-2230]), after which the EV may ask again.
 */
import { onAuthorization } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { type Body, type iso20Common, with20 } from "./common.js";

/** SECC handler of AuthorizationReq. */
export const authorization: SeccHandler = {
  name: "Authorization",
  res: "AuthorizationRes",
  handle(s, req: iso20Common.AuthorizationReqType) {
    if (req.SelectedAuthorizationService !== "EIM") {
      const body: Body<iso20Common.AuthorizationResType> = {
        ResponseCode: "WARNING_AuthorizationSelectionInvalid",
        EVSEProcessing: "Finished",
      };
      return { state: s, body, processing: "Finished" };
    }
    const { processing, failed } = onAuthorization(s);
    const body: Body<iso20Common.AuthorizationResType> = {
      ResponseCode: failed ? "WARNING_EIMAuthorizationFailure" : "OK",
      EVSEProcessing: processing,
    };
    const ok = processing === "Finished" && !failed;
    return { state: ok ? with20(s, { authorized: true }) : s, body, processing };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso20Common.responseCodeType, EVSEProcessing: "Finished" }),
};
