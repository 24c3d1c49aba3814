/**
 * Read certificates (one PEM or DER certificate, or a PEM chain) and describe them: names, serial,
 * validity, key, BasicConstraints, KeyUsage, SKI/AKI, SAN, and for a chain whether each certificate is
 * signed by the next. Bad input is a {@link PkiError} naming the file and what is wrong.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { PkiError } from "./errors.js";

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

/** RFC 5280 §4.2.1.3 KeyUsage bit names, bit 0 first. */
export const KEY_USAGE_NAMES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;

/** What `nacs pki show` reports about one certificate. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** hex, as in the certificate */
  serial: string;
  notBefore: string;
  notAfter: string;
  /** against the time of the check */
  validity: "valid" | "expired" | "not yet valid";
  /** e.g. "EC P-256" */
  publicKey: string;
  /** e.g. "ECDSA with SHA-256" */
  signatureAlgorithm: string;
  basicConstraints: { critical: boolean; ca: boolean; pathLen: number | null } | null;
  keyUsage: { critical: boolean; usages: string[] } | null;
  extendedKeyUsage: string[] | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  subjectAltNames: string[] | null;
  selfSigned: boolean;
  /** SHA-256 over the DER certificate, hex */
  sha256: string;
  derLength: number;
}

/** One link of a chain: whether certificate `index` is signed by certificate `index + 1`. */
export interface ChainLink {
  index: number;
  /** the issuer name equals the next certificate's subject */
  issuerMatches: boolean;
  /** the signature verifies with the next certificate's public key */
  signedByNext: boolean;
}

/** Parse `bytes` (read from `file`) into certificates: PEM (one or several) or one DER certificate. */
export function readCertificates(bytes: Uint8Array, file: string): x509.X509Certificate[] {
  if (bytes.length === 0) throw new PkiError("bad-certificate", `${file}: empty file`);
  if (bytes[0] === 0x30) {
    try {
      return [new x509.X509Certificate(new Uint8Array(bytes))];
    } catch (err) {
      throw new PkiError("bad-certificate", `${file}: not a DER X.509 certificate (${reason(err)})`, {
        cause: err,
      });
    }
  }
  const text = Buffer.from(bytes).toString("latin1");
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  const certs = blocks.filter((m) => m[1] === "CERTIFICATE");
  if (certs.length === 0) {
    const kinds = [...new Set(blocks.map((m) => m[1]))];
    throw new PkiError(
      "bad-certificate",
      kinds.length
        ? `${file}: holds PEM ${kinds.join(", ")} but no CERTIFICATE block`
        : `${file}: neither PEM (no "-----BEGIN CERTIFICATE-----") nor DER (does not start with a SEQUENCE, 0x30)`,
    );
  }
  return certs.map((m, i) => {
    const body = (m[2] ?? "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body))
      throw new PkiError("bad-certificate", `${file}: certificate ${i + 1}: PEM body is not base64`);
    try {
      return new x509.X509Certificate(Buffer.from(body, "base64"));
    } catch (err) {
      throw new PkiError(
        "bad-certificate",
        `${file}: certificate ${i + 1}: not a DER X.509 certificate (${reason(err)})`,
        { cause: err },
      );
    }
  });
}

/**
 * Describe one certificate at time `now`. A malformed extension is a PkiError naming `label` (e.g.
 * "chain.pem: certificate 2") and the extension.
 */
export async function describeCertificate(
  cert: x509.X509Certificate,
  now = new Date(),
  label = "certificate",
): Promise<CertificateInfo> {
  const bc = readExtension(cert, x509.BasicConstraintsExtension, "BasicConstraints", label);
  const ku = readExtension(cert, x509.KeyUsagesExtension, "KeyUsage", label);
  const eku = readExtension(cert, x509.ExtendedKeyUsageExtension, "ExtendedKeyUsage", label);
  const ski = readExtension(cert, x509.SubjectKeyIdentifierExtension, "SubjectKeyIdentifier", label);
  const aki = readExtension(cert, x509.AuthorityKeyIdentifierExtension, "AuthorityKeyIdentifier", label);
  const sanExt = readExtension(cert, x509.SubjectAlternativeNameExtension, "SubjectAltName", label);
  let san: string[] | null = null;
  try {
    san = sanExt ? sanExt.names.items.map((n) => `${n.type}:${n.value}`) : null;
  } catch (err) {
    throw new PkiError(
      "bad-certificate",
      `${label}: extension SubjectAltName is malformed (${reason(err)})`,
      {
        cause: err,
      },
    );
  }
  const validity = now < cert.notBefore ? "not yet valid" : now > cert.notAfter ? "expired" : "valid";
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serial: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    validity,
    publicKey: keyName(cert),
    signatureAlgorithm: signatureName(cert),
    basicConstraints: bc ? { critical: bc.critical, ca: bc.ca, pathLen: bc.pathLength ?? null } : null,
    keyUsage: ku
      ? { critical: ku.critical, usages: KEY_USAGE_NAMES.filter((_, i) => (ku.usages & (1 << i)) !== 0) }
      : null,
    extendedKeyUsage: eku ? eku.usages.map(String) : null,
    subjectKeyId: ski ? ski.keyId : null,
    authorityKeyId: aki ? (aki.keyId ?? null) : null,
    subjectAltNames: san,
    selfSigned: await isSelfSigned(cert),
    sha256: Buffer.from(await cert.getThumbprint("SHA-256", crypto)).toString("hex"),
    derLength: cert.rawData.byteLength,
  };
}

/** For each certificate but the last: is it issued and signed by the next one? */
export async function checkChain(certs: readonly x509.X509Certificate[]): Promise<ChainLink[]> {
  const links: ChainLink[] = [];
  for (let i = 0; i + 1 < certs.length; i++) {
    const cert = certs[i]!;
    const next = certs[i + 1]!;
    links.push({
      index: i,
      issuerMatches: cert.issuerName.toString() === next.subjectName.toString(),
      signedByNext: await verifiesWith(cert, next),
    });
  }
  return links;
}

/** `cert.getExtension(type)`, with a malformed extension turned into a PkiError naming it. */
function readExtension<T extends x509.Extension>(
  cert: x509.X509Certificate,
  type: new (raw: BufferSource) => T,
  name: string,
  label: string,
): T | null {
  try {
    return cert.getExtension(type);
  } catch (err) {
    throw new PkiError("bad-certificate", `${label}: extension ${name} is malformed (${reason(err)})`, {
      cause: err,
    });
  }
}

async function isSelfSigned(cert: x509.X509Certificate): Promise<boolean> {
  return cert.issuerName.toString() === cert.subjectName.toString() && (await verifiesWith(cert, cert));
}

async function verifiesWith(cert: x509.X509Certificate, signer: x509.X509Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: signer.publicKey, signatureOnly: true }, crypto);
  } catch {
    return false;
  }
}

function keyName(cert: x509.X509Certificate): string {
  try {
    const a = cert.publicKey.algorithm as Algorithm & { namedCurve?: string; modulusLength?: number };
    if (a.namedCurve) return `EC ${a.namedCurve}`;
    if (a.modulusLength) return `${a.name} ${a.modulusLength} bit`;
    return a.name;
  } catch (err) {
    return `unsupported (${reason(err)})`;
  }
}

function signatureName(cert: x509.X509Certificate): string {
  try {
    const a = cert.signatureAlgorithm as Algorithm & { hash?: Algorithm };
    return a.hash ? `${a.name} with ${a.hash.name}` : a.name;
  } catch (err) {
    return `unsupported (${reason(err)})`;
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
