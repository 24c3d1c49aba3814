/**
 * Events and effects of the SECC and EVCC session machines. Both machines are pure step
 * functions `step(state, event) → [state, effects]`; time arrives with every event (`tMs`, virtual or real
 * milliseconds), timers are requested with `set-timer` effects and come back as `timer` events.
 */
import type { CpState } from "../../pilot/index.js";
import type { V2gProtocol } from "../handshake/namespaces.js";
import type { EvccPortCommand, EvccReadings } from "../ports/evcc-ports.js";
import type { SeccPortCommand, SeccReadings } from "../ports/secc-ports.js";

/**
 * Protocol-neutral names of the request/response pairs of DIN 70121, ISO 15118-2 (§8.8.3/§8.8.4) and
 * ISO 15118-20 AC and DC: a -20 message takes the name of the DIN/ISO-2 one with
 * the same meaning (DC_ChargeLoop ↔ CurrentDemand, AC_ChargeLoop ↔ ChargingStatus, AC/DC_ChargeParameterDiscovery
 * ↔ ChargeParameterDiscovery, DC_CableCheck ↔ CableCheck, ServiceSelection ↔ PaymentSelection, …);
 * AuthorizationSetup and ScheduleExchange exist only in -20.
 */
export type MsgName =
  | "SessionSetup"
  /** ISO-20 AuthorizationSetup. */
  | "AuthorizationSetup"
  | "ServiceDiscovery"
  | "ServiceDetail"
  /** DIN ServicePaymentSelection / ISO-2 PaymentServiceSelection / ISO-20 ServiceSelection. */
  | "PaymentSelection"
  | "PaymentDetails"
  /** DIN ContractAuthentication / ISO-2 Authorization / ISO-20 Authorization. */
  | "Authorization"
  /** ISO-20: AC_ / DC_ChargeParameterDiscovery (by the selected service). */
  | "ChargeParameterDiscovery"
  /** ISO-20 ScheduleExchange. */
  | "ScheduleExchange"
  /** ISO-20: DC_CableCheck. */
  | "CableCheck"
  /** ISO-20: DC_PreCharge. */
  | "PreCharge"
  | "PowerDelivery"
  /** ISO-20: DC_ChargeLoop. */
  | "CurrentDemand"
  /** ISO-20: AC_ChargeLoop. */
  | "ChargingStatus"
  | "MeteringReceipt"
  | "WeldingDetection"
  | "SessionStop"
  | "CertificateInstallation"
  | "CertificateUpdate";

/** Why a session ended (the `session-end` effect). */
export type StopReason =
  /** SessionStop(Terminate) completed. */
  | "terminated"
  /** ISO-2 / ISO-20 SessionStop(Pause) completed; the SessionID stays valid for a later SessionSetupReq. */
  | "paused"
  | "no-negotiation"
  | "sequence-error"
  | "unknown-session"
  /** A response carried a FAILED_* code (SECC sent it / EVCC received it). */
  | "failed-response"
  | "decode-error"
  | "unexpected-message"
  | "timeout"
  | "peer-closed"
  /** EVSENotification StopCharging/ReNegotiation not acted upon within NotificationMaxDelay. */
  | "notification-timeout"
  | "cp-state"
  | "emergency"
  | "ev-error"
  /** The EVSE does not offer what the EV needs (payment option, energy transfer mode). */
  | "incompatible"
  /**
   * EIM: the authorisation was rejected (by the backend or the operator): DIN 70121
   * ContractAuthenticationRes / ISO 15118-2 AuthorizationRes with ResponseCode FAILED and EVSEProcessing
   * Finished. A refusal, not a fault: nothing was energised.
   */
  | "authorization-rejected"
  /**
   * ISO-2 PnC: a CertificateInstallationRes / CertificateUpdateRes whose signature, CPS certificate or
   * contract key did not check out; the message is discarded ([V2G2-891]).
   */
  | "certificate-rejected"
  /**
   * ISO-2 Plug & Charge, SECC: CertificateInstallationReq refused with a FAILED code (request signature, OEM
   * provisioning certificate, no contract at the CPS; codes as RISE-V2G and EcoG-io/iso15118 use them).
   */
  | "certificate-installation-refused"
  /** ISO-2 Plug & Charge, SECC: CertificateUpdateReq refused with a FAILED code (as RISE-V2G answers it). */
  | "certificate-update-refused"
  /**
   * Plug & Charge: the contract chain failed validation (ISO-2 FAILED_CertChainError / FAILED_NoCertificateAvailable;
   * ISO-20 WARNING_CertificateValidationError / WARNING_eMSPUnknown).
   */
  | "contract-invalid"
  /**
   * Plug & Charge: a certificate of the contract chain is expired or not yet valid (ISO-2 FAILED_CertificateExpired;
   * ISO-20 WARNING_CertificateExpired / WARNING_CertificateNotYetValid).
   */
  | "contract-expired"
  /** Plug & Charge: a certificate of the contract chain is revoked (ISO-2 FAILED_ / ISO-20 WARNING_CertificateRevoked). */
  | "contract-revoked"
  /** Plug & Charge: GenChallenge missing, wrong or replayed (ISO-2 FAILED_ / ISO-20 WARNING_ChallengeInvalid). */
  | "challenge-invalid"
  /** Plug & Charge: AuthorizationReq signature missing or invalid (FAILED_SignatureError, ISO-2 and ISO-20). */
  | "signature-invalid"
  /**
   * ISO-2: MeteringReceiptReq signature invalid, or its MeterInfo not the one the SECC asked to be signed
   * (FAILED_MeteringSignatureNotValid).
   */
  | "metering-signature-invalid"
  /** A message we built did not encode (a bug or an out-of-range port value); logged with the field path. */
  | "internal-error";

