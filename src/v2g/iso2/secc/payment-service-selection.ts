/**
 * ISO 15118-2 PaymentServiceSelectionReq → Res (digest §5.2 row 3): the option must be offered
 * (FAILED_PaymentSelectionInvalid) and the charge service selected (FAILED_NoChargeServiceSelected). The
 * chosen option is kept for PaymentDetails / Authorization / MeteringReceipt.
 */
import { paymentSelectionCode } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { iso2 } from "./common.js";

/** SECC handler of PaymentServiceSelectionReq. */
export const paymentServiceSelection: SeccHandler = {
  name: "PaymentSelection",
  res: "PaymentServiceSelectionRes",
  handle(s, req: iso2.PaymentServiceSelectionReqType) {
    const ids = req.SelectedServiceList.SelectedService.map((x) => x.ServiceID);
    const c = paymentSelectionCode(s, req.SelectedPaymentOption, ids);
    const body: iso2.PaymentServiceSelectionResType = {
      ResponseCode: c === "FAILED_ServiceSelectionInvalid" ? "FAILED_NoChargeServiceSelected" : c,
    };
    const option = req.SelectedPaymentOption === "Contract" ? "Contract" : "ExternalPayment";
    return { state: c === "OK" ? { ...s, payment: { option } } : s, body };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso2.responseCodeType }),
};
