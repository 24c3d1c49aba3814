/**
 * The test CSMS as the Certificate Provisioning Service behind it (OCPP 2.0.1 M01 / M02
 * Get15118EVCertificate; OCPP 1.6J the same in a DataTransfer of vendorId
 * "org.openchargealliance.iso15118pnc", Open Charge Alliance "Using ISO 15118 Plug & Charge with OCPP 1.6"):
 * the exiRequest is the EV's ISO 15118-2 V2G_Message; the CPS checks it as a CPS does (the request
 * signature with the OEM provisioning certificate or the old contract, validity) and answers with the
 * CertificateInstallationRes / CertificateUpdateRes V2G_Message (same SessionID, signed by the CPS leaf),
 * or the same response with the FAILED code the check gave. A request that is not ISO 15118-2 EXI of the
 * action named is "Failed" with the reason.
 */
import * as iso2 from "../../codecs/iso2/index.js";
import { base64ToBytes, bytesToBase64 } from "../../exi/hex.js";
import { NS_ISO_15118_2 } from "../../v2g/handshake/namespaces.js";
import { failedCertRes } from "../../v2g/iso2/secc/cert-response.js";
import { checkInstallationReq, checkUpdateReq } from "../../v2g/pnc/cert-requests.js";
import type { LocalCps } from "../../v2g/pnc/cps.js";
import { PncError } from "../../v2g/pnc/pnc-errors.js";

/** What the CPS answered, for the record. */
export interface CsmsCertificateOutcome {
  response: Record<string, unknown>;
  detail: string;
}

const failed = (reasonCode: string, detail: string): CsmsCertificateOutcome => ({
  response: {
    status: "Failed",
    statusInfo: { reasonCode, additionalInfo: detail.slice(0, 512) },
    exiResponse: "",
  },
  detail,
});

/** Answer a Get15118EVCertificateRequest `p` with `cps` at Unix time `nowS`. */
export function answerEvCertificate(
  cps: LocalCps,
  p: Record<string, unknown>,
  nowS: number,
): CsmsCertificateOutcome {
  if (p.iso15118SchemaVersion !== NS_ISO_15118_2)
    return failed(
      "UnsupportedSchema",
      `iso15118SchemaVersion ${String(p.iso15118SchemaVersion)}: only ${NS_ISO_15118_2}`,
    );
  let message: iso2.V2G_Message;
  try {
    message = iso2.decode(base64ToBytes(String(p.exiRequest)));
  } catch (err) {
    return failed("InvalidEXI", `exiRequest: not ISO 15118-2 EXI: ${(err as Error).message}`);
  }
  const update = p.action === "Update";
  const element = update ? "CertificateUpdateReq" : "CertificateInstallationReq";
  const resElement = update ? "CertificateUpdateRes" : "CertificateInstallationRes";
  if (!message.Body[element])
    return failed("InvalidEXI", `exiRequest: action ${String(p.action)} needs a ${element}`);
  let body: unknown;
  let signature: iso2.SignatureType | undefined;
  let detail: string;
  try {
    if (update) {
      checkUpdateReq(message, nowS);
      const a = cps.update(message.Body.CertificateUpdateReq!);
      [body, signature, detail] = [a.body, a.signature, `contract ${a.contract.emaid} (update)`];
    } else {
      checkInstallationReq(message, nowS);
      const a = cps.install(message.Body.CertificateInstallationReq!);
      [body, signature, detail] = [a.body, a.signature, `contract ${a.contract.emaid}`];
    }
  } catch (err) {
    if (!(err instanceof PncError)) throw err;
    body = failedCertRes(err.responseCode as iso2.responseCodeType);
    detail = `${err.responseCode}: ${err.message}`;
  }
  const Header = { SessionID: message.Header.SessionID, ...(signature && { Signature: signature }) };
  const exi = iso2.encode({ Header, Body: { [resElement]: body } } as iso2.V2G_Message);
  return { response: { status: "Accepted", exiResponse: bytesToBase64(exi) }, detail };
}
