/**
 * ISO 15118-2 PaymentServiceSelectionReq → Res (fields per EcoG-io/iso15118): the option must be offered
 * (FAILED_PaymentSelectionInvalid) and the charge service selected (FAILED_NoChargeServiceSelected); a
 * ContractCertificate selection (ServiceID 2) needs a configured CPS, Contract payment and parameter set 1
 * or 2 (FAILED_ServiceSelectionInvalid, as EVerest answers an unsupported set); any other ServiceID was never
 * offered (FAILED_ServiceSelectionInvalid). The chosen option is kept for the certificate services,
 * PaymentDetails, Authorization and MeteringReceipt.
 */

import { CONTRACT_CERTIFICATE_SERVICE_ID, CONTRACT_CERTIFICATE_SET } from "../../pnc/cps.js";
import { CHARGE_SERVICE_ID, paymentSelectionCode, unofferedService } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { providesCertificates } from "../../session/secc-state.js";
import type { iso2 } from "./common.js";

const SETS: readonly number[] = [CONTRACT_CERTIFICATE_SET.install, CONTRACT_CERTIFICATE_SET.update];

/** SECC handler of PaymentServiceSelectionReq. */
export const paymentServiceSelection: SeccHandler = {
  name: "PaymentSelection",
  res: "PaymentServiceSelectionRes",
  handle(s, req: iso2.PaymentServiceSelectionReqType) {
    const selected = req.SelectedServiceList.SelectedService;
    const ids = selected.map((x) => x.ServiceID);
    let c: iso2.responseCodeType = paymentSelectionCode(s, req.SelectedPaymentOption, ids);
    if (c === "FAILED_ServiceSelectionInvalid") c = "FAILED_NoChargeServiceSelected";
    const badExtra = selected.some(
      (x) =>
        x.ServiceID === CONTRACT_CERTIFICATE_SERVICE_ID &&
        (!providesCertificates(s) ||
          req.SelectedPaymentOption !== "Contract" ||
          !SETS.includes(x.ParameterSetID ?? -1)),
    );
    if (c === "OK" && badExtra) c = "FAILED_ServiceSelectionInvalid";
    // a ServiceID ServiceDiscoveryRes did not offer (the charge service, the ContractCertificate service with a CPS)
    const offered = [
      CHARGE_SERVICE_ID,
      ...(providesCertificates(s) ? [CONTRACT_CERTIFICATE_SERVICE_ID] : []),
    ];
    if (c === "OK" && unofferedService(ids, offered) !== null) c = "FAILED_ServiceSelectionInvalid";
    const body: iso2.PaymentServiceSelectionResType = { ResponseCode: c };
    const option = req.SelectedPaymentOption === "Contract" ? "Contract" : "ExternalPayment";
    return { state: c === "OK" ? { ...s, payment: { option } } : s, body };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso2.responseCodeType }),
};
