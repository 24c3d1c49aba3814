/**
 * The EVCC's ISO 15118-20 contract: as the ISO-2 {@link Contract} of contract-store.ts (chain leaf first, the
 * eMAID from the leaf CN, validity), with a P-521 key and ecdsa-with-SHA512 certificates ([V2G20-2674]); a
 * P-256 contract only with `lab` (peers whose -20 PKI is P-256, see xmldsig20.ts). Platform-neutral.
 */
import { ISO20_CERT_PROFILE, ISO20_LAB_CERT_PROFILE } from "./cert.js";
import { type Contract, contractOf } from "./contract-store.js";

/** ContractCertificateChain/SubCertificates holds at most 3 certificates (XSD SubCertificatesType). */
export const ISO20_MAX_SUB_CERTIFICATES = 3;

/**
 * A -20 contract from its chain (leaf first) and the leaf's private scalar (66 B for P-521). Throws
 * {@link CertError} when a certificate is outside the -20 profile, the leaf has no CN, or the key is not the
 * leaf's.
 */
export function createContract20(
  chain: readonly Uint8Array[],
  privateKey: Uint8Array,
  opts: { lab?: boolean } = {},
): Contract {
  return contractOf(chain, privateKey, {
    profile: opts.lab ? ISO20_LAB_CERT_PROFILE : ISO20_CERT_PROFILE,
    maxChain: ISO20_MAX_SUB_CERTIFICATES + 1,
  });
}
