/**
 * ISO 15118-2 CertificateInstallationReq → Res (pnc digest §3.1 row 4, §4.3): the request signature with
 * `OEMProvisioningCert` (FAILED_SignatureError), that certificate valid (FAILED_CertificateExpired) with
 * DC=OEM (FAILED_CertChainError), then the configured CPS answers with a contract (OK, signed by the CPS
 * leaf) or FAILED_NoCertificateAvailable. Without a CPS: FAILED_NoCertificateAvailable.
 */
import { checkInstallationReq } from "../../pnc/cert-requests.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds } from "../../session/secc-state.js";
import { certOutcome, failedCertRes, requestMessage } from "./cert-response.js";
import type { iso2 } from "./common.js";

/** SECC handler of CertificateInstallationReq. */
export const certificateInstallation: SeccHandler = {
  name: "CertificateInstallation",
  res: "CertificateInstallationRes",
  handle: (s, req: iso2.CertificateInstallationReqType, ctx) =>
    certOutcome(s, "CertificateInstallationReq", () => {
      const nowS = Number(epochSeconds(s, ctx.tMs));
      checkInstallationReq(
        requestMessage(ctx.message, "CertificateInstallationReq"),
        nowS,
        s.cfg.validateOemChain,
      );
      const a = s.cfg.cps!.install(req);
      return { body: a.body, signature: a.signature, emaid: a.contract.emaid };
    }),
  failed: (_s, code) => failedCertRes(code as iso2.responseCodeType),
};
