/**
 * ISO 15118-2 MeteringReceiptReq → MeteringReceiptRes (fields per EcoG-io/iso15118): the receipt's SessionID
 * must be the session's (FAILED_UnknownSession otherwise); the EIM receipt carries no signature to check. In
 * a Contract session a signature, when present, is verified with the contract leaf ([V2G2-904]; the EVCC
 * signs it, [V2G2-903]): FAILED_MeteringSignatureNotValid when it does not verify or does not cover the
 * receipt. Its MeterInfo must be the one of the response that asked for the receipt (as RISE-V2G and
 * EcoG-io/iso15118 check): FAILED_MeteringSignatureNotValid otherwise, signed or not.
 */
import type * as iso2codec from "../../../codecs/iso2/index.js";
import { verifySignature } from "../../pnc/xmldsig.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { sameId } from "../../session/session-id.js";
import { meterInfoDifference } from "../meter-info.js";
import { type iso2, isoAcStatus, isoDcStatus, sessionIsAc } from "./common.js";

function response(s: SeccState, code: iso2.responseCodeType): iso2.MeteringReceiptResType {
  return sessionIsAc(s)
    ? { ResponseCode: code, AC_EVSEStatus: isoAcStatus(s) }
    : { ResponseCode: code, DC_EVSEStatus: isoDcStatus(s) };
}

/** Contract session, signed receipt: why its signature is not valid (null: valid, or nothing to check). */
function signatureProblem(s: SeccState, m: iso2codec.V2G_Message | undefined): string | null {
  const leaf = s.payment?.option === "Contract" ? s.payment.contract?.leaf : undefined;
  if (!leaf || !m?.Header?.Signature) return null;
  const v = verifySignature(m, leaf);
  if (!v.ok) return `${v.error.code}: ${v.error.message}`;
  return v.references.some((r) => r.element === "MeteringReceiptReq")
    ? null
    : "the signature does not cover MeteringReceiptReq";
}

/** Why the receipt's MeterInfo is not the one asked to be signed (null: it is, or none was asked for). */
function meterProblem(s: SeccState, req: iso2.MeteringReceiptReqType): string | null {
  const mismatch = s.receiptMeter ? meterInfoDifference(req.MeterInfo, s.receiptMeter) : null;
  return mismatch && `MeterInfo is not the one to be signed (${mismatch})`;
}

/** SECC handler of MeteringReceiptReq. */
export const meteringReceipt: SeccHandler = {
  name: "MeteringReceipt",
  res: "MeteringReceiptRes",
  handle(s, req: iso2.MeteringReceiptReqType, ctx) {
    const why = signatureProblem(s, ctx.message as iso2codec.V2G_Message | undefined) ?? meterProblem(s, req);
    if (why)
      return {
        state: s,
        body: response(s, "FAILED_MeteringSignatureNotValid"),
        end: {
          reason: "metering-signature-invalid",
          detail: `MeteringReceiptRes FAILED_MeteringSignatureNotValid: ${why}`,
        },
      };
    return {
      state: { ...s, receiptMeter: null },
      body: response(s, sameId(req.SessionID, s.sessionId) ? "OK" : "FAILED_UnknownSession"),
    };
  },
  failed: (s, code) => response(s, code as iso2.responseCodeType),
};
