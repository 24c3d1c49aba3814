/**
 * Every V2G timing figure (DIN SPEC 70121, ISO 15118-2, ISO 15118-20, CP windows) as one named constant, in
 * milliseconds, each with its source ("EcoG-io/iso15118": the timeouts.py files of that stack). Where the
 * DIN SPEC 70121 editions disagree (EcoG-io/iso15118 vs HotWire, a pyPLC-derived stack claiming
 * DIN 70121:2024-11; unconfirmed), each edition has its
 * own constant and {@link dinEvccTimeouts} selects one set; the default edition is {@link DEFAULT_DIN_EDITION}.
 */

/** V2G_EVCC_CommunicationSetup_Timeout, DIN / ISO-2 / ISO-20: 20 s (EcoG-io/iso15118). */
export const V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS = 20_000;
/** V2G_SECC_CommunicationSetup budget used by EVerest's SECC: 18 s (EVerest EvseV2G; [V2G2-723]). */
export const V2G_SECC_COMMUNICATION_SETUP_TIMEOUT_MS = 18_000;
/** V2G_SECC_Sequence_Timeout, DIN / ISO-2 / ISO-20: 60 s (EcoG-io/iso15118, EVerest EvseV2G). */
export const V2G_SECC_SEQUENCE_TIMEOUT_MS = 60_000;
/** V2G_EVCC_Ongoing_Timeout, ISO-2 / ISO-20: 60 s (EcoG-io/iso15118); DIN 60 s per HotWire. */
export const V2G_EVCC_ONGOING_TIMEOUT_MS = 60_000;
/** V2G_EVCC_Sequence_Performance_Time, ISO-2: 40 s (an unidentified Rust crate's timers.rs — unconfirmed). */
export const V2G_EVCC_SEQUENCE_PERFORMANCE_TIME_MS = 40_000;
/** V2G_EVCC_Msg_Timeout default, DIN / ISO-2 / ISO-20: 2 s (EcoG-io/iso15118). */
export const V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS = 2_000;
/** V2G_EVCC_Msg_Timeout for ServiceDetail / PaymentDetails / CertificateInstallation / CertificateUpdate, ISO-2: 5 s (EcoG-io/iso15118). */
export const V2G_EVCC_MSG_TIMEOUT_ISO2_LONG_MS = 5_000;
/** V2G_EVCC_Msg_Timeout PowerDelivery, DIN: 2 s (EcoG-io/iso15118). */
export const V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_DIN_MS = 2_000;
/** V2G_EVCC_Msg_Timeout PowerDelivery, ISO-2: 5 s (EcoG-io/iso15118). */
export const V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO2_MS = 5_000;
/** V2G_EVCC_Msg_Timeout PowerDelivery, ISO-20: 2 s (EcoG-io/iso15118). */
export const V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO20_MS = 2_000;
/** V2G_EVCC_Msg_Timeout CurrentDemand, DIN 70121 as in EcoG-io/iso15118 (2012/2014 editions): 0.25 s. */
export const V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2014_MS = 250;
/** V2G_EVCC_Msg_Timeout CurrentDemand, DIN 70121:2024-11 per HotWire: 0.5 s (EcoG-io/iso15118: 0.25 s). */
export const V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS = 500;
/** V2G_EVCC_Msg_Timeout CurrentDemand, ISO-2: 0.25 s (EcoG-io/iso15118). */
export const V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_ISO2_MS = 250;
/** V2G_EVCC_Msg_Timeout ServiceDetail, ISO-20: 5 s (EcoG-io/iso15118, EVerest EV timeouts.hpp). */
export const V2G_EVCC_MSG_TIMEOUT_SERVICE_DETAIL_ISO20_MS = 5_000;
/** V2G_EVCC_CableCheck_Timeout, ISO-20: 40 s (EcoG-io/iso15118, EVerest EV timeouts.hpp). */
export const V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO20_MS = 40_000;
/** EIM authorisation Ongoing budget of the SECC, ISO-20: 180 s, then FAILED (EVerest libiso15118 only). */
export const V2G_SECC_EIM_ONGOING_TIMEOUT_ISO20_MS = 180_000;
/** V2G_EVCC_Msg_Timeout AC & DC charge loop, ISO-20: 0.5 s (EcoG-io/iso15118). */
export const V2G_EVCC_MSG_TIMEOUT_CHARGE_LOOP_ISO20_MS = 500;
/** CurrentDemand sequence timeout, DIN 70121:2024-11 per HotWire: 5 s (unconfirmed). */
export const V2G_SECC_SEQUENCE_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS = 5_000;
/**
 * After an emergency shutdown the SECC keeps the V2G session this long so the EV hears
 * EVSE_EmergencyShutdown in its next response (DIN 70121 / ISO 15118-2 DC_EVSEStatusCode) and ends the
 * session itself (PowerDelivery stop, WeldingDetection, SessionStop); then it closes the connection.
 * The output is off from the first moment either way. Design choice.
 */
