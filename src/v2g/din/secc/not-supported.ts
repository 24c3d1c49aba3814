/**
 * DIN 70121 requests nacs does not serve yet: Plug & Charge (PaymentDetails, CertificateInstallation,
 * CertificateUpdate — until PnC lands) and AC (ChargingStatus, MeteringReceipt — DIN is DC
 * only here). They decode; PnC gets its "not supported" answer (PaymentDetails: FAILED_PaymentSelectionInvalid,
 * the certificate services: FAILED_NoCertificateAvailable), the AC ones are never in sequence for a DC session.
 * Every mandatory field is filled with a minimal valid value.
 */

import { acEvseStatus } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds } from "../../session/secc-state.js";
import { type din, dinEvseId } from "./common.js";

const EMPTY = new Uint8Array(0);

/** PaymentDetailsReq: only ExternalPayment is offered. */
export const paymentDetails: SeccHandler = {
  name: "PaymentDetails",
  res: "PaymentDetailsRes",
  handle: (s, _req: din.PaymentDetailsReqType, ctx) => ({
    state: s,
    body: {
      ResponseCode: "FAILED_PaymentSelectionInvalid",
      GenChallenge: "",
      DateTimeNow: epochSeconds(s, ctx.tMs),
    },
  }),
  failed: (s, code, tMs) =>
    ({
      ResponseCode: code as din.responseCodeType,
      GenChallenge: "",
      DateTimeNow: epochSeconds(s, tMs),
    }) satisfies din.PaymentDetailsResType,
};

function certRes(code: din.responseCodeType): din.CertificateInstallationResType {
  return {
    Id: "id1",
    ResponseCode: code,
    ContractSignatureCertChain: { Certificate: EMPTY },
    ContractSignatureEncryptedPrivateKey: EMPTY,
    DHParams: EMPTY,
    ContractID: "",
  };
}

/** CertificateInstallationReq: no certificate service. */
export const certificateInstallation: SeccHandler = {
  name: "CertificateInstallation",
  res: "CertificateInstallationRes",
  handle: (s, _req: din.CertificateInstallationReqType) => ({
    state: s,
    body: certRes("FAILED_NoCertificateAvailable"),
  }),
  failed: (_s, code) => certRes(code as din.responseCodeType),
};

/** CertificateUpdateReq: no certificate service. */
export const certificateUpdate: SeccHandler = {
  name: "CertificateUpdate",
  res: "CertificateUpdateRes",
  handle: (s, _req: din.CertificateUpdateReqType) => ({
    state: s,
    body: { ...certRes("FAILED_NoCertificateAvailable"), RetryCounter: 0 },
  }),
  failed: (_s, code) => ({ ...certRes(code as din.responseCodeType), RetryCounter: 0 }),
};

function acStatus(s: Parameters<typeof acEvseStatus>[0]): din.AC_EVSEStatusType {
  return { PowerSwitchClosed: s.contactors === "closed", ...acEvseStatus(s) };
}

/** ChargingStatusReq (AC): answered only with a FAILED code — never in sequence for DIN DC. */
export const chargingStatus: SeccHandler = {
  name: "ChargingStatus",
  res: "ChargingStatusRes",
  handle: (s) => ({ state: s, body: chargingStatusRes(s, "FAILED") }),
  failed: (s, code) => chargingStatusRes(s, code as din.responseCodeType),
};

function chargingStatusRes(
  s: Parameters<typeof acEvseStatus>[0],
  code: din.responseCodeType,
): din.ChargingStatusResType {
  return {
    ResponseCode: code,
    EVSEID: dinEvseId(s),
    SAScheduleTupleID: s.cfg.saScheduleTupleId,
    ReceiptRequired: false,
    AC_EVSEStatus: acStatus(s),
  };
}

/** MeteringReceiptReq (AC): answered only with a FAILED code — never in sequence for DIN DC. */
export const meteringReceipt: SeccHandler = {
  name: "MeteringReceipt",
  res: "MeteringReceiptRes",
  handle: (s) => ({ state: s, body: { ResponseCode: "FAILED", AC_EVSEStatus: acStatus(s) } }),
  failed: (s, code) => ({ ResponseCode: code as din.responseCodeType, AC_EVSEStatus: acStatus(s) }),
};
