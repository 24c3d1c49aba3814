/**
 * ISO 15118-20 AuthorizationSetupReq (empty) / Res (AuthorizationServices; with PnC the GenChallenge of
 * PnC_ASResAuthorizationMode).
 */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of AuthorizationSetup. */
export const authorizationSetup: EvccMessage = {
  name: "AuthorizationSetup",
  req: "AuthorizationSetupReq",
  res: "AuthorizationSetupRes",
  build: (): Body<iso20Common.AuthorizationSetupReqType> => ({}),
  read: (r: iso20Common.AuthorizationSetupResType) => ({
    code: r.ResponseCode,
    evse: { authServices: [...r.AuthorizationServices] },
    ...(r.PnC_ASResAuthorizationMode && { genChallenge: r.PnC_ASResAuthorizationMode.GenChallenge }),
  }),
};
