/**
 * Every V2G timing figure of digest §5.4 (and the window figures of §5.1) as one named constant, in
 * milliseconds. Where the DIN SPEC 70121 editions disagree (digest §5.4 / §7.5 / §8), each edition has its
 * own constant and {@link dinEvccTimeouts} selects one set; the default edition is {@link DEFAULT_DIN_EDITION}.
 */

/** V2G_EVCC_CommunicationSetup_Timeout, DIN / ISO-2 / ISO-20: 20 s (digest §5.4, EG-TO). */
export const V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS = 20_000;
/** V2G_SECC_CommunicationSetup budget used by EVerest's SECC: 18 s (digest §5.4, EV-V2G; [V2G2-723]). */
export const V2G_SECC_COMMUNICATION_SETUP_TIMEOUT_MS = 18_000;
/** V2G_SECC_Sequence_Timeout, DIN / ISO-2 / ISO-20: 60 s (digest §5.4, EG-TO, EV-V2G). */
export const V2G_SECC_SEQUENCE_TIMEOUT_MS = 60_000;
/** V2G_EVCC_Ongoing_Timeout, ISO-2 / ISO-20: 60 s (digest §5.4, EG-TO); DIN 60 s per HOTW. */
export const V2G_EVCC_ONGOING_TIMEOUT_MS = 60_000;
/** V2G_EVCC_Sequence_Performance_Time, ISO-2: 40 s (digest §5.4, unresolved Rust crate — status U). */
export const V2G_EVCC_SEQUENCE_PERFORMANCE_TIME_MS = 40_000;
/** V2G_EVCC_Msg_Timeout default, DIN / ISO-2 / ISO-20: 2 s (digest §5.4, EG-TO). */
export const V2G_EVCC_MSG_TIMEOUT_DEFAULT_MS = 2_000;
/** V2G_EVCC_Msg_Timeout for ServiceDetail / PaymentDetails / CertificateInstallation / CertificateUpdate, ISO-2: 5 s (digest §5.4, EG-TO). */
export const V2G_EVCC_MSG_TIMEOUT_ISO2_LONG_MS = 5_000;
/** V2G_EVCC_Msg_Timeout PowerDelivery, DIN: 2 s (digest §5.4, EG-TO). */
export const V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_DIN_MS = 2_000;
/** V2G_EVCC_Msg_Timeout PowerDelivery, ISO-2: 5 s (digest §5.4, EG-TO). */
export const V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO2_MS = 5_000;
/** V2G_EVCC_Msg_Timeout PowerDelivery, ISO-20: 2 s (digest §5.4, EG-TO). */
export const V2G_EVCC_MSG_TIMEOUT_POWER_DELIVERY_ISO20_MS = 2_000;
/** V2G_EVCC_Msg_Timeout CurrentDemand, DIN 70121 as in EG-TO (2012/2014 editions): 0.25 s (digest §5.4). */
export const V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2014_MS = 250;
/** V2G_EVCC_Msg_Timeout CurrentDemand, DIN 70121:2024-11 per HOTW: 0.5 s (digest §5.4, §8 conflict). */
export const V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS = 500;
/** V2G_EVCC_Msg_Timeout CurrentDemand, ISO-2: 0.25 s (digest §5.4, EG-TO). */
export const V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_ISO2_MS = 250;
/** V2G_EVCC_Msg_Timeout ServiceDetail, ISO-20: 5 s (ISO 15118-20 digest §5.2, EG-TO, EVEV). */
export const V2G_EVCC_MSG_TIMEOUT_SERVICE_DETAIL_ISO20_MS = 5_000;
/** V2G_EVCC_CableCheck_Timeout, ISO-20: 40 s (ISO 15118-20 digest §5.2, EG-TO, EVEV). */
export const V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO20_MS = 40_000;
/** EIM authorisation Ongoing budget of the SECC, ISO-20: 180 s, then FAILED (ISO 15118-20 digest §5.1, LI — S). */
export const V2G_SECC_EIM_ONGOING_TIMEOUT_ISO20_MS = 180_000;
/** V2G_EVCC_Msg_Timeout AC & DC charge loop, ISO-20: 0.5 s (digest §5.4, EG-TO). */
export const V2G_EVCC_MSG_TIMEOUT_CHARGE_LOOP_ISO20_MS = 500;
/** CurrentDemand sequence timeout, DIN 70121:2024-11 per HOTW: 5 s (digest §5.4 — status U). */
export const V2G_SECC_SEQUENCE_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS = 5_000;
/**
 * After an emergency shutdown the SECC keeps the V2G session this long so the EV hears
 * EVSE_EmergencyShutdown in its next response (DIN 70121 / ISO 15118-2 DC_EVSEStatusCode) and ends the
 * session itself (PowerDelivery stop, WeldingDetection, SessionStop); then it closes the connection.
 * The output is off from the first moment either way. Design choice (D).
 */
