/**
 * DIN 70121 ServiceDiscoveryReq → ServiceDiscoveryRes (fields per EcoG-io/iso15118): PaymentOptions and the
 * charge service (ServiceID 1) with the DC EnergyTransferType offered (DIN: DC_core / DC_extended,
 * [V2G-DC-625]).
 */
import { CHARGE_SERVICE_ID } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import type { din } from "./common.js";

const DIN_DC_TYPES: readonly din.EVSESupportedEnergyTransferType[] = [
  "DC_extended",
  "DC_core",
  "DC_combo_core",
];

/** The DIN EnergyTransferType to offer: the first DC mode of the configuration, else DC_extended. */
export function dinEnergyTransferType(s: SeccState): din.EVSESupportedEnergyTransferType {
  for (const m of s.cfg.energyModes) {
    const t = DIN_DC_TYPES.find((x) => x === m);
    if (t) return t;
  }
  return "DC_extended";
}

function response(s: SeccState, code: din.responseCodeType): din.ServiceDiscoveryResType {
  return {
    ResponseCode: code,
    PaymentOptions: { PaymentOption: [...s.cfg.paymentOptions] },
    ChargeService: {
      ServiceTag: { ServiceID: CHARGE_SERVICE_ID, ServiceCategory: "EVCharging" },
      FreeService: s.cfg.freeService,
      EnergyTransferType: dinEnergyTransferType(s),
    },
  };
}

/** SECC handler of ServiceDiscoveryReq. */
export const serviceDiscovery: SeccHandler = {
  name: "ServiceDiscovery",
  res: "ServiceDiscoveryRes",
  handle: (s, _req: din.ServiceDiscoveryReqType) => ({ state: s, body: response(s, "OK") }),
  failed: (s, code) => response(s, code as din.responseCodeType),
};
