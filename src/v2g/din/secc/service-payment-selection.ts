/** DIN 70121 ServicePaymentSelectionReq → Res (digest §5.2 row 3): ExternalPayment and ServiceID 1 required. */
import { paymentSelectionCode } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { din } from "./common.js";

/** SECC handler of ServicePaymentSelectionReq. */
export const servicePaymentSelection: SeccHandler = {
  name: "PaymentSelection",
  res: "ServicePaymentSelectionRes",
  handle(s, req: din.ServicePaymentSelectionReqType) {
    const ids = req.SelectedServiceList.SelectedService.map((x) => x.ServiceID);
    const body: din.ServicePaymentSelectionResType = {
      ResponseCode: paymentSelectionCode(s, req.SelectedPaymentOption, ids),
    };
    return { state: s, body };
  },
  failed: (_s, code) => ({ ResponseCode: code as din.responseCodeType }),
};