export const SECC_EMERGENCY_WIND_DOWN_MS = 5_000;
/** V2G_SECC_Sequence_Timeout_{AC,DC}_CL, ISO-20: 0.5 s (digest §5.4, EG-TO). */
export const V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS = 500;
/** V2G_EVCC_CableCheck_Timeout, DIN as in EG-TO / ISO-2 / ISO-20: 40 s (digest §5.4). */
export const V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2014_MS = 40_000;
/** V2G_EVCC_CableCheck_Timeout, DIN 70121:2024-11 per HOTW: 38 s (digest §5.4, §8 conflict). */
export const V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2024_MS = 38_000;
/** V2G_EVCC_CableCheck_Timeout, ISO-2: 40 s (digest §5.4, EG-TO). */
export const V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS = 40_000;
/** V2G_EVCC_PreCharge_Timeout, DIN / ISO-2: 7 s (digest §5.4, EG-TO). */
export const V2G_EVCC_PRE_CHARGE_TIMEOUT_MS = 7_000;
/** V2G_EVCC_PreCharge_Timeout, ISO-20: 10 s (digest §5.4, EG-TO). */
export const V2G_EVCC_PRE_CHARGE_TIMEOUT_ISO20_MS = 10_000;
/** V2G_EVCC_ReadyToCharge_Timeout, DIN as in EG-TO: 150 s (digest §5.4, §8 conflict). */
export const V2G_EVCC_READY_TO_CHARGE_TIMEOUT_DIN_2014_MS = 150_000;
/** V2G_EVCC_ReadyToCharge_Timeout, DIN 70121:2024-11 per HOTW: 10 s (digest §5.4, §8 conflict). */
export const V2G_EVCC_READY_TO_CHARGE_TIMEOUT_DIN_2024_MS = 10_000;
/** V2G_SECC_CPState_Detection_Timeout, DIN: 1.5 s (digest §5.4, EG-TO; EVerest uses it for ISO-2 too). */
export const V2G_SECC_CP_STATE_DETECTION_TIMEOUT_MS = 1_500;
/** Relaxed CP-state detection timeout EVerest allows: 3 s (digest §5.4, EV-V2G). */
export const V2G_SECC_CP_STATE_DETECTION_TIMEOUT_RELAXED_MS = 3_000;
/** V2G_SECC_CPOscillator_Retain_Time, DIN: 1.5 s (digest §5.4, EG-TO). */
export const V2G_SECC_CP_OSCILLATOR_RETAIN_TIME_MS = 1_500;
/** SECC performance time for PowerDeliveryRes, ISO-2: 4.5 s (digest §5.4, LIBISO). */
export const V2G_SECC_PERFORMANCE_TIME_POWER_DELIVERY_MS = 4_500;
/** SECC performance time for CertificateInstallationRes, ISO-2: 4.5 s (digest §5.4, EV-V2G). */
export const V2G_SECC_PERFORMANCE_TIME_CERT_INSTALL_MS = 4_500;
/** SECC performance time for CurrentDemandRes: 25 ms (digest §5.4, PYPLC — U for DIN). */
export const V2G_SECC_PERFORMANCE_TIME_CURRENT_DEMAND_MS = 25;
/** SECC performance time for other responses: 1.5 s (digest §5.4, PYPLC — U). */
export const V2G_SECC_PERFORMANCE_TIME_DEFAULT_MS = 1_500;
/** Contactor close after CP C/D, ISO-2 [V2G2-860]: ≤ 3 s (digest §5.4, LIBISO). */
export const V2G_SECC_CONTACTOR_CLOSE_AFTER_CP_C_MS = 3_000;
/** CP B→C/D window and C/D→B window, ISO-2: 0.25 s ([V2G2-848], digest §5.1/§5.4, EV-V2G). */
export const V2G_CP_STATE_CHANGE_WINDOW_MS = 250;

/** DIN SPEC 70121 editions whose EVCC timeouts differ (digest §7.5, §8). */
export type DinEdition = "2014" | "2024";
/** Default DIN edition: the one EG-TO's values (and our 2012-namespace XSD) belong to. */
export const DEFAULT_DIN_EDITION: DinEdition = "2014";

/** The EVCC timeouts that depend on the DIN edition. */
export interface DinEditionTimeouts {
  currentDemandMs: number;
  cableCheckMs: number;
  readyToChargeMs: number;
}

/** Select the DIN edition's EVCC timeouts (digest §5.4: EG-TO vs HOTW "DIN 70121:2024-11"). */
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
