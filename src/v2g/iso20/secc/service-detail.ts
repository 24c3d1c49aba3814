/**
 * ISO 15118-20 ServiceDetailReq → Res (ISO 15118-20 digest §3.3, §4.2/§4.3): the DC service's parameter sets,
 * one per configured control mode (by default set 1 Scheduled, set 2 Dynamic) with Connector 2 (Extended), ControlMode,
 * MobilityNeedsMode 1, Pricing 0; a service not offered → FAILED_ServiceIDInvalid ([V2G20-464]).
 */
import {
  ISO20_CONTROL_MODE_VALUE,
  ISO20_DC_CONNECTOR_EXTENDED,
  ISO20_MOBILITY_NEEDS_EVCC,
  ISO20_PRICING_NONE,
  ISO20_SERVICE_DC,
} from "../../session/iso20-session.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type Body, type iso20Common, session20 } from "./common.js";

/**
 * The DC service's parameter sets: one per configured control mode, numbered 1, 2, … in the configured order
 * (default set 1 Scheduled, set 2 Dynamic; set IDs are any unsignedShort, digest §3.3).
 */
export function dcParameterSets(s: SeccState): iso20Common.ParameterSetType[] {
  return s.cfg.iso20ControlModes.map((mode, i) => ({
    ParameterSetID: i + 1,
    Parameter: [
      { Name: "Connector", intValue: ISO20_DC_CONNECTOR_EXTENDED },
      { Name: "ControlMode", intValue: ISO20_CONTROL_MODE_VALUE[mode] },
      { Name: "MobilityNeedsMode", intValue: ISO20_MOBILITY_NEEDS_EVCC },
      { Name: "Pricing", intValue: ISO20_PRICING_NONE },
    ],
  }));
}

function response(s: SeccState, code: iso20Common.responseCodeType, serviceId: number) {
  const body: Body<iso20Common.ServiceDetailResType> = {
    ResponseCode: code,
    ServiceID: serviceId,
    ServiceParameterList: { ParameterSet: dcParameterSets(s) },
  };
  return body;
}

/** SECC handler of ServiceDetailReq. */
export const serviceDetail: SeccHandler = {
  name: "ServiceDetail",
  res: "ServiceDetailRes",
  handle(s, req: iso20Common.ServiceDetailReqType) {
    const ok = session20(s).offeredServices.includes(req.ServiceID);
    return { state: s, body: response(s, ok ? "OK" : "FAILED_ServiceIDInvalid", req.ServiceID) };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType, ISO20_SERVICE_DC),
};
