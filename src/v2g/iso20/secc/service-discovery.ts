/**
 * ISO 15118-20 ServiceDiscoveryReq → Res (service IDs of ISO 15118-20 Table 204): the energy services of
 * the configured
 * modes — DC (2) for a DC mode, AC (1) for an AC mode, and with `bidirectional` also DC_BPT (6) / AC_BPT (5);
 * no service renegotiation, no value-added services. The EV must be authorised first (an EIM rejection
 * answered WARNING_EIMAuthorizationFailure leaves it unauthorised → FAILED).
 */
import { ISO20_SERVICE } from "../../session/iso20-session.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { isAcMode, type SeccState } from "../../session/secc-state.js";
import { type Body, type iso20Common, session20, with20 } from "./common.js";
import { ISO20_SERVICE_RENEGOTIATION_SUPPORTED } from "./unsupported.js";

/** Energy services this SECC offers, in ServiceID order. */
export function offeredServices(s: SeccState): number[] {
  const dc = s.cfg.energyModes.some((m) => m.startsWith("DC"));
  const ac = s.cfg.energyModes.some((m) => isAcMode(m));
  const bpt = s.cfg.bidirectional;
  const ids: number[] = [];
  if (ac) ids.push(ISO20_SERVICE.AC);
  if (dc) ids.push(ISO20_SERVICE.DC);
  if (ac && bpt) ids.push(ISO20_SERVICE.AC_BPT);
  if (dc && bpt) ids.push(ISO20_SERVICE.DC_BPT);
  return ids;
}

function response(s: SeccState, code: iso20Common.responseCodeType) {
  const services = offeredServices(s);
  const body: Body<iso20Common.ServiceDiscoveryResType> = {
    ResponseCode: code,
    ServiceRenegotiationSupported: ISO20_SERVICE_RENEGOTIATION_SUPPORTED,
    EnergyTransferServiceList: {
      Service: (services.length ? services : [ISO20_SERVICE.DC]).map((id) => ({
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
