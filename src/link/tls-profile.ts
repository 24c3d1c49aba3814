/**
 * The TLS profiles of the V2G transport as Node secure-context options: ISO 15118-2 (TLS 1.2,
 * ECDHE-ECDSA-AES128-SHA256 on secp256r1, ECDSA-SHA256; see tls.ts on the static-ECDH suite) and ISO 15118-20
 * (TLS 1.3, tls13.ts), and which OpenSSL errors are trust failures.
 */
import type { TlsClientConfig } from "./tls-config.js";
import {
  ISO15118_20_TLS_CIPHERS,
  ISO15118_20_TLS_GROUPS,
  ISO15118_20_TLS_SIGALGS,
  ISO15118_20_TLS_VERSION,
  type TlsVersion,
} from "./tls13.js";

/** OpenSSL name of TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 (0xC023), the ISO 15118-2 suite Node offers. */
export const ISO15118_2_TLS_CIPHERS = "ECDHE-ECDSA-AES128-SHA256";
/** OpenSSL name of the static-ECDH ISO 15118-2 suite (0xC025) — absent from Node's OpenSSL 3 (see above). */
export const ISO15118_2_STATIC_ECDH_CIPHER = "ECDH-ECDSA-AES128-SHA256";
/** ISO 15118-2 key exchange curve secp256r1 (OpenSSL "prime256v1"). */
export const ISO15118_2_TLS_CURVE = "prime256v1";
/** Signature algorithm for ISO 15118-2 certificates: ECDSA with SHA-256. */
export const ISO15118_2_TLS_SIGALGS = "ECDSA+SHA256";
/** ISO 15118-2 uses TLS 1.2 only (TLS 1.3 is ISO 15118-20). */
export const ISO15118_2_TLS_VERSION = "TLSv1.2";
/**
 * OpenSSL X.509 verification codes as Node reports them on `err.code` (node src/crypto/crypto_common.cc);
 * an error with one of these is a trust failure, anything else a handshake failure.
 */
export const X509_VERIFY_CODES: ReadonlySet<string> = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_CRL",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CRL_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "CRL_NOT_YET_VALID",
  "CRL_HAS_EXPIRED",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "ERROR_IN_CRL_LAST_UPDATE_FIELD",
  "ERROR_IN_CRL_NEXT_UPDATE_FIELD",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
]);

export const common = {
  minVersion: ISO15118_2_TLS_VERSION,
  maxVersion: ISO15118_2_TLS_VERSION,
  ecdhCurve: ISO15118_2_TLS_CURVE,
  sigalgs: ISO15118_2_TLS_SIGALGS,
} as const;

/** Node secure-context options of the ISO 15118-20 TLS 1.3 profile. */
export function profile13(o: {
  ciphers?: string | undefined;
  groups?: string | undefined;
  sigalgs?: string | undefined;
}) {
  return {
    minVersion: ISO15118_20_TLS_VERSION,
    maxVersion: ISO15118_20_TLS_VERSION,
    ciphers: o.ciphers ?? ISO15118_20_TLS_CIPHERS,
    ecdhCurve: o.groups ?? ISO15118_20_TLS_GROUPS,
    sigalgs: o.sigalgs ?? ISO15118_20_TLS_SIGALGS,
  } as const;
}

/** Client profile for `versions`: one profile, or the union of both (TLS 1.3 preferred by OpenSSL). */
export function clientProfile(versions: readonly TlsVersion[], c: TlsClientConfig) {
  const p12 = { ...common, ciphers: c.ciphers ?? ISO15118_2_TLS_CIPHERS };
  const p13 = profile13({ ciphers: c.tls13Ciphers, groups: c.groups, sigalgs: c.sigalgs });
  if (!versions.includes("1.3")) return p12;
  if (!versions.includes("1.2")) return p13;
  return {
    minVersion: ISO15118_2_TLS_VERSION,
    maxVersion: ISO15118_20_TLS_VERSION,
    ciphers: `${p13.ciphers}:${p12.ciphers}`,
    ecdhCurve: `${p13.ecdhCurve}:${p12.ecdhCurve}`,
    sigalgs: `${p13.sigalgs}:${p12.sigalgs}`,
  } as const;
}
