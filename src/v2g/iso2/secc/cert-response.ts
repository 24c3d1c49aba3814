/**
 * Shared by the ISO 15118-2 CertificateInstallation / CertificateUpdate handlers: the FAILED response with
 * schema-valid placeholders in every mandatory field ([V2G2-736]) and the mapping of a refused request to
 * its ResponseCode (as the RISE-V2G and EcoG-io/iso15118 SECCs answer).
 */
import { PncError } from "../../pnc/pnc-errors.js";
import { refusalOf } from "../../session/secc-cert-forward.js";
import type { SeccOutcome } from "../../session/secc-protocol.js";
import { providesCertificates, type SeccState } from "../../session/secc-state.js";
import type { iso2 } from "./common.js";

const EMPTY = new Uint8Array(0);
/** Placeholder eMAID (the schema asks for 14–15 characters). */
const NO_EMAID = "ZZ000000000000";

/** A FAILED CertificateInstallationRes / CertificateUpdateRes body. */
export function failedCertRes(code: iso2.responseCodeType): iso2.CertificateInstallationResType {
  return {
    ResponseCode: code,
    SAProvisioningCertificateChain: { Certificate: EMPTY },
    ContractSignatureCertChain: { Certificate: EMPTY },
    ContractSignatureEncryptedPrivateKey: { Id: "id1", CONTENT: EMPTY },
    DHpublickey: { Id: "id2", CONTENT: EMPTY },
    eMAID: { Id: "id3", CONTENT: NO_EMAID },
  };
}

/** The request's V2G_Message from the handler context. */
export function requestMessage(message: unknown, element: string): iso2.V2G_Message {
  const m = message as iso2.V2G_Message | undefined;
  if (!m?.Body) throw new PncError("FIELD", `${element}: no V2G_Message in the handler context`);
  return m;
}

/**
 * Run the SECC's checks, then the local CPS, or hand the request to the backend when the CPS is reached
 * through it (`cfg.cpsBackend`: OCPP 2.0.1 Get15118EVCertificate; the SECC core forwards the request's EXI
 * and relays the answer). A PncError becomes its FAILED code and ends the session with
 * `certificate-installation-refused` / `certificate-update-refused` (the detail names the code, the field and
 * the rule); other errors propagate (bugs).
 */
export function certOutcome(
  s: SeccState,
  element: "CertificateInstallationReq" | "CertificateUpdateReq",
  check: () => void,
  local: () => { body: { ResponseCode: string }; signature: iso2.SignatureType },
): SeccOutcome {
  // OCPP's CertificateActionEnumType of the request
  const action = element === "CertificateUpdateReq" ? "Update" : "Install";
  if (!providesCertificates(s)) return { state: s, body: failedCertRes("FAILED_NoCertificateAvailable") };
  if (s.payment?.option !== "Contract")
    return {
      state: s,
      body: failedCertRes("FAILED"),
      end: { reason: "failed-response", detail: `${element}: Contract payment was not selected` },
    };
  try {
    check();
    // the backend answers: the body here is only what is sent if it cannot be asked
    if (s.cfg.cpsBackend)
      return {
        state: s,
        body: failedCertRes("FAILED_NoCertificateAvailable"),
        forward: action,
      };
    const r = local();
    return { state: s, body: r.body, signature: r.signature };
  } catch (err) {
    if (!(err instanceof PncError)) throw err;
    const code = err.responseCode as iso2.responseCodeType;
    const reason = refusalOf(action);
    return {
      state: s,
      body: failedCertRes(code),
      end: { reason, detail: `${element} ${code}: ${err.message}` },
    };
  }
}
