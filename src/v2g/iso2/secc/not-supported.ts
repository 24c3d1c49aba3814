/**
 * ISO 15118-2 Plug & Charge requests nacs does not serve until PnC lands: PaymentDetails,
 * CertificateInstallation, CertificateUpdate. They decode and get the "not supported" answer —
 * PaymentDetails: FAILED_PaymentSelectionInvalid (only ExternalPayment is offered), the certificate
 * services: FAILED_NoCertificateAvailable — with every mandatory field at a minimal schema-valid value.
 */
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds } from "../../session/secc-state.js";
import type { iso2 } from "./common.js";

const EMPTY = new Uint8Array(0);
/** Placeholder eMAID (the schema asks for 14–15 characters). */
const NO_EMAID = "ZZ000000000000";

function certRes(code: iso2.responseCodeType): iso2.CertificateInstallationResType {
  return {
    ResponseCode: code,
    SAProvisioningCertificateChain: { Certificate: EMPTY },
    ContractSignatureCertChain: { Certificate: EMPTY },
    ContractSignatureEncryptedPrivateKey: { Id: "id1", CONTENT: EMPTY },
    DHpublickey: { Id: "id2", CONTENT: EMPTY },
    eMAID: { Id: "id3", CONTENT: NO_EMAID },
  };
}

/** PaymentDetailsReq: Contract payment is not offered. */
export const paymentDetails: SeccHandler = {
  name: "PaymentDetails",
  res: "PaymentDetailsRes",
  handle: (s, _req: iso2.PaymentDetailsReqType, ctx) => ({
    state: s,
    body: {
      ResponseCode: "FAILED_PaymentSelectionInvalid",
      GenChallenge: new Uint8Array(16),
      EVSETimeStamp: epochSeconds(s, ctx.tMs),
    } satisfies iso2.PaymentDetailsResType,
  }),
  failed: (s, code, tMs) =>
    ({
      ResponseCode: code as iso2.responseCodeType,
      GenChallenge: new Uint8Array(16),
      EVSETimeStamp: epochSeconds(s, tMs),
    }) satisfies iso2.PaymentDetailsResType,
};

/** CertificateInstallationReq: no certificate service. */
export const certificateInstallation: SeccHandler = {
  name: "CertificateInstallation",
  res: "CertificateInstallationRes",
  handle: (s, _req: iso2.CertificateInstallationReqType) => ({
    state: s,
    body: certRes("FAILED_NoCertificateAvailable"),
  }),
  failed: (_s, code) => certRes(code as iso2.responseCodeType),
};

/** CertificateUpdateReq: no certificate service. */
export const certificateUpdate: SeccHandler = {
  name: "CertificateUpdate",
  res: "CertificateUpdateRes",
  handle: (s, _req: iso2.CertificateUpdateReqType) => ({
    state: s,
    body: certRes("FAILED_NoCertificateAvailable"),
  }),
  failed: (_s, code) => certRes(code as iso2.responseCodeType),
};
