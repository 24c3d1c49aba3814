/**
 * The test CSMS's side of the SECC certificate (OCPP 2.0.1 A02 / A03, M06), with the CPO Sub-CA 2 of a
 * `nacs pki init` directory (`nacs csms --v2g-pki DIR`):
 * - SignCertificate{csr, certificateType V2GCertificate}: the CSR must parse and its signature verify
 *   (RFC 2986 §3: proof of possession); Accepted, and right after a CertificateSigned with the chain (PEM:
 *   the new SECC leaf issued by CPO Sub-CA 2 with the ISO 15118-2 SECC leaf profile — the CSR's subject and
 *   key, critical BasicConstraints CA=false and KeyUsage digitalSignature + keyAgreement, SKI, AKI — then
 *   CPO Sub-CA 2 and CPO Sub-CA 1; the root is not sent, [V2G2-871]). Rejected with the reason otherwise.
 * - GetCertificateStatus{ocspRequestData}: when issuerNameHash / issuerKeyHash (SHA-256) name a CA this
 *   CSMS holds, Accepted with a fresh OCSP response (base64 DER; good, valid PNC_OCSP_VALIDITY_DAYS, signed
 *   by that CA: link/pki/ocsp.ts) about the serial; Failed otherwise. A test CSMS: every serial under its
 *   CA is "good" (there is no revocation list).
 */
import "reflect-metadata";
import { createHash, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import * as x509 from "@peculiar/x509";
import { PkiError } from "../pki/errors.js";
import { PNC_OCSP_VALIDITY_DAYS, pncFileNames } from "../pki/files.js";
import { issueOcspResponse } from "../pki/ocsp.js";
import { KU, PNC_BACKDATE_MS, PNC_SECC_LEAF_VALIDITY_DAYS } from "../pki/profiles.js";

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);
const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** One CA the CSMS holds: certificate (DER and parsed), key (PKCS#8 PEM and WebCrypto). */
interface HeldCa {
  cert: x509.X509Certificate;
  der: Uint8Array;
  keyPem: string;
  key: CryptoKey;
  nameHash: string;
  keyHash: string;
}

/** The V2G CAs of `nacs csms --v2g-pki DIR`. */
export interface CsmsV2gPki {
  dir: string;
  /** CPO Sub-CA 2 (issues SECC leaves, signs their OCSP responses) and CPO Sub-CA 1 (sent in the chain). */
  subCa2: HeldCa;
  subCa1Pem: string;
  subCa2Pem: string;
}

const hex = (b: ArrayBuffer | Uint8Array) =>
  Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString("hex");

/** Load CPO Sub-CA 2 (certificate and key) and CPO Sub-CA 1 of a `nacs pki init` DIR. Throws PkiError. */
export async function loadCsmsV2gPki(dir: string): Promise<CsmsV2gPki> {
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), "utf8");
    } catch (e) {
      throw new PkiError("io", `${join(dir, f)}: ${(e as Error).message}`, { cause: e });
    }
  };
  const sub2 = pncFileNames("cpo-sub-ca-2");
  const certPem = read(sub2.cert);
  const keyPem = read(sub2.key);
  let cert: x509.X509Certificate;
  let key: CryptoKey;
  try {
    cert = new x509.X509Certificate(certPem);
    key = await crypto.subtle.importKey(
      "pkcs8",
      x509.PemConverter.decodeFirst(keyPem),
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign"],
    );
  } catch (e) {
    throw new PkiError("bad-certificate", `${dir}: CPO Sub-CA 2: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const der = new Uint8Array(cert.rawData);
  const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
  return {
    dir,
    subCa2: {
      cert,
      der,
      keyPem,
      key,
      nameHash: hex(
        createHash("sha256")
          .update(new Uint8Array(AsnConvert.serialize(tbs.subject)))
          .digest(),
      ),
      keyHash: hex(
        createHash("sha256").update(new Uint8Array(tbs.subjectPublicKeyInfo.subjectPublicKey)).digest(),
      ),
    },
    subCa2Pem: certPem,
    subCa1Pem: read(pncFileNames("cpo-sub-ca-1").cert),
  };
}

/** The outcome of a SignCertificate: the chain to send, or the reason it is refused. */
export type SignOutcome =
  | { ok: true; chain: string; serial: string }
  | { ok: false; reasonCode: string; info: string };

/** Issue the SECC leaf of a V2GCertificate CSR (see the module comment). */
export async function signV2gCsr(
  pki: CsmsV2gPki | undefined,
  p: Record<string, unknown>,
  now = new Date(),
): Promise<SignOutcome> {
  if (p.certificateType !== "V2GCertificate")
    return {
      ok: false,
      reasonCode: "UnsupportedCertType",
      info: `certificateType ${String(p.certificateType ?? "ChargingStationCertificate")}: this CSMS signs V2GCertificate only`,
    };
  if (!pki)
    return { ok: false, reasonCode: "NoCA", info: "this CSMS holds no CPO Sub-CA (nacs csms --v2g-pki DIR)" };
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(String(p.csr));
  } catch (e) {
    return {
      ok: false,
      reasonCode: "InvalidCSR",
      info: `csr: not a PEM PKCS#10 request (${(e as Error).message})`.slice(0, 512),
    };
  }
  if (!(await csr.verify().catch(() => false)))
    return {
      ok: false,
      reasonCode: "InvalidCSR",
      info: "csr: its signature does not verify with its own key (RFC 2986 §3)",
    };
  const publicKey = await csr.publicKey.export(ALG, ["verify"], crypto);
  const serial = randomSerial();
  const notBefore = new Date(now.getTime() - PNC_BACKDATE_MS);
  const leaf = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial,
      notBefore,
      notAfter: new Date(notBefore.getTime() + PNC_SECC_LEAF_VALIDITY_DAYS * 86_400_000),
      signingAlgorithm: ALG,
      subject: csr.subjectName,
      issuer: pki.subCa2.cert.subjectName,
      publicKey,
      signingKey: pki.subCa2.key,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KU.digitalSignature | KU.keyAgreement, true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(pki.subCa2.cert, false, crypto),
      ],
    },
    crypto,
  );
  const chain = `${leaf.toString("pem")}\n${pki.subCa2Pem.trim()}\n${pki.subCa1Pem.trim()}\n`;
  return { ok: true, chain, serial };
}

