/**
 * ISO 15118-20 ServiceDetailReq (the service the EV chose from ServiceDiscoveryRes) / Res (parameter sets, read by parameter name, never by
 * position — digest §4.2).
 */
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { ISO20_SERVICE_DC } from "../../session/iso20-session.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of ServiceDetail. */
export const serviceDetail: EvccMessage = {
  name: "ServiceDetail",
  req: "ServiceDetailReq",
  res: "ServiceDetailRes",
  build: (s): Body<iso20Common.ServiceDetailReqType> => ({
    ServiceID: evcc20(s).serviceId ?? ISO20_SERVICE_DC,
  }),
  read: (r: iso20Common.ServiceDetailResType) => ({
    code: r.ResponseCode,
    evse: {
      parameterSets: r.ServiceParameterList.ParameterSet.map((p) => {
        const cm = p.Parameter.find((x) => x.Name === "ControlMode");
        const v = cm?.intValue ?? cm?.shortValue ?? cm?.byteValue;
        return v === undefined ? { id: p.ParameterSetID } : { id: p.ParameterSetID, controlMode: v };
      }),
    },
  }),
};