export const SECC_EMERGENCY_WIND_DOWN_MS = 5_000;
/** V2G_SECC_Sequence_Timeout_{AC,DC}_CL, ISO-20: 0.5 s ([V2G20-1500]/[V2G20-1502]; EcoG-io/iso15118). */
export const V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS = 500;
/** V2G_EVCC_CableCheck_Timeout, DIN as in EcoG-io/iso15118 / ISO-2 / ISO-20: 40 s. */
export const V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2014_MS = 40_000;
/** V2G_EVCC_CableCheck_Timeout, DIN 70121:2024-11 per HotWire: 38 s (EcoG-io/iso15118: 40 s). */
export const V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2024_MS = 38_000;
/** V2G_EVCC_CableCheck_Timeout, ISO-2: 40 s (EcoG-io/iso15118). */
export const V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS = 40_000;
/** V2G_EVCC_PreCharge_Timeout, DIN / ISO-2: 7 s (EcoG-io/iso15118). */
export const V2G_EVCC_PRE_CHARGE_TIMEOUT_MS = 7_000;
/** V2G_EVCC_PreCharge_Timeout, ISO-20: 10 s (EcoG-io/iso15118). */
export const V2G_EVCC_PRE_CHARGE_TIMEOUT_ISO20_MS = 10_000;
/** V2G_EVCC_ReadyToCharge_Timeout, DIN as in EcoG-io/iso15118: 150 s (HotWire: 10 s). */
export const V2G_EVCC_READY_TO_CHARGE_TIMEOUT_DIN_2014_MS = 150_000;
/** V2G_EVCC_ReadyToCharge_Timeout, DIN 70121:2024-11 per HotWire: 10 s (EcoG-io/iso15118: 150 s). */
export const V2G_EVCC_READY_TO_CHARGE_TIMEOUT_DIN_2024_MS = 10_000;
/** V2G_SECC_CPState_Detection_Timeout, DIN: 1.5 s (EcoG-io/iso15118; EVerest uses it for ISO-2 too). */
export const V2G_SECC_CP_STATE_DETECTION_TIMEOUT_MS = 1_500;
/** Relaxed CP-state detection timeout EVerest allows: 3 s (EVerest EvseV2G). */
export const V2G_SECC_CP_STATE_DETECTION_TIMEOUT_RELAXED_MS = 3_000;
/** V2G_SECC_CPOscillator_Retain_Time, DIN: 1.5 s (EcoG-io/iso15118). */
export const V2G_SECC_CP_OSCILLATOR_RETAIN_TIME_MS = 1_500;
/** SECC performance time for PowerDeliveryRes, ISO-2: 4.5 s (ISO 15118-2 Table 109). */
export const V2G_SECC_PERFORMANCE_TIME_POWER_DELIVERY_MS = 4_500;
/** SECC performance time for CertificateInstallationRes, ISO-2: 4.5 s (EVerest EvseV2G). */
export const V2G_SECC_PERFORMANCE_TIME_CERT_INSTALL_MS = 4_500;
/** SECC performance time for CurrentDemandRes: 25 ms (pyPLC fsmPev.py; unconfirmed for DIN). */
export const V2G_SECC_PERFORMANCE_TIME_CURRENT_DEMAND_MS = 25;
/** SECC performance time for other responses: 1.5 s (pyPLC fsmPev.py; unconfirmed). */
export const V2G_SECC_PERFORMANCE_TIME_DEFAULT_MS = 1_500;
/** Contactor close after CP C/D, ISO-2 [V2G2-860]: ≤ 3 s (EVerest libiso15118). */
export const V2G_SECC_CONTACTOR_CLOSE_AFTER_CP_C_MS = 3_000;
/** CP B→C/D window and C/D→B window, ISO-2: 0.25 s ([V2G2-847], [V2G2-848]; EVerest EvseV2G). */
export const V2G_CP_STATE_CHANGE_WINDOW_MS = 250;

/** DIN SPEC 70121 editions whose EVCC timeouts differ (2012/2014 vs 2024-11; unconfirmed). */
export type DinEdition = "2014" | "2024";
/** Default DIN edition: the one EcoG-io/iso15118's values (and our 2012-namespace XSD) belong to. */
export const DEFAULT_DIN_EDITION: DinEdition = "2014";

/** The EVCC timeouts that depend on the DIN edition. */
export interface DinEditionTimeouts {
  currentDemandMs: number;
  cableCheckMs: number;
  readyToChargeMs: number;
}

/** Select the DIN edition's EVCC timeouts (EcoG-io/iso15118 vs HotWire "DIN 70121:2024-11"). */
export function dinEvccTimeouts(edition: DinEdition): DinEditionTimeouts {
  return edition === "2024"
    ? {
        currentDemandMs: V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS,
        cableCheckMs: V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2024_MS,
        readyToChargeMs: V2G_EVCC_READY_TO_CHARGE_TIMEOUT_DIN_2024_MS,
      }
    : {
        currentDemandMs: V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2014_MS,
        cableCheckMs: V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2014_MS,
        readyToChargeMs: V2G_EVCC_READY_TO_CHARGE_TIMEOUT_DIN_2014_MS,
      };
}
