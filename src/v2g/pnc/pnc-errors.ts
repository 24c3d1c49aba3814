/**
 * Errors of the ISO 15118-2 certificate services (CertificateInstallation / CertificateUpdate), named after
 * what failed; `responseCode` is what an SECC answers for it (as the RISE-V2G and EcoG-io/iso15118 SECCs
 * answer).
 *
 * `CERT_FORMAT` a certificate is not the DER an X.509 v3 certificate is (RFC 5280 §4.1); `CERT_EXPIRED`
 * outside its validity (RFC 5280 §4.1.2.5); `CERT_ROLE` the subject DC is not the role's (OEM, CPS,
 * [V2G2-891]); `CERT_CHAIN` the chain validator refused it; `SIGNATURE` the XMLDSig does not verify;
 * `NO_CONTRACT` the CPS has no contract for the request; `ENVELOPE` the contract key does not decrypt or does
 * not match its certificate ([V2G2-823]); `FIELD` a field breaks its XSD rule.
 */
import { NacsError } from "../../errors.js";

export type PncErrorCode =
  | "CERT_FORMAT"
  | "CERT_EXPIRED"
  | "CERT_ROLE"
  | "CERT_CHAIN"
  | "SIGNATURE"
  | "NO_CONTRACT"
  | "ENVELOPE"
  | "FIELD";

/** The ISO-2 ResponseCode an SECC answers for each error (FAILED for what has no own code). */
export const PNC_RESPONSE_CODE: Readonly<Record<PncErrorCode, string>> = {
  CERT_FORMAT: "FAILED_CertChainError",
  CERT_EXPIRED: "FAILED_CertificateExpired",
  CERT_ROLE: "FAILED_CertChainError",
  CERT_CHAIN: "FAILED_CertChainError",
  SIGNATURE: "FAILED_SignatureError",
  NO_CONTRACT: "FAILED_NoCertificateAvailable",
  ENVELOPE: "FAILED",
  FIELD: "FAILED",
};

/** A certificate-service request or response that is refused; the message names the field and the rule. */
export class PncError extends NacsError<PncErrorCode> {
  override readonly name = "PncError";
  /** The ISO-2 ResponseCode for this error. */
  get responseCode(): string {
    return PNC_RESPONSE_CODE[this.code];
  }
}
