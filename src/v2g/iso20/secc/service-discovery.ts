/**
 * ISO 15118-20 ServiceDiscoveryReq → Res (ISO 15118-20 digest §3.3): the DC energy service (ServiceID 2) when a
 * DC mode is configured; no service renegotiation, no value-added services. The EV must be authorised first
 * (an EIM rejection answered WARNING_EIMAuthorizationFailure leaves it unauthorised → FAILED).
 */
import { ISO20_SERVICE_DC } from "../../session/iso20-session.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import { type Body, type iso20Common, session20, with20 } from "./common.js";

/** Energy services this SECC offers: DC (2) when a DC mode is configured. */
export function offeredServices(s: SeccState): number[] {
  return s.cfg.energyModes.some((m) => m.startsWith("DC")) ? [ISO20_SERVICE_DC] : [];
}

function response(s: SeccState, code: iso20Common.responseCodeType) {
  const services = offeredServices(s);
  const body: Body<iso20Common.ServiceDiscoveryResType> = {
    ResponseCode: code,
    ServiceRenegotiationSupported: false,
    EnergyTransferServiceList: {
      Service: (services.length ? services : [ISO20_SERVICE_DC]).map((id) => ({
        ServiceID: id,
        FreeService: s.cfg.freeService,
      })),
    },
  };
  return body;
}

/** SECC handler of ServiceDiscoveryReq. */
export const serviceDiscovery: SeccHandler = {
  name: "ServiceDiscovery",
  res: "ServiceDiscoveryRes",
  handle(s, _req: iso20Common.ServiceDiscoveryReqType) {
    if (!session20(s).authorized) return { state: s, body: response(s, "FAILED") };
    const services = offeredServices(s);
    if (services.length === 0) return { state: s, body: response(s, "FAILED") };
    return { state: with20(s, { offeredServices: services }), body: response(s, "OK") };
  },
  failed: (s, code) => response(s, code as iso20Common.responseCodeType),
};
