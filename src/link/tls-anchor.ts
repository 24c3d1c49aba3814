/**
 * The RFC 6066 §6 identifiers of a root certificate, for matching `trusted_ca_keys` entries
 * ({@link chooseChain}): SHA-1 of the subjectPublicKey bits (key_sha1_hash), DER subject (x509_name), SHA-1
 * of the DER certificate (cert_sha1_hash). Read with @peculiar/asn1-x509 (any key type: P-256 ISO 15118-2
 * roots, P-521 / Ed448 ISO 15118-20 roots); loaded only by a SECC that holds roots.
 */
import { createHash, X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { LinkError } from "./errors.js";
import type { ChainAnchor } from "./tls-route.js";

const sha1 = (b: Uint8Array | ArrayBuffer) =>
  createHash("sha1")
    .update(b instanceof ArrayBuffer ? new Uint8Array(b) : b)
    .digest("hex");

/** The anchor of `pem` (the first certificate in it); `field` names the option in errors. */
export function chainAnchor(pem: string | Buffer, field: string): ChainAnchor {
  let der: Uint8Array;
  let subject: string;
  try {
    const x = new X509Certificate(pem);
    der = new Uint8Array(x.raw);
    subject = x.subject.split("\n").reverse().join(",");
  } catch (e) {
    throw new LinkError("bad-option", `${field}: not a PEM certificate (${(e as Error).message})`, {
      cause: e,
    });
  }
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  return {
    subject,
    keySha1: sha1(tbs.subjectPublicKeyInfo.subjectPublicKey),
    nameDer: Buffer.from(AsnConvert.serialize(tbs.subject)).toString("hex"),
    certSha1: sha1(der),
  };
}
