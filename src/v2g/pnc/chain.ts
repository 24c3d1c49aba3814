/**
 * Certificate path validation for ISO 15118-2 Plug & Charge (RFC 5280 §6.1 basic path validation as
 * profiled by [V2G2-885]): leaf → Sub-CA 2 → Sub-CA 1 → a trusted root, at most 2 Sub-CAs ([V2G2-009]);
 * the anchor is chosen by name **and** signature ([V2G2-878]); every certificate valid at the given time;
 * CA flags, pathLenConstraint and KeyUsage (RFC 5280 §4.2.1.3/§4.2.1.9); revocation by an injected check.
 * Results are named codes with the ISO-2 ResponseCode each maps to. The same validation serves ISO 15118-20
 * contracts with `profile: ISO20_CERT_PROFILE` (P-521 keys, ecdsa-with-SHA512). Platform-neutral.
 */
import { p256, p521 } from "@noble/curves/nist.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import {
  CertError,
  type Certificate,
  type CertProfile,
  ISO2_CERT_PROFILE,
  parseCertificateWith,
  sameName,
} from "./cert.js";

/** Outcome of a validation. */
export type ChainCode =
  | "OK"
  | "MALFORMED"
  | "TOO_LONG"
  | "NO_ROOTS"
  | "NO_ANCHOR"
  | "BAD_SIGNATURE"
  | "NOT_CA"
  | "PATH_LEN"
  | "KEY_USAGE"
  | "EXPIRED"
  | "NOT_YET_VALID"
  | "REVOKED";

/** ISO 15118-2 ResponseCode per outcome (ISO 15118-2 §8.4.3.x, PaymentDetailsRes / CertificateUpdateRes). */
export const CHAIN_RESPONSE_CODES = {
  OK: "OK",
  MALFORMED: "FAILED_CertChainError",
  TOO_LONG: "FAILED_CertChainError",
  // no root to validate with: the SECC has no certificate for this contract
  NO_ROOTS: "FAILED_NoCertificateAvailable",
  NO_ANCHOR: "FAILED_CertChainError",
  BAD_SIGNATURE: "FAILED_CertChainError",
  NOT_CA: "FAILED_CertChainError",
  // a pathLen violation is a chain error, not an expiry (RISE-V2G answers FAILED_CertificateExpired by mistake)
  PATH_LEN: "FAILED_CertChainError",
  KEY_USAGE: "FAILED_CertChainError",
  EXPIRED: "FAILED_CertificateExpired", // [V2G2-468]
  NOT_YET_VALID: "FAILED_CertificateExpired", // [V2G2-824]
  REVOKED: "FAILED_CertificateRevoked",
} as const satisfies Record<ChainCode, string>;

/** Most Sub-CAs in a path ([V2G2-009]). */
export const MAX_SUB_CAS = 2;

/** What a leaf must be able to do. */
export type LeafPurpose = "contract" | "any";

/** Input of {@link validateChain}. */
export interface ChainInput {
  leaf: Uint8Array;
  /** Sub-CA 2 first, then Sub-CA 1 (the wire order of `SubCertificates`). */
  subCas: readonly Uint8Array[];
  /** Trusted roots (DER). */
  roots: readonly Uint8Array[];
  /** Unix ms. */
  nowMs: number;
  /** Revocation check (OCSP or a backend list); true = revoked. */
  isRevoked?: (cert: Certificate) => boolean;
  /** Contract leaf: digitalSignature required (it signs AuthorizationReq / MeteringReceiptReq). */
  purpose?: LeafPurpose;
  /** Keys and signature algorithms accepted (default: ISO 15118-2, P-256 / ecdsa-with-SHA256). */
  profile?: CertProfile;
}

/** Result of {@link validateChain}. */
export interface ChainResult {
  code: ChainCode;
  responseCode: (typeof CHAIN_RESPONSE_CODES)[ChainCode];
  detail: string;
  /** The parsed leaf when it parsed. */
  leaf?: Certificate;
  /** The anchor chosen. */
  root?: Certificate;
}

const result = (code: ChainCode, detail: string, extra: Partial<ChainResult> = {}): ChainResult => ({
  code,
  responseCode: CHAIN_RESPONSE_CODES[code],
  detail,
  ...extra,
});

/**
 * True when `cert`'s signature verifies with `issuer`'s key (ECDSA with the certificate's hash, SHA-256 or
 * SHA-512, over tbsCertificate, on the issuer's curve).
 */
export function signedBy(cert: Certificate, issuer: Certificate): boolean {
  try {
    const hash = cert.signatureAlgorithm === "ecdsa-with-SHA512" ? sha512(cert.tbs) : sha256(cert.tbs);
    const curve = issuer.curve === "P-521" ? p521 : p256;
    return curve.verify(cert.signature, hash, issuer.publicKey, {
      prehash: false,
      format: "der",
      lowS: false,
    });
  } catch {
    return false;
  }
}

const label = (i: number, n: number) => (i === 0 ? "leaf" : `Sub-CA ${n - i + 1}`);

