/**
 * Signatures of a whole ISO 15118-2 session: which key verifies which signed message (ISO 15118-2 Plug &
 * Charge, "who signs what"), and the outcome for every message that carries a Header/Signature.
 *
 * | message | signer's certificate |
 * |---|---|
 * | CertificateInstallationReq | `OEMProvisioningCert` in the same body |
 * | CertificateUpdateReq | `ContractSignatureCertChain/Certificate` in the same body (the old contract) |
 * | CertificateInstallationRes / CertificateUpdateRes | `SAProvisioningCertificateChain/Certificate` (the CPS leaf) |
 * | AuthorizationReq, MeteringReceiptReq | the contract leaf of the session's PaymentDetailsReq |
 * | ChargeParameterDiscoveryRes (SalesTariff) | the MO Sub-CA 2 of that chain (its first SubCertificate) |
 *
 * Platform-neutral.
 */
import type * as iso2 from "../../codecs/iso2/index.js";
import { type VerifyResult, verifySignature, XmlDsigError } from "./xmldsig.js";

/** The outcome for one signed message of a session. */
export interface SignedMessageCheck {
  /** Index of the message in the session. */
  index: number;
  /** Body element name, e.g. `AuthorizationReq`. */
  body: string;
  /** Where the key came from (`PaymentDetailsReq contract leaf`, …), or undefined when none was seen. */
  keyFrom?: string;
  /** The Reference URIs of the signature. */
  references: string[];
  result: VerifyResult;
}

const bodyName = (m: iso2.V2G_Message): string => Object.keys(m.Body ?? {})[0] ?? "";

/** The signer's certificate of `m` (DER), looked up in `m` and in the earlier messages of its session. */
export function signerCertificate(
  m: iso2.V2G_Message,
  earlier: readonly iso2.V2G_Message[],
): { der: Uint8Array; from: string } | undefined {
  const b = m.Body;
  const name = bodyName(m);
  if (name === "CertificateInstallationReq" && b.CertificateInstallationReq)
    return { der: b.CertificateInstallationReq.OEMProvisioningCert, from: "OEMProvisioningCert" };
  if (name === "CertificateUpdateReq" && b.CertificateUpdateReq)
    return {
      der: b.CertificateUpdateReq.ContractSignatureCertChain.Certificate,
      from: "ContractSignatureCertChain leaf",
    };
  const res = b.CertificateInstallationRes ?? b.CertificateUpdateRes;
  if (res)
    return {
      der: res.SAProvisioningCertificateChain.Certificate,
      from: "SAProvisioningCertificateChain leaf",
    };
  // the contract chain of the latest PaymentDetailsReq before this message
  let chain: iso2.CertificateChainType | undefined;
  for (let i = earlier.length - 1; i >= 0 && !chain; i--)
    chain = earlier[i]!.Body?.PaymentDetailsReq?.ContractSignatureCertChain;
  if (!chain) return undefined;
  if (name === "ChargeParameterDiscoveryRes") {
    const sub = chain.SubCertificates?.Certificate[0];
    return sub ? { der: sub, from: "PaymentDetailsReq MO Sub-CA 2" } : undefined;
  }
  return { der: chain.Certificate, from: "PaymentDetailsReq contract leaf" };
}

/** Verify every message of one session (in order) that carries a Header/Signature. */
export function checkSessionSignatures(messages: readonly iso2.V2G_Message[]): SignedMessageCheck[] {
  const out: SignedMessageCheck[] = [];
  messages.forEach((m, index) => {
    const sig = m.Header?.Signature;
    if (!sig) return;
    const key = signerCertificate(m, messages.slice(0, index));
    const references = (sig.SignedInfo?.Reference ?? []).map((r) => r.URI ?? "");
    const result: VerifyResult = key
      ? verifySignature(m, key.der)
      : {
          ok: false,
          error: new XmlDsigError("SIG_KEY", `${bodyName(m)}: no signer certificate in this session`),
        };
    out.push({ index, body: bodyName(m), ...(key ? { keyFrom: key.from } : {}), references, result });
  });
  return out;
}