/** One decoded message, for observers (CLI, dashboard, traces). */
export interface TraceEffect {
  kind: "trace";
  dir: "rx" | "tx";
  protocol: V2gProtocol | "sap";
  /** Body element name, e.g. "CurrentDemandReq". */
  name: string;
  message: unknown;
}

/** Effects common to both machines. */
export type CommonEffect =
  /** Send `bytes` (an EXI document) in a V2GTP message of `payloadType`. */
  | { kind: "send"; payloadType: number; bytes: Uint8Array; name: string }
  | { kind: "set-timer"; id: string; atMs: number }
  | { kind: "clear-timer"; id: string }
  /** Close the TCP/TLS connection. */
  | { kind: "close"; reason: string }
  | { kind: "log"; level: "debug" | "info" | "warn" | "error"; msg: string; data?: Record<string, unknown> }
  | { kind: "session-end"; stopReason: StopReason; detail: string }
  | { kind: "negotiated"; protocol: V2gProtocol; schemaId: number }
  | TraceEffect;

/** Effects of the SECC machine. */
export type SeccEffect = CommonEffect | { kind: "port-command"; command: SeccPortCommand };

/** Effects of the EVCC machine. */
export type EvccEffect = CommonEffect | { kind: "port-command"; command: EvccPortCommand };

/** Operator/controller requests to the SECC. */
export type SeccControl =
  /**
   * Ask the EV to stop: EVSENotification StopCharging with NotificationMaxDelay (DIN 70121 / ISO 15118-2).
   */
  | { op: "stop-charging" }
  /** Ask the EV to renegotiate (ISO-2): EVSENotification ReNegotiation. */
  | { op: "renegotiate" }
  /**
   * Ask the EV to pause (ISO 15118-20, [V2G20-3308]): EVSENotification Pause with
   * NotificationMaxDelay (`pauseNotificationMaxDelayS`); the EV runs PowerDelivery(Stop) → (DC)
   * WeldingDetection → SessionStop(Pause) and the SECC keeps the session for OK_OldSessionJoined. DIN 70121
   * and ISO 15118-2 have no EVSE-initiated pause: there this is StopCharging (the session ends).
   */
  | { op: "pause" }
  /** Immediate stop: power off, contactors open, EVSE_EmergencyShutdown, session closed. */
  | { op: "emergency-stop" };

/** Inputs of the SECC machine. */
export type SeccEvent =
  /**
   * A TCP/TLS connection from an EVCC was accepted (the first message will be supportedAppProtocolReq);
   * `tls`: the TLS version of the connection, absent for plain TCP; `peerCertSha512`: SHA-512 (hex) of the
   * vehicle certificate of a mutual-TLS connection.
   */
  | { kind: "connected"; tMs: number; tls?: "1.2" | "1.3"; peerCertSha512?: string }
  /** A complete V2GTP message; `bytes` is the raw payload (EXI), so decode errors are the machine's. */
  | { kind: "message"; payloadType: number; bytes: Uint8Array; tMs: number }
  | { kind: "timer"; id: string; tMs: number }
  /** New port readings (only the fields that changed need be given). */
  | { kind: "port"; readings: Partial<SeccReadings>; tMs: number }
  /**
   * CP state seen by the EVSE (DC needs C/D during CableCheck, per pyPLC; AC closes within 3 s of C/D,
   * [V2G2-860]).
   */
  | { kind: "cp"; state: CpState; tMs: number }
  | { kind: "control"; control: SeccControl; tMs: number }
  /** The transport closed (peer FIN, error). */
  | { kind: "closed"; reason: string; tMs: number }
  /**
   * The backend's answer to the forwarded certificate request `id` (`SeccState.certForward`): the EXI of its
   * CertificateInstallationRes / CertificateUpdateRes V2G_Message, or null with `detail` (none, refused, offline).
   */
  | { kind: "certificate-response"; id: number; exi: Uint8Array | null; detail?: string; tMs: number };

/** Operator/driver requests to the EVCC. */
export type EvccControl =
  /** Stop charging and terminate the session. */
  | { op: "stop" }
  /** ISO-2: stop charging and pause the session (SessionStop Pause), keeping the SessionID. */
  | { op: "pause" }
  /**
   * The driver's departure time (`atMs` on the machine's clock, null = none): the DepartureTime of the
   * following requests counts down to it (ISO-2 ChargeParameterDiscoveryReq, ISO-20 ScheduleExchangeReq and
   * Dynamic DC_ChargeLoopReq). Taken in any state; it does not stop anything.
   */
  | { op: "departure"; atMs: number | null }
  /**
   * ISO-20: select the bidirectional service (DC_BPT / AC_BPT, when offered) at the next ServiceDiscovery, or
   * not (EvccConfig `bidirectional`). Taken in any state; a session already past ServiceSelection keeps its
   * service.
   */
  | { op: "bidirectional"; on: boolean };

/** Inputs of the EVCC machine. */
export type EvccEvent =
  /** The TCP/TLS connection to the SECC is up: the EVCC sends supportedAppProtocolReq. */
  | { kind: "connected"; tMs: number }
  | { kind: "message"; payloadType: number; bytes: Uint8Array; tMs: number }
  | { kind: "timer"; id: string; tMs: number }
  | { kind: "port"; readings: Partial<EvccReadings>; tMs: number }
  | { kind: "control"; control: EvccControl; tMs: number }
  | { kind: "closed"; reason: string; tMs: number };
