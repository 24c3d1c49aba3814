/** DIN 70121 ServicePaymentSelectionReq / Res (fields per EcoG-io/iso15118): ExternalPayment, ServiceID 1. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { CHARGE_SERVICE_ID } from "../../session/secc-logic.js";
import type { din } from "./common.js";

/** EVCC side of ServicePaymentSelection. */
export const servicePaymentSelection: EvccMessage = {
  name: "PaymentSelection",
  req: "ServicePaymentSelectionReq",
  res: "ServicePaymentSelectionRes",
  build: (): din.ServicePaymentSelectionReqType => ({
    SelectedPaymentOption: "ExternalPayment",
    SelectedServiceList: { SelectedService: [{ ServiceID: CHARGE_SERVICE_ID }] },
  }),
  read: (r: din.ServicePaymentSelectionResType) => ({ code: r.ResponseCode }),
};
