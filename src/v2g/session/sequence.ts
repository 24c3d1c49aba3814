/**
 * Message sequence tables of DIN 70121 DC and ISO 15118-2 DC/AC EIM (digest §5.2, §5.3): which request may
 * follow the last one answered. Shared by the SECC (sequence-error detection, [V2G2-459]/[V2G2-538]) and the
 * EVCC (validating its own next request in replay tests).
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
  /** AC energy transfer (ISO-2 AC) instead of DC. */
  ac: boolean;
  /** A ChargeParameterDiscovery after PowerDelivery(Renegotiate) (ISO-2), which leads back to PowerDelivery. */
  renegotiating: boolean;
}

/** Requests allowed next (SessionStop is allowed from every state after SessionSetup). */
export function allowedNext(p: SequencePosition): readonly MsgName[] {
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
  }
}
