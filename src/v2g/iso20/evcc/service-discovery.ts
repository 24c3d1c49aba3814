/** ISO 15118-20 ServiceDiscoveryReq / Res (EnergyTransferServiceList). */

import { iso20ModesOf } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of ServiceDiscovery. */
export const serviceDiscovery: EvccMessage = {
  name: "ServiceDiscovery",
  req: "ServiceDiscoveryReq",
  res: "ServiceDiscoveryRes",
  build: (): Body<iso20Common.ServiceDiscoveryReqType> => ({}),
  read(r: iso20Common.ServiceDiscoveryResType) {
    const services = r.EnergyTransferServiceList.Service.map((x) => x.ServiceID);
    return { code: r.ResponseCode, evse: { services, modes: iso20ModesOf(services) } };
  },
};
