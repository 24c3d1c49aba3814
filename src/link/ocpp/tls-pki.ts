/**
 * A throwaway PKI for OCPP security profiles 2 and 3 (OCPP 2.0.1 Part 2 §A00, "Security profiles"): TLS
 * with the CSMS's server certificate (profile 2, together with HTTP Basic auth) and, for profile 3, a
 * client certificate per charging station whose subject CN is the station's identity. One root CA signs
 * both (a test CSMS: a real CSO runs its own CAs). ECDSA P-256 / SHA-256, RFC 5280 profiles. For tests and
 * demos (`nacs csms --tls-dir DIR`), never for a real network.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;
/** Validity of the test certificates (days) and how far notBefore is set back (clock skew). Design choice. */
const VALIDITY_DAYS = 365;
const BACKDATE_MS = 3_600_000;

/** The files of a test PKI directory. */
export const OCPP_TLS_FILES = {
  root: "ocpp-root.pem",
  rootKey: "ocpp-root-key.pem",
  csmsCert: "csms-cert.pem",
  csmsKey: "csms-key.pem",
  stationCert: (id: string) => `station-${id}-cert.pem`,
  stationKey: (id: string) => `station-${id}-key.pem`,
} as const;

/** PEM of a certificate and its PKCS#8 key. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "")}\n-----END ${label}-----\n`;

const serial = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(8)).map((b, i) => (i === 0 ? b & 0x7f : b))).toString(
    "hex",
  );

async function issue(o: {
  cn: string;
  ca: boolean;
  issuer?: { cert: x509.X509Certificate; key: CryptoKey };
  extensions?: x509.Extension[];
}): Promise<PemPair & { cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - BACKDATE_MS);
  const notAfter = new Date(notBefore.getTime() + VALIDITY_DAYS * DAY_MS);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(o.ca, o.ca ? 0 : undefined, true),
    new x509.KeyUsagesExtension(
      o.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
    ...(o.extensions ?? []),
  ];
  const name = `O=nacs test CSMS, CN=${o.cn}`;
  const base = { serialNumber: serial(), notBefore, notAfter, signingAlgorithm: ALG };
  const cert = o.issuer
    ? await x509.X509CertificateGenerator.create(
        {
          ...base,
          subject: name,
          issuer: o.issuer.cert.subject,
          publicKey: keys.publicKey,
          signingKey: o.issuer.key,
          extensions: [
            ...extensions,
            await x509.AuthorityKeyIdentifierExtension.create(o.issuer.cert, false, crypto),
          ],
        },
        crypto,
      )
    : await x509.X509CertificateGenerator.createSelfSigned({ ...base, name, keys, extensions }, crypto);
  const keyPem = pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  const certPem = cert.toString("pem").trimEnd();
  return { cert, keys, certPem: `${certPem}\n`, keyPem };
}

/** The test PKI of `dir`, created when absent: root, the CSMS's server certificate, and station certificates. */
export interface OcppTestPki {
  dir: string;
  rootPem: string;
  csms: PemPair;
  /** The client certificate of station `id` (issued now if `dir` has none). */
  station(id: string): Promise<PemPair>;
}

/** Open (or create) the test PKI in `dir`. The CSMS's certificate names localhost, 127.0.0.1 and ::1. */
export async function openOcppTestPki(dir: string): Promise<OcppTestPki> {
  const f = (name: string) => join(dir, name);
  if (!existsSync(f(OCPP_TLS_FILES.root))) {
    mkdirSync(dir, { recursive: true });
    const root = await issue({ cn: "nacs test CSMS root", ca: true });
    const san = new x509.SubjectAlternativeNameExtension([
      { type: "dns", value: "localhost" },
      { type: "ip", value: "127.0.0.1" },
      { type: "ip", value: "::1" },
    ]);
    const eku = new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]);
    const csms = await issue({
      cn: "localhost",
      ca: false,
      issuer: { cert: root.cert, key: root.keys.privateKey },
      extensions: [san, eku],
    });
    writeFileSync(f(OCPP_TLS_FILES.root), root.certPem);
    writeFileSync(f(OCPP_TLS_FILES.rootKey), root.keyPem, { mode: 0o600 });
    writeFileSync(f(OCPP_TLS_FILES.csmsCert), csms.certPem + root.certPem);
    writeFileSync(f(OCPP_TLS_FILES.csmsKey), csms.keyPem, { mode: 0o600 });
  }
  const read = (name: string) => readFileSync(f(name), "utf8");
  const rootPem = read(OCPP_TLS_FILES.root);
  return {
    dir,
    rootPem,
    csms: { certPem: read(OCPP_TLS_FILES.csmsCert), keyPem: read(OCPP_TLS_FILES.csmsKey) },
    async station(id) {
      if (!/^[A-Za-z0-9._-]{1,48}$/.test(id))
        throw new Error(`station identity ${JSON.stringify(id)}: 1–48 of A–Z a–z 0–9 . _ - (a file name)`);
      if (!existsSync(f(OCPP_TLS_FILES.stationCert(id)))) {
        const rootCert = new x509.X509Certificate(rootPem);
        const rootKey = await crypto.subtle.importKey(
          "pkcs8",
          Buffer.from(
            read(OCPP_TLS_FILES.rootKey)
              .replace(/-----[^-]+-----/g, "")
              .replace(/\s+/g, ""),
            "base64",
          ),
          ALG,
          false,
          ["sign"],
        );
        const st = await issue({
          cn: id,
          ca: false,
          issuer: { cert: rootCert, key: rootKey },
          extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
        });
        writeFileSync(f(OCPP_TLS_FILES.stationCert(id)), st.certPem + rootPem);
        writeFileSync(f(OCPP_TLS_FILES.stationKey(id)), st.keyPem, { mode: 0o600 });
      }
      return { certPem: read(OCPP_TLS_FILES.stationCert(id)), keyPem: read(OCPP_TLS_FILES.stationKey(id)) };
    },
  };
}
