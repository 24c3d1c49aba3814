/**
 * ISO 15118-2 ServiceDiscoveryReq / Res (PaymentOptionList, SupportedEnergyTransferMode), fields per
 * EcoG-io/iso15118.
 */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { iso2 } from "./common.js";

/** EVCC side of ServiceDiscovery. */
export const serviceDiscovery: EvccMessage = {
  name: "ServiceDiscovery",
  req: "ServiceDiscoveryReq",
  res: "ServiceDiscoveryRes",
  build: (): iso2.ServiceDiscoveryReqType => ({ ServiceCategory: "EVCharging" }),
  read: (r: iso2.ServiceDiscoveryResType) => ({
    code: r.ResponseCode,
    evse: {
      paymentOptions: r.PaymentOptionList.PaymentOption,
      modes: r.ChargeService.SupportedEnergyTransferMode.EnergyTransferMode,
      services: (r.ServiceList?.Service ?? []).map((x) => x.ServiceID),
    },
  }),
};
