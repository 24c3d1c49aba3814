/**
 * ISO 15118-2 PaymentServiceSelectionReq / Res (fields per EcoG-io/iso15118): ExternalPayment with the charge
 * service (ServiceID 1); with Plug & Charge, Contract, plus the ContractCertificate service (ServiceID 2)
 * with parameter set 1 (Installation) or 2 (Update) when one follows (as RISE-V2G's EVCC selects it).
 */
import { CONTRACT_CERTIFICATE_SERVICE_ID, CONTRACT_CERTIFICATE_SET } from "../../pnc/cps.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { CHARGE_SERVICE_ID } from "../../session/secc-logic.js";
import type { iso2 } from "./common.js";

/** EVCC side of PaymentServiceSelection. */
export const paymentServiceSelection: EvccMessage = {
  name: "PaymentSelection",
  req: "PaymentServiceSelectionReq",
  res: "PaymentServiceSelectionRes",
  build: (s): iso2.PaymentServiceSelectionReqType => {
    const action = s.pnc?.action ?? null;
    const selected: iso2.SelectedServiceType[] = [{ ServiceID: CHARGE_SERVICE_ID }];
    if (action)
      selected.push({
        ServiceID: CONTRACT_CERTIFICATE_SERVICE_ID,
        ParameterSetID: CONTRACT_CERTIFICATE_SET[action],
      });
    return {
      SelectedPaymentOption: s.payment ?? "ExternalPayment",
      SelectedServiceList: { SelectedService: selected },
    };
  },
  read: (r: iso2.PaymentServiceSelectionResType) => ({ code: r.ResponseCode }),
};
