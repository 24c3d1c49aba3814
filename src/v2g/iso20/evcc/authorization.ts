/** ISO 15118-20 AuthorizationReq (EIM) / Res (EVSEProcessing), digest §3.3. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of Authorization. */
export const authorization: EvccMessage = {
  name: "Authorization",
  req: "AuthorizationReq",
  res: "AuthorizationRes",
  build: (): Body<iso20Common.AuthorizationReqType> => ({
    SelectedAuthorizationService: "EIM",
    EIM_AReqAuthorizationMode: {},
  }),
  read: (r: iso20Common.AuthorizationResType) => ({ code: r.ResponseCode, processing: r.EVSEProcessing }),
};
