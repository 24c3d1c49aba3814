/**
 * ISO 15118-20 ServiceDetailReq → Res (as in libiso15118, Josev): a service's parameter sets, one
 * per configured control mode (by default set 1 Scheduled, set 2 Dynamic). DC: Connector 2 (Extended),
 * ControlMode, MobilityNeedsMode 1, Pricing 0; AC: the same with the AC Connector and EVSENominalVoltage;
 * the BPT services add BPTChannel 1 (Unified) and GeneratorMode 1 (GridFollowing). A service not offered →
 * FAILED_ServiceIDInvalid ([V2G20-464]).
 */
import {
  ISO20_BPT_CHANNEL_UNIFIED,
  ISO20_CONTROL_MODE_VALUE,
  ISO20_DC_CONNECTOR_EXTENDED,
  ISO20_GENERATOR_MODE_GRID_FOLLOWING,
  ISO20_MOBILITY_NEEDS_EVCC,
  ISO20_PRICING_NONE,
  ISO20_SERVICE_DC,
  isAcService,
  isBptService,
} from "../../session/iso20-session.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type Body, type iso20Common, session20 } from "./common.js";

/** AC Connector parameter: 1 single-phase (Josev enums.py, libiso15118). */
export const ISO20_AC_CONNECTOR_SINGLE_PHASE = 1;
/**
 * AC Connector parameter for three phases: 2 in Josev (citing Table 205), 3 in libiso15118 — sources disagree
 * (unconfirmed); we send 2 and accept either.
 */
export const ISO20_AC_CONNECTOR_THREE_PHASE = 2;

type Param = iso20Common.ParameterType;

function connectorParams(s: SeccState, serviceId: number): Param[] {
  if (!isAcService(serviceId)) return [{ Name: "Connector", intValue: ISO20_DC_CONNECTOR_EXTENDED }];
  const three = s.cfg.energyModes.includes("AC_three_phase_core");
  return [
    { Name: "Connector", intValue: three ? ISO20_AC_CONNECTOR_THREE_PHASE : ISO20_AC_CONNECTOR_SINGLE_PHASE },
    { Name: "EVSENominalVoltage", intValue: Math.round(s.readings.ac.nominalVoltageV) },
  ];
}

/**
 * The parameter sets of `serviceId`: one per configured control mode, numbered 1, 2, … in the configured
 * order (default set 1 Scheduled, set 2 Dynamic; set IDs are any unsignedShort in the ISO 15118-20 XSD).
 */
export function parameterSets(
  s: SeccState,
  serviceId: number = ISO20_SERVICE_DC,
): iso20Common.ParameterSetType[] {
  const bpt: Param[] = isBptService(serviceId)
    ? [
        { Name: "BPTChannel", intValue: ISO20_BPT_CHANNEL_UNIFIED },
        { Name: "GeneratorMode", intValue: ISO20_GENERATOR_MODE_GRID_FOLLOWING },
      ]
    : [];
  return s.cfg.iso20ControlModes.map((mode, i) => ({
    ParameterSetID: i + 1,
    Parameter: [
      ...connectorParams(s, serviceId),
      { Name: "ControlMode", intValue: ISO20_CONTROL_MODE_VALUE[mode] },
      { Name: "MobilityNeedsMode", intValue: ISO20_MOBILITY_NEEDS_EVCC },
      { Name: "Pricing", intValue: ISO20_PRICING_NONE },
      ...bpt,
    ],
  }));
}

function response(s: SeccState, code: iso20Common.responseCodeType, serviceId: number) {
  const body: Body<iso20Common.ServiceDetailResType> = {
    ResponseCode: code,
    ServiceID: serviceId,
    ServiceParameterList: { ParameterSet: parameterSets(s, serviceId) },
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
