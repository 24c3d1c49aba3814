/**
 * ISO 15118-20 ServiceSelectionReq → Res: the energy service must have been offered
 * (FAILED_NoEnergyTransferServiceSelected), the parameter set one of its sets and no value-added service asked
 * for (FAILED_ServiceSelectionInvalid). The set fixes the control mode of the session.
 */
import { ISO20_CONTROL_MODE_VALUE, type Iso20ControlMode } from "../../session/iso20-session.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { type Body, type iso20Common, session20, with20 } from "./common.js";
import { parameterSets } from "./service-detail.js";

const res = (code: iso20Common.responseCodeType): Body<iso20Common.ServiceSelectionResType> => ({
  ResponseCode: code,
});

/** SECC handler of ServiceSelectionReq (neutral name PaymentSelection). */
export const serviceSelection: SeccHandler = {
  name: "PaymentSelection",
  res: "ServiceSelectionRes",
  handle(s, req: iso20Common.ServiceSelectionReqType) {
    const sel = req.SelectedEnergyTransferService;
    if (!session20(s).offeredServices.includes(sel.ServiceID))
      return { state: s, body: res("FAILED_NoEnergyTransferServiceSelected") };
    const set = parameterSets(s, sel.ServiceID).find((p) => p.ParameterSetID === sel.ParameterSetID);
    if (!set || req.SelectedVASList) return { state: s, body: res("FAILED_ServiceSelectionInvalid") };
    const cm = set.Parameter.find((p) => p.Name === "ControlMode")?.intValue;
    const controlMode: Iso20ControlMode = cm === ISO20_CONTROL_MODE_VALUE.dynamic ? "dynamic" : "scheduled";
    const st = with20(s, { serviceId: sel.ServiceID, parameterSetId: sel.ParameterSetID, controlMode });
    return { state: st, body: res("OK") };
  },
  failed: (_s, code) => res(code as iso20Common.responseCodeType),
};
