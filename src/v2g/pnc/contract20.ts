/**
 * The EVCC's ISO 15118-20 contract: as the ISO-2 {@link Contract} of contract-store.ts (chain leaf first, the
 * eMAID from the leaf CN, validity), with a P-521 key and ecdsa-with-SHA512 certificates ([V2G20-2674]); a
 * P-256 contract only with `lab` (peers whose -20 PKI is P-256, see xmldsig20.ts). Platform-neutral.
 */
import { p256, p521 } from "@noble/curves/nist.js";
import { CertError, ISO20_CERT_PROFILE, ISO20_LAB_CERT_PROFILE, parseCertificateWith } from "./cert.js";
import type { Contract } from "./contract-store.js";

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
  const profile = opts.lab ? ISO20_LAB_CERT_PROFILE : ISO20_CERT_PROFILE;
  if (chain.length === 0 || chain.length > ISO20_MAX_SUB_CERTIFICATES + 1)
    throw new CertError(
      "CERT_PROFILE",
      `contract chain: ${chain.length} certificates, expected 1 to ${ISO20_MAX_SUB_CERTIFICATES + 1}`,
    );
  const leaf = parseCertificateWith(chain[0]!, profile);
  for (let i = 1; i < chain.length; i++) parseCertificateWith(chain[i]!, profile);
  const cn = leaf.subject.cn;
  if (!cn) throw new CertError("CERT_PROFILE", "contract leaf: no CN (the eMAID)");
  const curve = leaf.curve === "P-521" ? p521 : p256;
  let pub: Uint8Array;
  try {
    pub = curve.getPublicKey(privateKey, false);
  } catch (err) {
    throw new CertError(
      "CERT_PROFILE",
      `contract key: not a ${leaf.curve ?? "P-256"} scalar: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (pub.length !== leaf.publicKey.length || pub.some((b, i) => b !== leaf.publicKey[i]))
    throw new CertError("CERT_PROFILE", "contract key: does not match the contract leaf's public key");
  return {
    chain: [...chain],
    privateKey,
    emaid: cn.replaceAll("-", ""),
    notAfterMs: leaf.notAfter,
    notBeforeMs: leaf.notBefore,
  };
}
