/** The DIN 70121 protocol module of the EVCC core: messages and V2G_Message decode/encode. */
import { din } from "../../../codecs/index.js";
import type { EvccProtocolModule } from "../../session/evcc-protocol.js";
import { messageEnvelope } from "../../session/secc-protocol.js";
import { cableCheck } from "./cable-check.js";
import { chargeParameterDiscovery } from "./charge-parameter-discovery.js";
import { contractAuthentication } from "./contract-authentication.js";
import { currentDemand } from "./current-demand.js";
import { powerDelivery } from "./power-delivery.js";
import { preCharge } from "./pre-charge.js";
import { serviceDiscovery } from "./service-discovery.js";
import { servicePaymentSelection } from "./service-payment-selection.js";
import { sessionSetup } from "./session-setup.js";
import { sessionStop } from "./session-stop.js";
import { weldingDetection } from "./welding-detection.js";

/** DIN 70121 for the EVCC core. */
export const dinEvccModule: EvccProtocolModule = {
  protocol: "din",
  messages: {
    SessionSetup: sessionSetup,
    ServiceDiscovery: serviceDiscovery,
    PaymentSelection: servicePaymentSelection,
    Authorization: contractAuthentication,
    ChargeParameterDiscovery: chargeParameterDiscovery,
    CableCheck: cableCheck,
    PreCharge: preCharge,
    PowerDelivery: powerDelivery,
    CurrentDemand: currentDemand,
    WeldingDetection: weldingDetection,
    SessionStop: sessionStop,
  },
  ...messageEnvelope(din, "DIN", "response"),
};
