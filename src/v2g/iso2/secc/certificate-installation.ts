/**
 * ISO 15118-2 CertificateInstallationReq → Res (checks as the RISE-V2G and EcoG-io/iso15118 SECCs apply
 * them): the request signature with `OEMProvisioningCert` (FAILED_SignatureError), that certificate valid
 * (FAILED_CertificateExpired) with DC=OEM (FAILED_CertChainError), then the configured CPS answers with a
 * contract (OK, signed by the CPS leaf) or FAILED_NoCertificateAvailable — or, with the CPS behind the
 * backend, the request is forwarded to it (the SECC core relays the answer). Without a CPS:
 * FAILED_NoCertificateAvailable.
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
    certOutcome(
      s,
      "CertificateInstallationReq",
      () =>
        checkInstallationReq(
          requestMessage(ctx.message, "CertificateInstallationReq"),
          Number(epochSeconds(s, ctx.tMs)),
          s.cfg.validateOemChain,
        ),
      () => s.cfg.cps!.install(req),
    ),
  failed: (_s, code) => failedCertRes(code as iso2.responseCodeType),
};
