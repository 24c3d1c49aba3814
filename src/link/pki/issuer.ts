/**
 * Issue the ISO 15118-2 Plug & Charge test PKIs ({@link PNC_PROFILES}) with @peculiar/x509 over WebCrypto:
 * EC P-256 keys, ecdsa-with-SHA256, critical BasicConstraints and KeyUsage, SKI on every certificate and
 * AKI on every issued one (RFC 5280 §4.2.1.1/§4.2.1.2), no EKU. Keys are fresh each time and exported as
 * PKCS#8 PEM. With `curve: "P-521"` the same trees for ISO 15118-20: secp521r1 keys and ecdsa-with-SHA512
 * ([V2G20-2674]).
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { checkEmaid, checkPcid, checkSeccId } from "./identifiers.js";
import {
  PNC_BACKDATE_MS,
  PNC_ORGANIZATION,
  PNC_PROFILES,
  type PncProfile,
  type PncRole,
} from "./profiles.js";

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

/** ECDSA P-256 with SHA-256 ([V2G2-006], [V2G2-007]). */
const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
/** ECDSA P-521 with SHA-512, the ISO 15118-20 certificates ([V2G20-2674]). */
const ALG_20 = { name: "ECDSA", namedCurve: "P-521", hash: "SHA-512" } as const;

/** Key curve of an issued PKI: P-256 (ISO 15118-2) or P-521 (ISO 15118-20). */
export type PncCurve = "P-256" | "P-521";
const algOf = (curve: PncCurve | undefined) => (curve === "P-521" ? ALG_20 : ALG);
const DAY_MS = 86_400_000;
/** Serial number length in bytes (RFC 5280 §4.1.2.2 allows up to 20; positive). */
const SERIAL_BYTES = 8;

/** One issued certificate with its key. */
export interface IssuedPncCert {
  role: PncRole;
  profile: PncProfile;
  cert: x509.X509Certificate;
  certPem: string;
  /** PKCS#8 PEM */
  keyPem: string;
  keys: CryptoKeyPair;
}

/** Options of {@link issuePncPki}. */
export interface PncPkiOptions {
  /** contract leaf CN ({@link PNC_DEFAULT_EMAID} when absent) */
  emaid?: string;
  /** OEM provisioning leaf CN */
  pcid?: string;
  /** SECC leaf CN */
  seccId?: string;
  /** issuing time (default: now); notBefore = now − {@link PNC_BACKDATE_MS} */
  now?: Date;
  /** key curve (default P-256; P-521 for the ISO 15118-20 set) */
  curve?: PncCurve;
}

/** The issued trees, by role. */
export type PncPki = Record<PncRole, IssuedPncCert>;

/** Issue every certificate of the V2G (CPO, CPS), MO and OEM trees. */
export async function issuePncPki(opts: PncPkiOptions = {}): Promise<PncPki> {
  const cns: Partial<Record<PncRole, string>> = {};
  if (opts.emaid !== undefined) cns["contract-leaf"] = checkEmaid(opts.emaid, "--emaid");
  if (opts.pcid !== undefined) cns["oem-prov-leaf"] = checkPcid(opts.pcid, "--pcid");
  if (opts.seccId !== undefined) cns["secc-leaf"] = checkSeccId(opts.seccId, "--secc-id");
  const now = opts.now ?? new Date();
  const out: Partial<PncPki> = {};
  for (const profile of PNC_PROFILES) {
    const issuer = profile.issuer ? out[profile.issuer] : undefined;
    if (profile.issuer && !issuer) throw new Error(`profile order: ${profile.role} before ${profile.issuer}`);
    out[profile.role] = await issuePncCert(profile, {
      cn: cns[profile.role] ?? profile.cn,
      now,
      issuer,
      ...(opts.curve && { curve: opts.curve }),
    });
  }
  return out as PncPki;
}

/** Issue one certificate of `profile`, self-signed when `issuer` is absent. */
export async function issuePncCert(
  profile: PncProfile,
  o: { cn: string; now: Date; issuer?: IssuedPncCert | undefined; keys?: CryptoKeyPair; curve?: PncCurve },
): Promise<IssuedPncCert> {
  const alg = algOf(o.curve);
  const keys = o.keys ?? ((await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair);
  const notBefore = new Date(o.now.getTime() - PNC_BACKDATE_MS);
  const notAfter = new Date(notBefore.getTime() + profile.validityDays * DAY_MS);
  const subject: x509.JsonName = [{ O: [PNC_ORGANIZATION] }, { CN: [o.cn] }, { DC: [profile.dc] }];
  const extensions: x509.Extension[] = [
    profile.ca
      ? new x509.BasicConstraintsExtension(true, profile.ca.pathLen ?? undefined, true)
      : new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(profile.keyUsage, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
  ];
  const base = { serialNumber: randomSerial(), notBefore, notAfter, signingAlgorithm: alg };
  let cert: x509.X509Certificate;
  if (o.issuer) {
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(o.issuer.keys.publicKey, false, crypto),
    );
    cert = await x509.X509CertificateGenerator.create(
      {
        ...base,
        subject,
        issuer: o.issuer.cert.subjectName,
        publicKey: keys.publicKey,
        signingKey: o.issuer.keys.privateKey,
        extensions,
      },
      crypto,
    );
  } else {
    cert = await x509.X509CertificateGenerator.createSelfSigned(
      { ...base, name: subject, keys, extensions },
      crypto,
    );
  }
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    role: profile.role,
    profile,
    cert,
    certPem: `${cert.toString("pem")}\n`,
    keyPem: `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`,
    keys,
  };
}

/** A positive random serial of {@link SERIAL_BYTES} bytes, hex, first byte 0x01..0x7f. */
function randomSerial(): string {
  const b = crypto.getRandomValues(new Uint8Array(SERIAL_BYTES));
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(b).toString("hex");
}
