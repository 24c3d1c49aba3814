/**
 * ISO 15118-2 Plug & Charge requests nacs does not serve yet: CertificateInstallation, CertificateUpdate.
 * They decode and get FAILED_NoCertificateAvailable with every mandatory field at a minimal schema-valid
 * value. (PaymentDetails is served by `payment-details.ts`.)
 */
import type { SeccHandler } from "../../session/secc-protocol.js";
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
