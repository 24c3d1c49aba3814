/** ISO 15118-2 AuthorizationReq (EIM: no Id / GenChallenge) / Res with EVSEProcessing, digest §5.2 row 4. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { iso2 } from "./common.js";

/** EVCC side of Authorization. */
export const authorization: EvccMessage = {
  name: "Authorization",
  req: "AuthorizationReq",
  res: "AuthorizationRes",
  build: (): iso2.AuthorizationReqType => ({}),
  read: (r: iso2.AuthorizationResType) => ({ code: r.ResponseCode, processing: r.EVSEProcessing }),
};