/** The GetCertificateStatus answer (see the module comment). */
export function certificateStatus(
  pki: CsmsV2gPki | undefined,
  p: Record<string, unknown>,
  now = new Date(),
): Record<string, unknown> {
  const d = p.ocspRequestData as {
    hashAlgorithm: string;
    issuerNameHash: string;
    issuerKeyHash: string;
    serialNumber: string;
  };
  const failed = (additionalInfo: string) => ({
    status: "Failed",
    statusInfo: { reasonCode: "UnknownIssuer", additionalInfo },
  });
  if (!pki) return failed("this CSMS holds no CA (nacs csms --v2g-pki DIR)");
  const ca = pki.subCa2;
  if (
    d.hashAlgorithm !== "SHA256" ||
    d.issuerNameHash.toLowerCase() !== ca.nameHash ||
    d.issuerKeyHash.toLowerCase() !== ca.keyHash
  )
    return failed(`issuerNameHash / issuerKeyHash (${d.hashAlgorithm}) name no CA of this CSMS`);
  if (!/^[0-9a-fA-F]{1,40}$/.test(d.serialNumber))
    return {
      status: "Failed",
      statusInfo: { reasonCode: "InvalidSerial", additionalInfo: "serialNumber: not 1–40 hex digits" },
    };
  // the INTEGER's content octets: even length, a leading 00 when the high bit is set (positive, X.690 §8.3)
  let h = d.serialNumber.length % 2 ? `0${d.serialNumber}` : d.serialNumber;
  if (Number.parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
  const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const der = issueOcspResponse({
    serialNumber: new Uint8Array(Buffer.from(h, "hex")),
    issuer: ca.der,
    signerKey: ca.keyPem,
    status: "good",
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + PNC_OCSP_VALIDITY_DAYS * 86_400_000),
  });
  return { status: "Accepted", ocspResult: Buffer.from(der).toString("base64") };
}

function randomSerial(): string {
  const b = crypto.getRandomValues(new Uint8Array(8));
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(b).toString("hex");
}
