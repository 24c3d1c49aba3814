/**
 * Message sequence tables of DIN 70121 DC (§9.1), ISO 15118-2 DC/AC EIM (§8.8.3, §8.8.4) and ISO 15118-20 DC
 * EIM: which request may follow the last one answered. Shared by the SECC (sequence-error detection,
 * [V2G2-459]/[V2G2-538]) and the EVCC (validating its own next request in replay tests).
 */
import type { V2gProtocol } from "../handshake/namespaces.js";
import type { MsgName } from "./types.js";

/** Where a session is, for the purpose of the sequence table. */
export interface SequencePosition {
  protocol: V2gProtocol;
  /** Last request answered (null: only SessionSetup may come). */
  last: MsgName | null;
  /** EVSEProcessing of the last Authorization / ChargeParameterDiscovery / CableCheck response. */
  processing: "Finished" | "Ongoing";
  powerDelivery: "start" | "stop" | "renegotiate" | null;
  /** AC energy transfer (ISO-2 AC; ISO-20 AC / AC_BPT service) instead of DC. */
  ac: boolean;
  /** A ChargeParameterDiscovery after PowerDelivery(Renegotiate) (ISO-2), which leads back to PowerDelivery. */
  renegotiating: boolean;
  /** ISO-20: the session was resumed (OK_OldSessionJoined), so AC/DC_ChargeParameterDiscovery follows SessionSetup. */
  resumed?: boolean;
}

/**
 * ISO 15118-20 DC EIM (the order EVerest libiso15118 and EcoG-io/iso15118 follow): AuthorizationSetup →
 * Authorization* → ServiceDiscovery → ServiceDetail+ → ServiceSelection → DC_ChargeParameterDiscovery →
 * ScheduleExchange* → DC_CableCheck* → DC_PreCharge* (EVProcessing Ongoing → PreCharge again, Finished →
 * PowerDelivery) → PowerDelivery → DC_ChargeLoop* → PowerDelivery(Stop) → DC_WeldingDetection* → SessionStop;
 * AC and AC_BPT (`ac`): after ScheduleExchange → PowerDelivery(Start) → AC_ChargeLoop* (ChargingStatus) →
 * PowerDelivery(Stop) → SessionStop, no CableCheck, PreCharge or WeldingDetection. A schedule renegotiation
 * (Scheduled mode; unconfirmed, per hupe1980/iso15118): PowerDelivery(ScheduleRenegotiation) →
 * ChargeParameterDiscovery? → ScheduleExchange → PowerDelivery. `processing` is the EVSEProcessing of the
 * last Authorization/ScheduleExchange/CableCheck response, or the EV's EVProcessing of the last
 * PreCharge/PowerDelivery/WeldingDetection request.
 */
