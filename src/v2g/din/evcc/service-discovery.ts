/**
 * DIN 70121 ServiceDiscoveryReq / Res (fields per EcoG-io/iso15118): payment options and the
 * EnergyTransferType.
 */
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { din } from "./common.js";

/** EVCC side of ServiceDiscovery. */
export const serviceDiscovery: EvccMessage = {
  name: "ServiceDiscovery",
  req: "ServiceDiscoveryReq",
  res: "ServiceDiscoveryRes",
  build: (): din.ServiceDiscoveryReqType => ({ ServiceCategory: "EVCharging" }),
  read: (r: din.ServiceDiscoveryResType) => ({
    code: r.ResponseCode,
    evse: { paymentOptions: r.PaymentOptions.PaymentOption, modes: [r.ChargeService.EnergyTransferType] },
  }),
};
