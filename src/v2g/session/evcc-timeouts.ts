/** Per-message EVCC response timeouts: V2G_EVCC_Msg_Timeout of DIN 70121, ISO 15118-2 and ISO 15118-20. */
import type { V2gProtocol } from "../handshake/namespaces.js";
import {
  type DinEdition,
  dinEvccTimeouts,
  V2G_EVCC_MSG_TIMEOUT_CHARGE_LOOP_ISO20_MS,
  V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_ISO2_MS,
  V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS,
  V2G_EVCC_MSG_TIMEOUT_ISO2_LONG_MS,
  V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_DIN_MS,
  V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO2_MS,
  V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO20_MS,
  V2G_EVCC_MSG_TIMEOUT_SERVICE_DETAIL_ISO20_MS,
} from "./timeouts.js";
import type { MsgName } from "./types.js";

/** The EVCC's wait for the response to `name` (supportedAppProtocol: "SAP", 2 s per EcoG-io/iso15118). */
export function evccMsgTimeoutMs(
  protocol: V2gProtocol | null,
  name: MsgName | "SAP",
  edition: DinEdition,
): number {
  if (protocol === "din") {
    if (name === "CurrentDemand") return dinEvccTimeouts(edition).currentDemandMs;
    if (name === "PowerDelivery") return V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_DIN_MS;
    return V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS;
  }
  if (protocol === "iso2") {
    switch (name) {
      case "CurrentDemand":
        return V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_ISO2_MS;
      case "PowerDelivery":
        return V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO2_MS;
      case "ServiceDetail":
      case "PaymentDetails":
      case "CertificateInstallation":
      case "CertificateUpdate":
        return V2G_EVCC_MSG_TIMEOUT_ISO2_LONG_MS;
      default:
        return V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS;
    }
  }
  if (protocol === "iso20") {
    if (name === "CurrentDemand") return V2G_EVCC_MSG_TIMEOUT_CHARGE_LOOP_ISO20_MS;
    if (name === "PowerDelivery") return V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO20_MS;
    if (name === "ServiceDetail") return V2G_EVCC_MSG_TIMEOUT_SERVICE_DETAIL_ISO20_MS;
  }
  return V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS;
}
