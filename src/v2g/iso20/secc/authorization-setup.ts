/**
 * ISO 15118-20 AuthorizationSetupReq → Res (ISO 15118-20 digest §3.3): EIM only (PnC is not offered, and never
 * on plain TCP, digest §2.2), no certificate installation service, the empty EIM_ASResAuthorizationMode.
 */
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { Body, iso20Common } from "./common.js";

function response(code: iso20Common.responseCodeType): Body<iso20Common.AuthorizationSetupResType> {
  return {
    ResponseCode: code,
    AuthorizationServices: ["EIM"],
    CertificateInstallationService: false,
    EIM_ASResAuthorizationMode: {},
  };
}

/** SECC handler of AuthorizationSetupReq. */
export const authorizationSetup: SeccHandler = {
  name: "AuthorizationSetup",
  res: "AuthorizationSetupRes",
  handle: (s, _req: iso20Common.AuthorizationSetupReqType) => ({ state: s, body: response("OK") }),
  failed: (_s, code) => response(code as iso20Common.responseCodeType),
};
