/**
 * DIN 70121 ServicePaymentSelectionReq → Res (fields per EcoG-io/iso15118): ExternalPayment and ServiceID 1
 * required; a ServiceID never offered (DIN offers the charge service only) → FAILED_ServiceSelectionInvalid.
 */
import { CHARGE_SERVICE_ID, paymentSelectionCode, unofferedService } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { din } from "./common.js";

/** SECC handler of ServicePaymentSelectionReq. */
export const servicePaymentSelection: SeccHandler = {
  name: "PaymentSelection",
  res: "ServicePaymentSelectionRes",
  handle(s, req: din.ServicePaymentSelectionReqType) {
    const ids = req.SelectedServiceList.SelectedService.map((x) => x.ServiceID);
    let code: din.responseCodeType = paymentSelectionCode(s, req.SelectedPaymentOption, ids);
    if (code === "OK" && unofferedService(ids, [CHARGE_SERVICE_ID]) !== null)
      code = "FAILED_ServiceSelectionInvalid";
    const body: din.ServicePaymentSelectionResType = { ResponseCode: code };
    return { state: s, body };
  },
  failed: (_s, code) => ({ ResponseCode: code as din.responseCodeType }),
};
