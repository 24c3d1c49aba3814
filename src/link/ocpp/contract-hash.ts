/**
 * OCPP 2.0.1 C07 (authorization using contract certificates): the station authorises an ISO 15118 contract
 * with Authorize{idToken: eMAID, iso15118CertificateHashData}, one OCSPRequestDataType per certificate of
 * the EV's contract chain whose issuer it has (the leaf, then each sub-CA; at most 4 in AuthorizeRequest):
 * the RFC 6960 §4.1.1 CertID with SHA-256 — hash of the issuer's subject name, hash of the issuer's public
 * key, the serial number, in hex — and the OCSP responder URL of the certificate's Authority Information
 * Access extension (RFC 5280 §4.2.2.1; empty when it has none).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { OcspRequestData } from "../../ocpp/index.js";
import { ocspCertId } from "../pki/ocsp.js";

/** AuthorizeRequest iso15118CertificateHashData: at most this many entries (OCPP 2.0.1 schema, maxItems). */
export const OCPP_CERT_HASH_DATA_MAX = 4;

const hex = (b: ArrayBuffer | Uint8Array) =>
  Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString("hex");

/** The OCSP responder URL of a certificate's AIA extension, or "". */
function responderUrl(der: Uint8Array): string {
  const aia = new x509.X509Certificate(Uint8Array.from(der)).getExtension(x509.AuthorityInfoAccessExtension);
  const uri = aia?.ocsp.find((n) => n.type === "url")?.value;
  return typeof uri === "string" ? uri.slice(0, 512) : "";
}

/** The hash data of the contract chain `leaf`, `subCas` (DER, the leaf's issuer first). */
export function contractHashData(leaf: Uint8Array, subCas: readonly Uint8Array[]): OcspRequestData[] {
  const chain = [leaf, ...subCas];
  const out: OcspRequestData[] = [];
  for (let i = 0; i + 1 < chain.length && out.length < OCPP_CERT_HASH_DATA_MAX; i++) {
    const id = ocspCertId(chain[i]!, chain[i + 1]!, "sha256");
    out.push({
      hashAlgorithm: "SHA256",
      issuerNameHash: hex(id.issuerNameHash.buffer),
      issuerKeyHash: hex(id.issuerKeyHash.buffer),
      // the serial's DER content (a positive INTEGER may carry a leading 00), without leading zero bytes
      serialNumber: hex(id.serialNumber).replace(/^(00)+(?=.)/, ""),
      responderURL: responderUrl(chain[i]!),
    });
  }
  return out;
}
