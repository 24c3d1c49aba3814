/**
 * ISO 15118-20 ServiceDetailReq (the service the EV chose from ServiceDiscoveryRes) / Res (parameter sets, read by parameter name, never by
 * position: stacks order them differently).
 */
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { ISO20_SERVICE_DC } from "../../session/iso20-session.js";
import { rnum } from "../envelope.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of ServiceDetail. */
export const serviceDetail: EvccMessage = {
  name: "ServiceDetail",
  req: "ServiceDetailReq",
  res: "ServiceDetailRes",
  build: (s): Body<iso20Common.ServiceDetailReqType> => ({
    ServiceID: evcc20(s).serviceId ?? ISO20_SERVICE_DC,
  }),
  read: (r: iso20Common.ServiceDetailResType) => {
    const sets = r.ServiceParameterList.ParameterSet;
    // AC services: EVSENominalVoltage (libiso15118, Josev), the voltage at which -20 AC power becomes current
    const nominal = sets
      .map((p) => numberParam(p.Parameter.find((x) => x.Name === "EVSENominalVoltage")))
      .find((v) => v !== undefined && v > 0);
    return {
      code: r.ResponseCode,
      evse: {
        parameterSets: sets.map((p) => {
          const v = numberParam(p.Parameter.find((x) => x.Name === "ControlMode"));
          return v === undefined ? { id: p.ParameterSetID } : { id: p.ParameterSetID, controlMode: v };
        }),
        ...(nominal !== undefined && { acNominalVoltageV: nominal }),
      },
    };
  },
};

/** A parameter's numeric value, whichever of its value elements carries it (decode by name). */
function numberParam(p: iso20Common.ParameterType | undefined): number | undefined {
  if (!p) return undefined;
  if (p.rationalNumber) return rnum(p.rationalNumber);
  return p.intValue ?? p.shortValue ?? p.byteValue;
}
