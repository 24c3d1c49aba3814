/**
 * The phase a live fleet session was in when it failed, from what the EV host saw: plug-in (pilot,
 * board), SDP, TCP/TLS, supportedAppProtocol, then the V2G request that was being exchanged (DIN SPEC 70121
 * §9.1 / ISO 15118-2 §8.8.3 message sequence, ISO 15118-20 §8.8 for -20), CableCheck, PreCharge, the
 * charge loop and stop (PowerDelivery stop, WeldingDetection, SessionStop). Pure.
 */
import type { DcSessionPhase } from "../../v2g/index.js";

/** Request names in sequence order before the energy transfer (DIN SPEC 70121 / ISO 15118-2). */
const ISO2_ORDER = [
  "SessionSetup",
  "ServiceDiscovery",
  "ServiceDetail",
  "ServicePaymentSelection",
  "PaymentServiceSelection",
  "CertificateInstallation",
  "CertificateUpdate",
  "PaymentDetails",
  "ContractAuthentication",
  "Authorization",
  "ChargeParameterDiscovery",
];

/** The same for ISO 15118-20 (authorisation before the service discovery). */
const ISO20_ORDER = [
  "SessionSetup",
  "AuthorizationSetup",
  "Authorization",
  "ServiceDiscovery",
  "ServiceDetail",
  "ServiceSelection",
  "ChargeParameterDiscovery",
  "ScheduleExchange",
];

/** What the EV host saw of a session (its report, or its live state for one that never ended). */
export interface SessionTrace {
  protocol: string | null;
  /** Messages sent and received by name ("SessionSetupReq", "DC_CableCheckRes", …). */
  messageCounts: Record<string, number>;
  /** Session phases reached, in order (connecting, cable-check, pre-charge, charging, stopping, ended). */
  phases: readonly { phase: DcSessionPhase }[];
  /** V2G connections the EV opened. */
  v2gConnections?: number | undefined;
  /** The EV controller reached SDP (its pilot and board were up). */
  reachedSdp: boolean;
}

/** Name of a phase of a failed session (`SDP`, `TCP/TLS`, `SessionSetup`, `charge loop`, …). */
export function failurePhase(t: SessionTrace): string {
  const last = t.phases.at(-1)?.phase ?? "connecting";
  if (last === "charging") return "charge loop";
  if (last === "stopping" || last === "ended") return "stop";
  if (last === "pre-charge") return "PreCharge";
  if (last === "cable-check") return "CableCheck";
  const sent = (base: string) =>
    (t.messageCounts[`${base}Req`] ?? 0) > 0 || (t.messageCounts[`DC_${base}Req`] ?? 0) > 0;
  const order = t.protocol === "iso20" ? ISO20_ORDER : ISO2_ORDER;
  for (let k = order.length - 1; k >= 0; k--) if (sent(order[k]!)) return order[k]!;
  if ((t.messageCounts.supportedAppProtocolReq ?? 0) > 0) return "supportedAppProtocol";
  if ((t.v2gConnections ?? 0) > 0) return "TCP/TLS";
  return t.reachedSdp ? "SDP" : "plug-in";
}
