/**
 * DIN 70121 ContractAuthenticationReq (EIM: empty) / Res with EVSEProcessing (fields per EcoG-io/iso15118).
 */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { din } from "./common.js";

/** EVCC side of ContractAuthentication. */
export const contractAuthentication: EvccMessage = {
  name: "Authorization",
  req: "ContractAuthenticationReq",
  res: "ContractAuthenticationRes",
  build: (): din.ContractAuthenticationReqType => ({}),
  read: (r: din.ContractAuthenticationResType) => ({ code: r.ResponseCode, processing: r.EVSEProcessing }),
};
