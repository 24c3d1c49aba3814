/** The ISO 15118-2 protocol module of the EVCC core: messages and V2G_Message decode/encode. */
import { iso2 } from "../../../codecs/index.js";
import type { EvccProtocolModule } from "../../session/evcc-protocol.js";
import { messageEnvelope } from "../../session/secc-protocol.js";
import { authorization } from "./authorization.js";
import { cableCheck } from "./cable-check.js";
import { chargeParameterDiscovery } from "./charge-parameter-discovery.js";
import { chargingStatus } from "./charging-status.js";
import { currentDemand } from "./current-demand.js";
import { meteringReceipt } from "./metering-receipt.js";
import { paymentDetails } from "./payment-details.js";
import { paymentServiceSelection } from "./payment-service-selection.js";
import { powerDelivery } from "./power-delivery.js";
import { preCharge } from "./pre-charge.js";
import { serviceDiscovery } from "./service-discovery.js";
import { sessionSetup } from "./session-setup.js";
import { sessionStop } from "./session-stop.js";
import { weldingDetection } from "./welding-detection.js";

/** ISO 15118-2 for the EVCC core. */
export const iso2EvccModule: EvccProtocolModule = {
  protocol: "iso2",
  messages: {
    SessionSetup: sessionSetup,
    ServiceDiscovery: serviceDiscovery,
    PaymentSelection: paymentServiceSelection,
    PaymentDetails: paymentDetails,
    Authorization: authorization,
    ChargeParameterDiscovery: chargeParameterDiscovery,
    CableCheck: cableCheck,
    PreCharge: preCharge,
    PowerDelivery: powerDelivery,
    CurrentDemand: currentDemand,
    ChargingStatus: chargingStatus,
    MeteringReceipt: meteringReceipt,
    WeldingDetection: weldingDetection,
    SessionStop: sessionStop,
  },
  ...messageEnvelope(iso2, "ISO-2", "response"),
};
