/** ISO 15118-20 ServiceSelectionReq (the chosen service, the parameter set of the EV's control mode) / Res. */
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { ISO20_SERVICE_DC } from "../../session/iso20-session.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of ServiceSelection (neutral name PaymentSelection). */
export const serviceSelection: EvccMessage = {
  name: "PaymentSelection",
  req: "ServiceSelectionReq",
  res: "ServiceSelectionRes",
  build: (s): Body<iso20Common.ServiceSelectionReqType> => ({
    SelectedEnergyTransferService: {
      ServiceID: evcc20(s).serviceId ?? ISO20_SERVICE_DC,
      ParameterSetID: evcc20(s).parameterSetId ?? 0,
    },
  }),
  read: (r: iso20Common.ServiceSelectionResType) => ({ code: r.ResponseCode }),
};
