/**
 * The ISO 15118-20 protocol module of the EVCC core (AC, AC_BPT, DC, DC_BPT): messages, decode by payload type,
 * encode with Header. The selected service chooses AC_ or DC_ChargeParameterDiscovery; the AC loop is the
 * neutral ChargingStatus, the DC loop CurrentDemand.
 */

import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccProtocolModule } from "../../session/evcc-protocol.js";
import { isAcService } from "../../session/iso20-session.js";
import { decodeIso20, encodeIso20, ISO20_PAYLOAD_TYPES } from "../envelope.js";
import { acChargeLoop } from "./ac-charge-loop.js";
import { acChargeParameterDiscovery } from "./ac-charge-parameter-discovery.js";
import { authorization } from "./authorization.js";
import { authorizationSetup } from "./authorization-setup.js";
import { dcCableCheck } from "./dc-cable-check.js";
import { dcChargeLoop } from "./dc-charge-loop.js";
import { dcChargeParameterDiscovery } from "./dc-charge-parameter-discovery.js";
import { dcPreCharge } from "./dc-pre-charge.js";
import { dcWeldingDetection } from "./dc-welding-detection.js";
import { powerDelivery } from "./power-delivery.js";
import { scheduleExchange } from "./schedule-exchange.js";
import { serviceDetail } from "./service-detail.js";
import { serviceDiscovery } from "./service-discovery.js";
import { serviceSelection } from "./service-selection.js";
import { sessionSetup } from "./session-setup.js";
import { sessionStop } from "./session-stop.js";

/** ISO 15118-20 for the EVCC core. */
export const iso20EvccModule: EvccProtocolModule = {
  protocol: "iso20",
  messages: {
    SessionSetup: sessionSetup,
    AuthorizationSetup: authorizationSetup,
    Authorization: authorization,
    ServiceDiscovery: serviceDiscovery,
    ServiceDetail: serviceDetail,
    PaymentSelection: serviceSelection,
    ChargeParameterDiscovery: dcChargeParameterDiscovery,
    ScheduleExchange: scheduleExchange,
    CableCheck: dcCableCheck,
    PreCharge: dcPreCharge,
    PowerDelivery: powerDelivery,
    CurrentDemand: dcChargeLoop,
    ChargingStatus: acChargeLoop,
    WeldingDetection: dcWeldingDetection,
    SessionStop: sessionStop,
  },
  messageFor: (s, name) =>
    name === "ChargeParameterDiscovery" && isAcService(evcc20(s).serviceId)
      ? acChargeParameterDiscovery
      : undefined,
  payloadTypes: ISO20_PAYLOAD_TYPES,
  decode: (bytes, payloadType) => decodeIso20(bytes, payloadType, "response"),
  encode: encodeIso20,
};
