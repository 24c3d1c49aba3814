/** ISO 15118-2 AuthorizationReq → Res (digest §5.2 row 4): EIM, Ongoing while the payment port is pending. */
import { onAuthorization } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { iso2 } from "./common.js";

/** SECC handler of AuthorizationReq. */
export const authorization: SeccHandler = {
  name: "Authorization",
  res: "AuthorizationRes",
  handle(s, _req: iso2.AuthorizationReqType) {
    const { processing, failed } = onAuthorization(s);
    const body: iso2.AuthorizationResType = {
      ResponseCode: failed ? "FAILED" : "OK",
      EVSEProcessing: processing,
    };
    return { state: s, body, processing };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso2.responseCodeType, EVSEProcessing: "Finished" }),
};
