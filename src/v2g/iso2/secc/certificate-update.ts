/**
 * ISO 15118-2 CertificateUpdateReq → Res (codes as the RISE-V2G SECC answers): the request signature with the
 * old contract certificate of its `ContractSignatureCertChain` (FAILED_SignatureError), that certificate
 * valid (FAILED_CertificateExpired), its CN the request's eMAID and its chain accepted by the configured
 * validator (FAILED_CertChainError); then the CPS answers with a new contract for that eMAID, its key
 * encrypted for the old contract key ([V2G2-821]), or FAILED_NoCertificateAvailable.
 */
import { checkUpdateReq } from "../../pnc/cert-requests.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds } from "../../session/secc-state.js";
import { certOutcome, failedCertRes, requestMessage } from "./cert-response.js";
import type { iso2 } from "./common.js";

/** SECC handler of CertificateUpdateReq. */
export const certificateUpdate: SeccHandler = {
  name: "CertificateUpdate",
  res: "CertificateUpdateRes",
  handle: (s, req: iso2.CertificateUpdateReqType, ctx) =>
    certOutcome(
      s,
      "CertificateUpdateReq",
      () =>
        checkUpdateReq(
          requestMessage(ctx.message, "CertificateUpdateReq"),
          Number(epochSeconds(s, ctx.tMs)),
          s.cfg.validateContractChain,
        ),
      () => s.cfg.cps!.update(req),
    ),
  failed: (_s, code) => failedCertRes(code as iso2.responseCodeType),
};
