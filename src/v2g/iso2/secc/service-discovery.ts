/**
 * ISO 15118-2 ServiceDiscoveryReq → Res (fields per EcoG-io/iso15118): PaymentOptionList (Contract only with
 * Plug & Charge configured on a TLS connection) and the charge service's modes; with a CPS configured, the
 * ContractCertificate service (ServiceID 2).
 */
import { CONTRACT_CERTIFICATE_SERVICE_ID } from "../../pnc/cps.js";
import { CHARGE_SERVICE_ID, offeredPaymentOptions } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { providesCertificates, type SeccState } from "../../session/secc-state.js";
import type { iso2 } from "./common.js";

function response(s: SeccState, code: iso2.responseCodeType): iso2.ServiceDiscoveryResType {
  return {
    ResponseCode: code,
    PaymentOptionList: { PaymentOption: offeredPaymentOptions(s) },
    ChargeService: {
      ServiceID: CHARGE_SERVICE_ID,
      ServiceCategory: "EVCharging",
      FreeService: s.cfg.freeService,
      SupportedEnergyTransferMode: { EnergyTransferMode: [...s.cfg.energyModes] },
    },
    // Plug & Charge: the ContractCertificate service when a CPS is configured (ServiceID 2 as RISE-V2G,
    // EcoG-io/iso15118 and EVerest offer it)
    ...(providesCertificates(s)
      ? {
          ServiceList: {
            Service: [
              {
                ServiceID: CONTRACT_CERTIFICATE_SERVICE_ID,
                ServiceCategory: "ContractCertificate",
                FreeService: true,
              },
            ],
          },
        }
      : {}),
  };
}

/** SECC handler of ServiceDiscoveryReq. */
export const serviceDiscovery: SeccHandler = {
  name: "ServiceDiscovery",
  res: "ServiceDiscoveryRes",
  handle: (s, _req: iso2.ServiceDiscoveryReqType) => ({ state: s, body: response(s, "OK") }),
  failed: (s, code) => response(s, code as iso2.responseCodeType),
};
