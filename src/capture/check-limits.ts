/**
 * Timing limits and message-order rules used by `nacs decode --check`. Every figure is a DIN 70121 /
 * ISO 15118-2 / ISO 15118-20 value as public stacks code it (EcoG-io/iso15118 timeouts.py, EVerest EvseV2G and
 * libiso15118, pyPLC, HotWire), named per constant; unconfirmed figures are marked.
 */
import type { V2gFamily } from "./v2g-schema.js";

/** V2G_EVCC_Msg_Timeout default, DIN / ISO-2 / ISO-20: 2 s. EcoG-io/iso15118 timeouts.py. */
export const EVCC_MSG_TIMEOUT_DEFAULT_S = 2;
/** ISO-2 ServiceDetail / PaymentDetails / CertificateInstallation / CertificateUpdate: 5 s. EcoG-io/iso15118 timeouts.py. */
export const EVCC_MSG_TIMEOUT_LONG_S = 5;
/** PowerDelivery: DIN 2 s, ISO-2 5 s, ISO-20 2 s. EcoG-io/iso15118 timeouts.py. */
export const EVCC_POWER_DELIVERY_TIMEOUT_S: Readonly<Record<V2gFamily, number>> = {
  din: 2,
  iso2: 5,
  iso20: 2,
};
/** CurrentDemand (DIN, ISO-2) 0.25 s (HotWire: 0.5 s for DIN — conflict); ISO-20 charge loop 0.5 s. EcoG-io/iso15118 timeouts.py. */
export const EVCC_CHARGE_LOOP_TIMEOUT_S: Readonly<Record<V2gFamily, number>> = {
  din: 0.25,
  iso2: 0.25,
  iso20: 0.5,
};
/** SECC performance time, CurrentDemandRes: 25 ms (ISO, per a pyPLC fsmPev.py comment); unconfirmed for DIN. */
export const SECC_CHARGE_LOOP_PERFORMANCE_S = 0.025;
/** SECC performance time, PowerDeliveryRes / CertificateInstallationRes: 4.5 s. ISO 15118-2 Table 109 (EVerest libiso15118, EvseV2G). */
export const SECC_LONG_PERFORMANCE_S = 4.5;
/** SECC performance time, other responses: ~1.5 s (a pyPLC fsmPev.py comment); unconfirmed. */
export const SECC_PERFORMANCE_DEFAULT_S = 1.5;
/** V2G_SECC_Sequence_Timeout: 60 s between a response and the next request. EcoG-io/iso15118 timeouts.py, EVerest EvseV2G. */
export const SECC_SEQUENCE_TIMEOUT_S = 60;
/** V2G_EVCC_Ongoing_Timeout: 60 s of EVSEProcessing=Ongoing. EcoG-io/iso15118 timeouts.py. */
export const EVCC_ONGOING_TIMEOUT_S = 60;
/** V2G_EVCC_CableCheck_Timeout: 40 s (HotWire: 38 s). EcoG-io/iso15118 timeouts.py. */
export const EVCC_CABLE_CHECK_TIMEOUT_S = 40;
/** V2G_EVCC_PreCharge_Timeout: DIN/ISO-2 7 s, ISO-20 10 s. EcoG-io/iso15118 timeouts.py. */
export const EVCC_PRECHARGE_TIMEOUT_S: Readonly<Record<V2gFamily, number>> = { din: 7, iso2: 7, iso20: 10 };
/** V2G_EVCC_CommunicationSetup_Timeout: 20 s (here: TCP connect → SessionSetupRes). EcoG-io/iso15118 timeouts.py. */
export const EVCC_COMMUNICATION_SETUP_TIMEOUT_S = 20;
/** SessionID length: 8 bytes. DIN 70121 / ISO 15118-2 SessionSetupRes header (EcoG-io/iso15118 datatypes). */
export const SESSION_ID_LENGTH = 8;
/** Tesla's extra SAP namespace, seen in a captured Tesla supportedAppProtocolReq (pyPLC exiConnector.py). */
export const TESLA_NAMESPACE = "urn:tesla:din:2018:MsgDef";

/** EVCC message timeout for a request (its name without "Req"). V2G_EVCC_Msg_Timeout values, EcoG-io/iso15118 timeouts.py. */
export function evccTimeoutS(family: V2gFamily, base: string): number {
  if (base === "CurrentDemand" || base === "DC_ChargeLoop" || base === "AC_ChargeLoop") {
    return EVCC_CHARGE_LOOP_TIMEOUT_S[family];
  }
  if (base === "PowerDelivery") return EVCC_POWER_DELIVERY_TIMEOUT_S[family];
  if (
    /^(ServiceDetail|PaymentDetails|CertificateInstallation|CertificateUpdate)$/.test(base) &&
    family !== "din"
  ) {
    return EVCC_MSG_TIMEOUT_LONG_S;
  }
  return EVCC_MSG_TIMEOUT_DEFAULT_S;
}

