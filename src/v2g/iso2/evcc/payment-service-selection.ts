/** ISO 15118-2 PaymentServiceSelectionReq (ExternalPayment or Contract, ServiceID 1) / Res, digest §5.2 row 3. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { CHARGE_SERVICE_ID } from "../../session/secc-logic.js";
import type { iso2 } from "./common.js";

/** EVCC side of PaymentServiceSelection. */
export const paymentServiceSelection: EvccMessage = {
  name: "PaymentSelection",
  req: "PaymentServiceSelectionReq",
  res: "PaymentServiceSelectionRes",
  build: (s): iso2.PaymentServiceSelectionReqType => ({
    SelectedPaymentOption: s.payment ?? "ExternalPayment",
    SelectedServiceList: { SelectedService: [{ ServiceID: CHARGE_SERVICE_ID }] },
  }),
  read: (r: iso2.PaymentServiceSelectionResType) => ({ code: r.ResponseCode }),
};
