/** ISO 15118-20 ServiceDiscoveryReq / Res (EnergyTransferServiceList), digest §3.3. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { ISO20_SERVICE_DC } from "../../session/iso20-session.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of ServiceDiscovery. */
export const serviceDiscovery: EvccMessage = {
  name: "ServiceDiscovery",
  req: "ServiceDiscoveryReq",
  res: "ServiceDiscoveryRes",
  build: (): Body<iso20Common.ServiceDiscoveryReqType> => ({}),
  read(r: iso20Common.ServiceDiscoveryResType) {
    const services = r.EnergyTransferServiceList.Service.map((x) => x.ServiceID);
    // the DC service (2) is the -20 counterpart of the DIN/ISO-2 DC_extended mode (Connector Extended)
    return {
      code: r.ResponseCode,
      evse: { services, modes: services.includes(ISO20_SERVICE_DC) ? ["DC_extended"] : [] },
    };
  },
};
