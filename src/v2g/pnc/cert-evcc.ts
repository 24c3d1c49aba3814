/**
 * The EVCC side of ISO 15118-2 CertificateInstallation / CertificateUpdate (as the RISE-V2G and
 * EcoG-io/iso15118 EVCCs do): the requests (signed with the OEM provisioning key / the old contract key over
 * the whole request element) and the acceptance of a response: the 4 References and the signature with the
 * CPS leaf of `SAProvisioningCertificateChain`, that leaf valid with DC=CPS ([V2G2-891]), the host's chain
 * validator (a seam), the envelope opened with the receiver key and the [V2G2-823] key check. Any failure is
 * a {@link PncError}: the caller discards the message ([V2G2-891]). Platform-neutral.
 */
import type * as iso2 from "../../codecs/iso2/index.js";
import { type ChainValidator, checkRoleCert, readCertFields, rfc4514 } from "./cert-fields.js";
import { chainElement, derChain } from "./cps.js";
import { decryptContractKey, EnvelopeError } from "./envelope.js";
import type { InstalledContract } from "./installed-contract.js";
import { PncError } from "./pnc-errors.js";
import { signFragments, verifySignature } from "./xmldsig.js";

/** Id of the signed request element (short, [V2G2-909] profile; `id1` as EcoG-io/iso15118 uses). */
export const EVCC_REQUEST_ID = "id1";

/** A V2G root the EVCC trusts, as a DER certificate. */
export type RootCertificate = Uint8Array;

/**
 * ListOfRootCertificateIDs from the EVCC's V2G roots: X509IssuerName = the root's issuer (its subject) as an
 * RFC 4514 string, most specific RDN first (as in the dsV2Gshark PnC captures), X509SerialNumber as a BigInt.
 * 1–20 entries (XSD).
 */
export function rootCertificateIds(roots: readonly RootCertificate[]): iso2.ListOfRootCertificateIDsType {
  if (roots.length === 0 || roots.length > 20)
    throw new PncError("FIELD", `ListOfRootCertificateIDs: ${roots.length} roots, 1 to 20 allowed (XSD)`);
  return {
    RootCertificateID: roots.map((r, i) => {
      const c = readCertFields(r, `roots[${i}]`);
      return { X509IssuerName: rfc4514(c.issuer), X509SerialNumber: c.serial };
    }),
  };
}

/** The CertificateInstallationReq body (unsigned). */
export function installationReqBody(
  oemCert: Uint8Array,
  roots: readonly RootCertificate[],
): iso2.CertificateInstallationReqType {
  return {
    Id: EVCC_REQUEST_ID,
    OEMProvisioningCert: oemCert,
    ListOfRootCertificateIDs: rootCertificateIds(roots),
  };
}

/** The CertificateUpdateReq body (unsigned): the old contract chain and its eMAID without separators. */
export function updateReqBody(
  old: InstalledContract,
  roots: readonly RootCertificate[],
): iso2.CertificateUpdateReqType {
  return {
    Id: EVCC_REQUEST_ID,
    ContractSignatureCertChain: chainElement(old.chain),
    eMAID: old.emaid.replace(/-/g, ""),
    ListOfRootCertificateIDs: rootCertificateIds(roots),
  };
}

/** CertificateInstallationReq and its header Signature (OEM provisioning key). */
export function buildInstallationReq(
  oemCert: Uint8Array,
  oemPrivateKey: Uint8Array,
  roots: readonly RootCertificate[],
): { body: iso2.CertificateInstallationReqType; signature: iso2.SignatureType } {
  const body = installationReqBody(oemCert, roots);
  return { body, signature: signFragments([{ CertificateInstallationReq: body }], oemPrivateKey) };
}

/** CertificateUpdateReq and its header Signature (old contract key). */
export function buildUpdateReq(
  old: InstalledContract,
  roots: readonly RootCertificate[],
): { body: iso2.CertificateUpdateReqType; signature: iso2.SignatureType } {
  const body = updateReqBody(old, roots);
  return { body, signature: signFragments([{ CertificateUpdateReq: body }], old.privateKey) };
}

/**
 * Accept a CertificateInstallationRes / CertificateUpdateRes (the whole V2G_Message): `receiverPrivateKey`
 * is the OEM provisioning key (installation) or the old contract key (update); `sessionId`, when given, must
 * be the header's (the signature does not cover the header). Returns the new contract.
 */
export function acceptCertRes(
  message: iso2.V2G_Message,
  receiverPrivateKey: Uint8Array,
  nowS: number,
  validateCpsChain?: ChainValidator,
  sessionId?: Uint8Array,
): InstalledContract {
  const res = message.Body.CertificateInstallationRes ?? message.Body.CertificateUpdateRes;
  const name = message.Body.CertificateInstallationRes
    ? "CertificateInstallationRes"
    : "CertificateUpdateRes";
  if (!res) throw new PncError("FIELD", "Body: no CertificateInstallationRes / CertificateUpdateRes");
  // The ResponseCode lies outside the signed fragments; "OK" is the only success code ISO 15118-2 defines
  // for these responses (OK_NewSessionEstablished / OK_OldSessionJoined belong to SessionSetupRes,
  // OK_CertificateExpiresSoon to PaymentDetailsRes), so any other value is a failure.
  if (res.ResponseCode !== "OK")
    throw new PncError("FIELD", `${name}.ResponseCode: ${res.ResponseCode}, no contract delivered`);
  const sid = message.Header.SessionID;
  if (sessionId && (sid.length !== sessionId.length || sid.some((b, i) => b !== sessionId[i])))
    throw new PncError("FIELD", "Header.SessionID: not the session's");
  const cps = res.SAProvisioningCertificateChain.Certificate;
  readCertFields(cps, "SAProvisioningCertificateChain.Certificate");
  const v = verifySignature(message, cps);
  if (!v.ok)
    throw new PncError("SIGNATURE", `${name}: ${v.error.message} (${v.error.code}, [V2G2-891])`, {
      cause: v.error,
    });
  checkRoleCert(cps, "CPS", nowS, "SAProvisioningCertificateChain.Certificate");
  validateCpsChain?.(derChain(res.SAProvisioningCertificateChain), nowS);
  const leaf = readCertFields(
    res.ContractSignatureCertChain.Certificate,
    "ContractSignatureCertChain.Certificate",
  );
  let privateKey: Uint8Array;
  try {
    privateKey = decryptContractKey({
      dhPublicKey: res.DHpublickey.CONTENT,
      encryptedPrivateKey: res.ContractSignatureEncryptedPrivateKey.CONTENT,
      receiverPrivateKey,
      expectedPublicKey: leaf.publicKey,
    });
  } catch (err) {
    if (!(err instanceof EnvelopeError)) throw err;
    throw new PncError("ENVELOPE", `${name}.${err.message}`, { cause: err });
  }
  return {
    chain: derChain(res.ContractSignatureCertChain),
    privateKey,
    emaid: res.eMAID.CONTENT,
    notAfterS: leaf.notAfterS,
    installedAtS: nowS,
  };
}
