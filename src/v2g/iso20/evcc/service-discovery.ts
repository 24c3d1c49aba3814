/** ISO 15118-20 ServiceDiscoveryReq / Res (EnergyTransferServiceList), digest §3.3. */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { isAcService } from "../../session/iso20-session.js";
import type { Body, iso20Common } from "./common.js";

/** EVCC side of ServiceDiscovery. */
export const serviceDiscovery: EvccMessage = {
  name: "ServiceDiscovery",
  req: "ServiceDiscoveryReq",
  res: "ServiceDiscoveryRes",
  build: (): Body<iso20Common.ServiceDiscoveryReqType> => ({}),
  read(r: iso20Common.ServiceDiscoveryResType) {
    const services = r.EnergyTransferServiceList.Service.map((x) => x.ServiceID);
    // the DC services (2, 6) are the -20 counterpart of the DIN/ISO-2 DC_extended mode (Connector Extended),
    // the AC services (1, 5) of the AC modes
    const modes = [
      ...(services.some((id) => !isAcService(id)) ? ["DC_extended"] : []),
      ...(services.some((id) => isAcService(id)) ? ["AC_single_phase_core", "AC_three_phase_core"] : []),
    ];
    return { code: r.ResponseCode, evse: { services, modes } };
  },
};
