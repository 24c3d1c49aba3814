/**
 * The SECC's checks of CertificateInstallationReq and CertificateUpdateReq in the order the public SECCs
 * (RISE-V2G, EcoG-io/iso15118) apply them: the request signature (FAILED_SignatureError), the signer
 * certificate's validity (FAILED_CertificateExpired) and role, then the chain by the host's validator
 * (FAILED_CertChainError). Each failure is a {@link PncError} whose `responseCode` is the answer.
 */
import type * as iso2 from "../../codecs/iso2/index.js";
import { type ChainValidator, checkRoleCert, nameValue, readCertFields } from "./cert-fields.js";
import { derChain } from "./cps.js";
import { PncError } from "./pnc-errors.js";
import { verifySignature } from "./xmldsig.js";

function checkSigned(message: iso2.V2G_Message, signer: Uint8Array, what: string): void {
  const v = verifySignature(message, signer);
  if (!v.ok)
    throw new PncError("SIGNATURE", `${what}: signature with ${v.error.message} (${v.error.code})`, {
      cause: v.error,
    });
}

/**
 * CertificateInstallationReq: signed by the key of `OEMProvisioningCert`, that certificate valid at `nowS`
 * with subject DC=OEM; `validateOemChain` (optional) checks it to an OEM root when the SECC holds OEM roots.
 */
export function checkInstallationReq(
  message: iso2.V2G_Message,
  nowS: number,
  validateOemChain?: ChainValidator,
): void {
  const req = message.Body.CertificateInstallationReq;
  if (!req) throw new PncError("FIELD", "Body: no CertificateInstallationReq");
  readCertFields(req.OEMProvisioningCert, "OEMProvisioningCert");
  checkSigned(message, req.OEMProvisioningCert, "CertificateInstallationReq");
  checkRoleCert(req.OEMProvisioningCert, "OEM", nowS, "OEMProvisioningCert");
  validateOemChain?.({ leaf: req.OEMProvisioningCert, subCas: [] }, nowS);
}

/**
 * CertificateUpdateReq: signed by the old contract key (`ContractSignatureCertChain/Certificate`), that
 * certificate valid at `nowS`, its CN the request's eMAID (separators stripped, case-insensitive, as
 * EVerest EvseV2G compares them); `validateContractChain` (optional) is the full path validation to an MO or
 * V2G root.
 */
export function checkUpdateReq(
  message: iso2.V2G_Message,
  nowS: number,
  validateContractChain?: ChainValidator,
): void {
  const req = message.Body.CertificateUpdateReq;
  if (!req) throw new PncError("FIELD", "Body: no CertificateUpdateReq");
  const leaf = req.ContractSignatureCertChain.Certificate;
  const c = readCertFields(leaf, "ContractSignatureCertChain.Certificate");
  checkSigned(message, leaf, "CertificateUpdateReq");
  if (nowS < c.notBeforeS || nowS > c.notAfterS)
    throw new PncError(
      "CERT_EXPIRED",
      `ContractSignatureCertChain.Certificate: not valid at ${new Date(nowS * 1000).toISOString()} (RFC 5280 §4.1.2.5)`,
    );
  const norm = (e: string | undefined) => (e ?? "").replace(/-/g, "").toUpperCase();
  const cn = nameValue(c.subject, "CN");
  if (norm(cn) !== norm(req.eMAID))
    throw new PncError(
      "CERT_CHAIN",
      `eMAID ${req.eMAID}: the contract certificate's CN is ${cn ?? "absent"}`,
    );
  validateContractChain?.(derChain(req.ContractSignatureCertChain), nowS);
}