/** Validate a chain. Never throws on certificate bytes. */
export function validateChain(input: ChainInput): ChainResult {
  if (input.subCas.length > MAX_SUB_CAS)
    return result("TOO_LONG", `${input.subCas.length} Sub-CAs, at most ${MAX_SUB_CAS} ([V2G2-009])`);
  const path: Certificate[] = [];
  const ders = [input.leaf, ...input.subCas];
  for (let i = 0; i < ders.length; i++) {
    try {
      path.push(parseCertificateWith(ders[i]!, input.profile ?? ISO2_CERT_PROFILE));
    } catch (err) {
      if (!(err instanceof CertError)) throw err;
      const what = i === 0 ? "leaf" : `SubCertificates[${i - 1}]`;
      return result("MALFORMED", `${what}: ${err.message}`);
    }
  }
  const leaf = path[0]!;
  const n = path.length - 1; // Sub-CAs
  const name = (i: number) => label(i, n);
  const roots: Certificate[] = [];
  for (const r of input.roots) {
    try {
      roots.push(parseCertificateWith(r, input.profile ?? ISO2_CERT_PROFILE));
    } catch {
      // an unusable root anchors nothing
    }
  }
  if (roots.length === 0) return result("NO_ROOTS", "no trusted root to validate with", { leaf });
  // links inside the path: issuer name and signature
  for (let i = 0; i < n; i++) {
    if (!sameName(path[i]!.issuer, path[i + 1]!.subject))
      return result("NO_ANCHOR", `${name(i)}: issuer is not the subject of ${name(i + 1)}`, { leaf });
    if (!signedBy(path[i]!, path[i + 1]!))
      return result("BAD_SIGNATURE", `${name(i)}: signature does not verify with ${name(i + 1)}'s key`, {
        leaf,
      });
  }
  // the anchor: by name and by signature ([V2G2-878])
  const top = path[n]!;
  const named = roots.filter((r) => sameName(r.subject, top.issuer));
  const root = named.find((r) => signedBy(top, r));
  if (!root)
    return named.length > 0
      ? result(
          "BAD_SIGNATURE",
          `${name(n)}: no trusted root named "${top.issuer.cn}" verifies its signature`,
          {
            leaf,
          },
        )
      : result("NO_ANCHOR", `${name(n)}: issuer "${top.issuer.cn}" is not a trusted root`, { leaf });
  // CA flags, pathLen, KeyUsage (RFC 5280 §6.1.4 (k), (l), (m), (n))
  for (let i = 1; i <= n; i++) {
    const c = path[i]!;
    const bc = c.basicConstraints;
    if (!bc?.ca)
      return result("NOT_CA", `${name(i)}: BasicConstraints cA is not set (RFC 5280 §4.2.1.9)`, { leaf });
    if (bc.pathLen !== undefined && bc.pathLen < i - 1)
      return result(
        "PATH_LEN",
        `${name(i)}: pathLenConstraint ${bc.pathLen}, ${i - 1} Sub-CA(s) below it (RFC 5280 §4.2.1.9)`,
        { leaf },
      );
    if (c.keyUsage && !c.keyUsage.keyCertSign)
      return result("KEY_USAGE", `${name(i)}: KeyUsage without keyCertSign (RFC 5280 §4.2.1.3)`, { leaf });
  }
  if (root.basicConstraints?.pathLen !== undefined && root.basicConstraints.pathLen < n)
    return result(
      "PATH_LEN",
      `root: pathLenConstraint ${root.basicConstraints.pathLen}, ${n} Sub-CA(s) below it`,
      {
        leaf,
      },
    );
  if (leaf.basicConstraints?.ca)
    return result("NOT_CA", "leaf: is a CA certificate (RFC 5280 §4.2.1.9)", { leaf });
  if (input.purpose === "contract" && leaf.keyUsage && !leaf.keyUsage.digitalSignature)
    return result("KEY_USAGE", "leaf: KeyUsage without digitalSignature (it signs AuthorizationReq)", {
      leaf,
    });
  // validity of every certificate, root included
  const all = [...path, root];
  for (let i = 0; i < all.length; i++) {
    const c = all[i]!;
    const who = i === all.length - 1 ? "root" : name(i);
    if (input.nowMs > c.notAfter)
      return result("EXPIRED", `${who}: expired ${new Date(c.notAfter).toISOString()} ([V2G2-468])`, {
        leaf,
      });
    if (input.nowMs < c.notBefore)
      return result("NOT_YET_VALID", `${who}: not valid before ${new Date(c.notBefore).toISOString()}`, {
        leaf,
      });
  }
  if (input.isRevoked)
    for (let i = 0; i < path.length; i++)
      if (input.isRevoked(path[i]!))
        return result("REVOKED", `${name(i)}: serial ${path[i]!.serial} is revoked`, { leaf });
  return result("OK", `anchored at "${root.subject.cn}"`, { leaf, root });
}

/** eMAID comparison of ISO 15118-2 (separators stripped, case-insensitive). */
export function sameEmaid(a: string, b: string): boolean {
  const norm = (x: string) => x.replaceAll("-", "").toUpperCase();
  return norm(a) === norm(b);
}