/** SECC performance time for a response (V2G_SECC_Msg_Performance_Time, values above). */
export function seccPerformanceS(base: string): number {
  if (base === "CurrentDemand") return SECC_CHARGE_LOOP_PERFORMANCE_S;
  if (base === "PowerDelivery" || base === "CertificateInstallation") return SECC_LONG_PERFORMANCE_S;
  return SECC_PERFORMANCE_DEFAULT_S;
}

/**
 * Requests allowed after each request (names without "Req"), DIN 70121 / ISO 15118-2 (DC and AC message
 * sequences) and ISO 15118-20 (same shape with the -20 message names). `*start` is the state before the first
 * request.
 */
export const NEXT_REQUESTS: Readonly<
  Record<"din_iso2" | "iso20", Readonly<Record<string, readonly string[]>>>
> = {
  din_iso2: {
    "*start": ["supportedAppProtocol", "SessionSetup"],
    supportedAppProtocol: ["SessionSetup"],
    SessionSetup: ["ServiceDiscovery"],
    ServiceDiscovery: ["ServiceDetail", "ServicePaymentSelection", "PaymentServiceSelection"],
    ServiceDetail: ["ServiceDetail", "PaymentServiceSelection"],
    ServicePaymentSelection: ["ContractAuthentication", "PaymentDetails"],
    PaymentServiceSelection: [
      "Authorization",
      "PaymentDetails",
      "CertificateInstallation",
      "CertificateUpdate",
    ],
    CertificateInstallation: ["PaymentDetails"],
    CertificateUpdate: ["PaymentDetails"],
    PaymentDetails: ["Authorization", "ContractAuthentication"],
    ContractAuthentication: ["ContractAuthentication", "ChargeParameterDiscovery"],
    Authorization: ["Authorization", "ChargeParameterDiscovery"],
    ChargeParameterDiscovery: ["ChargeParameterDiscovery", "CableCheck", "PowerDelivery"],
    CableCheck: ["CableCheck", "PreCharge"],
    PreCharge: ["PreCharge", "PowerDelivery"],
    PowerDelivery: [
      "CurrentDemand",
      "ChargingStatus",
      "WeldingDetection",
      "SessionStop",
      "ChargeParameterDiscovery",
    ],
    CurrentDemand: ["CurrentDemand", "PowerDelivery", "MeteringReceipt"],
    ChargingStatus: ["ChargingStatus", "PowerDelivery", "MeteringReceipt"],
    MeteringReceipt: ["ChargingStatus", "CurrentDemand", "PowerDelivery"],
    WeldingDetection: ["WeldingDetection", "SessionStop"],
    SessionStop: [],
  },
  iso20: {
    "*start": ["supportedAppProtocol", "SessionSetup"],
    supportedAppProtocol: ["SessionSetup"],
    SessionSetup: ["AuthorizationSetup"],
    AuthorizationSetup: ["Authorization", "CertificateInstallation"],
    CertificateInstallation: ["Authorization"],
    Authorization: ["Authorization", "ServiceDiscovery"],
    ServiceDiscovery: ["ServiceDetail", "ServiceSelection"],
    ServiceDetail: ["ServiceDetail", "ServiceSelection"],
    ServiceSelection: ["DC_ChargeParameterDiscovery", "AC_ChargeParameterDiscovery"],
    DC_ChargeParameterDiscovery: ["ScheduleExchange"],
    AC_ChargeParameterDiscovery: ["ScheduleExchange"],
    ScheduleExchange: ["ScheduleExchange", "DC_CableCheck", "PowerDelivery"],
    DC_CableCheck: ["DC_CableCheck", "DC_PreCharge"],
    DC_PreCharge: ["DC_PreCharge", "PowerDelivery"],
    PowerDelivery: [
      "DC_ChargeLoop",
      "AC_ChargeLoop",
      "DC_WeldingDetection",
      "SessionStop",
      "ScheduleExchange",
      "PowerDelivery",
    ],
    DC_ChargeLoop: ["DC_ChargeLoop", "PowerDelivery", "MeteringConfirmation"],
    AC_ChargeLoop: ["AC_ChargeLoop", "PowerDelivery", "MeteringConfirmation"],
    MeteringConfirmation: ["DC_ChargeLoop", "AC_ChargeLoop", "PowerDelivery"],
    DC_WeldingDetection: ["DC_WeldingDetection", "SessionStop"],
    SessionStop: [],
  },
};

/** Requests after which a SessionStop is a normal end; elsewhere it ends the session early. */
export const NORMAL_STOP_AFTER = new Set([
  "PowerDelivery",
  "WeldingDetection",
  "DC_WeldingDetection",
  "SessionStop",
]);
