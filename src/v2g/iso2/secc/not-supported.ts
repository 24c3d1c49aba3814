/**
 * ISO 15118-2 Plug & Charge requests nacs does not serve until Contract payment lands: PaymentDetails
 * decodes and gets FAILED_PaymentSelectionInvalid with every mandatory field at a minimal schema-valid value.
 * (CertificateInstallation / CertificateUpdate: `certificate-installation.ts`, `certificate-update.ts`.)
 */
import type { SeccHandler } from "../../session/secc-protocol.js";
import { epochSeconds } from "../../session/secc-state.js";
import type { iso2 } from "./common.js";

/** PaymentDetailsReq: Contract payment is not offered. */
export const paymentDetails: SeccHandler = {
  name: "PaymentDetails",
  res: "PaymentDetailsRes",
  handle: (s, _req: iso2.PaymentDetailsReqType, ctx) => ({
    state: s,
    body: {
      ResponseCode: "FAILED_PaymentSelectionInvalid",
      GenChallenge: new Uint8Array(16),
      EVSETimeStamp: epochSeconds(s, ctx.tMs),
    } satisfies iso2.PaymentDetailsResType,
  }),
  failed: (s, code, tMs) =>
    ({
      ResponseCode: code as iso2.responseCodeType,
      GenChallenge: new Uint8Array(16),
      EVSETimeStamp: epochSeconds(s, tMs),
    }) satisfies iso2.PaymentDetailsResType,
};
