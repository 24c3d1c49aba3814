/**
 * DIN 70121 ContractAuthenticationReq → Res (fields per EcoG-io/iso15118): EIM, Ongoing while authorisation
 * is pending.
 */
import { onAuthorization } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { din } from "./common.js";

/** SECC handler of ContractAuthenticationReq. */
export const contractAuthentication: SeccHandler = {
  name: "Authorization",
  res: "ContractAuthenticationRes",
  handle(s, _req: din.ContractAuthenticationReqType) {
    const { processing, failed } = onAuthorization(s);
    const body: din.ContractAuthenticationResType = {
      ResponseCode: failed ? "FAILED" : "OK",
      EVSEProcessing: processing,
    };
    return {
      state: s,
      body,
      processing,
      ...(failed && {
        end: { reason: "authorization-rejected" as const, detail: "ContractAuthenticationRes FAILED" },
      }),
    };
  },
  failed: (_s, code) => ({ ResponseCode: code as din.responseCodeType, EVSEProcessing: "Finished" }),
};