function allowedNextIso20(p: SequencePosition): readonly MsgName[] {
  const stop: MsgName = "SessionStop";
  const ongoing = p.processing === "Ongoing";
  switch (p.last) {
    case null:
      return ["SessionSetup"];
    case "SessionSetup":
      return p.resumed ? ["ChargeParameterDiscovery", stop] : ["AuthorizationSetup", stop];
    case "AuthorizationSetup":
      return ["Authorization", stop];
    case "Authorization":
      // [V2G20-2230]: after WARNING_EIMAuthorizationFailure the EV may ask again
      return ongoing ? ["Authorization", stop] : ["ServiceDiscovery", "Authorization", stop];
    case "ServiceDiscovery":
      return ["ServiceDetail", stop];
    case "ServiceDetail":
      return ["ServiceDetail", "PaymentSelection", stop];
    case "PaymentSelection":
      return ["ChargeParameterDiscovery", stop];
    case "ChargeParameterDiscovery":
      return ["ScheduleExchange", stop];
    case "ScheduleExchange":
      if (ongoing) return ["ScheduleExchange", stop];
      // a schedule renegotiation goes straight back to PowerDelivery(Start): no new cable check (unconfirmed)
      if (p.renegotiating || p.powerDelivery === "renegotiate") return ["PowerDelivery", stop];
      return p.ac ? ["PowerDelivery", stop] : ["CableCheck", stop];
    case "CableCheck":
      return ongoing ? ["CableCheck", stop] : ["PreCharge", stop];
    case "PreCharge":
      return ongoing ? ["PreCharge", stop] : ["PowerDelivery", stop];
    case "PowerDelivery":
      if (ongoing) return ["PowerDelivery", stop];
      if (p.powerDelivery === "stop") return p.ac ? [stop] : ["WeldingDetection", stop];
      // PowerDelivery(ScheduleRenegotiation): ChargeParameterDiscovery is optional (unconfirmed)
      if (p.powerDelivery === "renegotiate") return ["ChargeParameterDiscovery", "ScheduleExchange", stop];
      return p.ac ? ["ChargingStatus", "PowerDelivery", stop] : ["CurrentDemand", "PowerDelivery", stop];
    case "CurrentDemand":
      return ["CurrentDemand", "PowerDelivery", stop];
    case "ChargingStatus":
      return ["ChargingStatus", "PowerDelivery", stop];
    case "WeldingDetection":
      return ongoing ? ["WeldingDetection", stop] : [stop];
    case "SessionStop":
      return [];
    default:
      return [stop];
  }
}

/** Requests allowed next (SessionStop is allowed from every state after SessionSetup). */
export function allowedNext(p: SequencePosition): readonly MsgName[] {
  if (p.protocol === "iso20") return allowedNextIso20(p);
  const iso = p.protocol === "iso2";
  const stop: MsgName = "SessionStop";
  switch (p.last) {
    case null:
      return ["SessionSetup"];
    case "SessionSetup":
      return ["ServiceDiscovery", stop];
    case "ServiceDiscovery":
    case "ServiceDetail":
      return ["ServiceDetail", "PaymentSelection", stop];
    case "PaymentSelection":
      return ["Authorization", "PaymentDetails", "CertificateInstallation", "CertificateUpdate", stop];
    case "CertificateInstallation":
    case "CertificateUpdate":
      return ["PaymentDetails", stop];
    case "PaymentDetails":
      return ["Authorization", stop];
    case "Authorization":
      return p.processing === "Ongoing" ? ["Authorization", stop] : ["ChargeParameterDiscovery", stop];
    case "ChargeParameterDiscovery":
      if (p.processing === "Ongoing") return ["ChargeParameterDiscovery", stop];
      if (p.ac || p.renegotiating) return ["PowerDelivery", stop];
      return ["CableCheck", stop];
    case "CableCheck":
      return p.processing === "Ongoing" ? ["CableCheck", stop] : ["PreCharge", stop];
    case "PreCharge":
      return ["PreCharge", "PowerDelivery", stop];
    case "PowerDelivery":
      if (p.powerDelivery === "renegotiate") return ["ChargeParameterDiscovery", stop];
      if (p.powerDelivery === "stop") return p.ac ? [stop] : ["WeldingDetection", stop];
      return p.ac ? ["ChargingStatus", "PowerDelivery", stop] : ["CurrentDemand", "PowerDelivery", stop];
    case "CurrentDemand":
      return iso
        ? ["CurrentDemand", "MeteringReceipt", "PowerDelivery", stop]
        : ["CurrentDemand", "PowerDelivery", stop];
    case "ChargingStatus":
      return ["ChargingStatus", "MeteringReceipt", "PowerDelivery", stop];
    case "MeteringReceipt":
      return p.ac ? ["ChargingStatus", "PowerDelivery", stop] : ["CurrentDemand", "PowerDelivery", stop];
    case "WeldingDetection":
      return ["WeldingDetection", stop];
    case "SessionStop":
      return [];
    case "AuthorizationSetup":
    case "ScheduleExchange":
      return [stop]; // ISO-20 only
  }
}
