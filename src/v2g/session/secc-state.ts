/**
 * SECC machine configuration and state, shared by the DIN 70121 and ISO 15118-2 handlers.
 * Treat the state as opaque outside src/v2g; hosts only create it and pass it back to `stepSecc`.
 */

import type { iso2 } from "../../codecs/index.js";
import type { CpState } from "../../pilot/index.js";
import type { V2gProtocol } from "../handshake/namespaces.js";
import type { Certificate } from "../pnc/cert.js";
import type { ChainValidator } from "../pnc/cert-fields.js";
import type { LocalCps } from "../pnc/cps.js";
import type { SignedSalesTariff } from "../pnc/sales-tariff.js";
import { defaultSeccReadings, type PowerSchedule, type SeccReadings } from "../ports/secc-ports.js";
import type { SeccDefectName } from "./defects.js";
import type { Iso20ControlMode, Iso20Session } from "./iso20-session.js";
import { SESSION_ID_LENGTH } from "./session-id.js";
import {
  V2G_SECC_COMMUNICATION_SETUP_TIMEOUT_MS,
  V2G_SECC_CP_STATE_DETECTION_TIMEOUT_MS,
  V2G_SECC_PERFORMANCE_TIME_CERT_INSTALL_MS,
  V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS,
  V2G_SECC_SEQUENCE_TIMEOUT_MS,
} from "./timeouts.js";
import { withoutTimer, withTimer } from "./timer-table.js";
import type { MsgName, SeccEffect, StopReason } from "./types.js";

/** ISO-2 EnergyTransferMode names (DIN's EVRequestedEnergyTransferType uses the same names). */
export type EnergyTransferMode =
  | "AC_single_phase_core"
  | "AC_three_phase_core"
  | "DC_core"
  | "DC_extended"
  | "DC_combo_core"
  | "DC_unique";

/** True for the AC energy transfer modes (ISO 15118-2 AC_single_phase_core / AC_three_phase_core). */
export function isAcMode(mode: EnergyTransferMode | string | null | undefined): boolean {
  return mode === "AC_single_phase_core" || mode === "AC_three_phase_core";
}

/** Default NotificationMaxDelay announced with StopCharging/ReNegotiation (s) — implementation choice. */
export const DEFAULT_NOTIFICATION_MAX_DELAY_S = 10;

/**
 * NotificationMaxDelay announced with an ISO 15118-20 EVSENotification Pause (s): 60 s as [V2G20-3308] and
 * EVerest's -20 SECC (older libiso15118 sent 0 in Scheduled mode, [V2G20-1850] — configurable).
 */
export const ISO20_PAUSE_NOTIFICATION_MAX_DELAY_S = 60;

/**
 * ISO 15118-2 Plug & Charge (Contract payment) on the SECC. The host injects the trust anchors and a CSPRNG
 * for GenChallenge ([V2G2-825]: at least 120 bits of entropy; a simulator may inject a seeded generator).
 */
export interface SeccPncConfig {
  /** Trusted MO roots (DER). A contract chain may end at an MO root or at a V2G root. */
  moRoots: Uint8Array[];
  /** Trusted V2G roots (DER). */
  v2gRoots: Uint8Array[];
  /** `n` random bytes (GenChallenge). */
  randomBytes: (n: number) => Uint8Array;
  /** Revocation check (OCSP / backend): true = revoked. Absent: nothing is revoked. */
  isRevoked?: (cert: Certificate) => boolean;
  /** Lab switch: offer Contract on a connection without TLS (the simulator models no TLS). Default off. */
  withoutTls?: boolean;
  /**
   * A SalesTariff signed by the mobility operator (its MO Sub-CA 2), as the backend delivers it: sent in
   * ChargeParameterDiscoveryRes of Contract sessions with its signature unchanged. Absent: no SalesTariff.
   */
  salesTariff?: SignedSalesTariff;
}

/**
 * ISO 15118-20 Plug & Charge on the SECC: the -20 trust anchors (P-521, [V2G20-2674]) and a CSPRNG for the
 * GenChallenge of AuthorizationSetupRes ([V2G20-698]: 128 bits, at least 120 bits of entropy). PnC is offered
 * only on TLS 1.3 ([V2G20-2356]).
 */
export interface SeccPnc20Config {
  /** Trusted MO roots (DER). A contract chain may end at an MO root or at a V2G root. */
  moRoots: Uint8Array[];
  /** Trusted V2G roots (DER). */
  v2gRoots: Uint8Array[];
  /** `n` random bytes (GenChallenge). */
  randomBytes: (n: number) => Uint8Array;
  /** Revocation check (OCSP / backend): true = revoked. Absent: nothing is revoked. */
  isRevoked?: (cert: Certificate) => boolean;
  /** Lab switch: offer PnC on a connection that is not TLS 1.3 (the simulator models no TLS). Default off. */
  withoutTls?: boolean;
  /** Lab switch: accept P-256 contracts and ECDSA P-256/SHA-256 signatures (lab peers' -20 PKIs). Default off. */
  labP256?: boolean;
}

/** SECC configuration. */
export interface SeccConfig {
  /** Protocols the SECC supports (the EV's Priority decides among them). */
  protocols: V2gProtocol[];
  /** EVSEID (ISO-2 string, e.g. "DE*NAC*E0001"; DIN sends its ASCII bytes). */
  evseId: string;
  /** Energy transfer modes offered in ServiceDiscoveryRes (DIN offers the first DC one). */
  energyModes: EnergyTransferMode[];
  /** Payment options offered: EIM only until Plug & Charge lands. */
  paymentOptions: ("ExternalPayment" | "Contract")[];
  freeService: boolean;
  notificationMaxDelayS: number;
  /** ISO-20: NotificationMaxDelay with EVSENotification Pause (s); default {@link ISO20_PAUSE_NOTIFICATION_MAX_DELAY_S}. */
  pauseNotificationMaxDelayS: number;
  /** AC / ISO-2: ask the EV for a MeteringReceipt in ChargingStatusRes/CurrentDemandRes. */
  receiptRequired: boolean;
  meterId: string;
  sequenceTimeoutMs: number;
  communicationSetupTimeoutMs: number;
  cpStateDetectionTimeoutMs: number;
  /** Seed of the SessionID generator. */
  seed: number;
  /** Length of the SessionIDs handed out, 1–8 bytes (default 8; a Tesla Supercharger uses 4). */
  sessionIdLength: number;
  /**
   * Lab switch: choose ISO 15118-20 on a connection that is not TLS 1.3. The standard allows -20 only on
   * TLS 1.3 ([V2G20-2356]); every public stack runs it over plain TCP for lab interop. Default off.
   */
  iso20WithoutTls: boolean;
  /** Unix time (s) at tMs = 0, for DateTimeNow / EVSETimeStamp / TMeter. */
  epochS: number;
  /** SAScheduleTupleID of the single schedule offered. */
  saScheduleTupleId: number;
  /** Initial port readings. */
  readings: SeccReadings;
  /** Emit `trace` effects with every decoded/encoded message. */
  trace: boolean;
  /**
   * ISO-20: also offer the bidirectional services (DC_BPT beside DC, AC_BPT beside AC; ISO 15118-20
   * Table 204). Default off.
   */
  bidirectional: boolean;
  /** ISO-20: control modes offered as DC parameter sets ([V2G20-2656]: offer a set for each). */
  iso20ControlModes: Iso20ControlMode[];
  /**
   * ISO-20 Scheduled mode: schedule renegotiation (unconfirmed flow, per hupe1980/iso15118:
   * PowerDelivery(ScheduleRenegotiation) → ChargeParameterDiscovery? → ScheduleExchange → PowerDelivery(Start),
   * no new cable check) is accepted and asked for (EVSENotification ScheduleRenegotiation) when the backend's
   * schedule changes. Off: WARNING_ScheduleRenegotiationFailed, as a stack without it answers. Default off; the
   * EVSE controller turns it on.
   */
  iso20ScheduleRenegotiation: boolean;
  /**
   * ISO-20: V2G_SECC_Sequence_Timeout after a DC_ChargeLoopRes ([V2G20-1500]/[V2G20-1502]: 0.5 s; lab peers
   * wait 60 s).
   */
  iso20ChargeLoopSequenceTimeoutMs: number;
  /**
   * ISO-2 Plug & Charge: the local CPS answering CertificateInstallationReq / CertificateUpdateReq. When set,
   * ServiceDiscoveryRes offers the ContractCertificate service (ServiceID 2, as RISE-V2G and EVerest);
   * absent, both requests get FAILED_NoCertificateAvailable.
   */
  cps?: LocalCps;
  /**
   * ISO-2 Plug & Charge: the CPS is reached through the charger's backend (OCPP 2.0.1
   * Get15118EVCertificate) instead of `cps`: a CertificateInstallationReq / CertificateUpdateReq that passes
   * the SECC's own checks is handed to the host as raw EXI ({@link SeccState.certForward}) and the backend's
   * EXI response is relayed as is; ServiceDiscoveryRes offers the ContractCertificate service. Default off.
   */
  cpsBackend: boolean;
  /**
   * How long the SECC waits for the backend's certificate response before it answers
   * FAILED_NoCertificateAvailable itself (default {@link V2G_SECC_PERFORMANCE_TIME_CERT_INSTALL_MS}: the EV
   * gives up at its 5 s V2G_EVCC_Msg_Timeout, ISO 15118-2 Table 109).
   */
  cpsBackendTimeoutMs: number;
  /** Seam for full path validation of the OEM provisioning certificate (absent: signature, validity, DC only). */
  validateOemChain?: ChainValidator;
  /** Seam for full path validation of the old contract chain of CertificateUpdateReq (absent: leaf checks only). */
  validateContractChain?: ChainValidator;
  /** ISO-2 Plug & Charge; absent: Contract is never offered. */
  pnc?: SeccPncConfig;
  /** ISO-20 Plug & Charge; absent: AuthorizationSetupRes offers EIM only. */
  pnc20?: SeccPnc20Config;
  /**
   * TEST-ONLY: one injected defect (defects.ts) for the mutation check of the conformance harness. Absent:
   * none — never set outside a test (`nacs evse --defect` needs `--lab`).
   */
  defect?: SeccDefectName;
}

/** Complete a partial configuration: ISO-20 + ISO-2 + DIN (the EV's Priority decides), DC_extended, EIM, 60 s sequence timeout, … */
export function seccConfig(partial: Partial<SeccConfig> = {}): SeccConfig {
  return {
    protocols: ["iso20", "iso2", "din"],
    evseId: "US*NAC*E0001",
    energyModes: ["DC_extended"],
    paymentOptions: ["ExternalPayment"],
    freeService: true,
    notificationMaxDelayS: DEFAULT_NOTIFICATION_MAX_DELAY_S,
    pauseNotificationMaxDelayS: ISO20_PAUSE_NOTIFICATION_MAX_DELAY_S,
    receiptRequired: false,
    meterId: "NACS-METER-1",
    sequenceTimeoutMs: V2G_SECC_SEQUENCE_TIMEOUT_MS,
    communicationSetupTimeoutMs: V2G_SECC_COMMUNICATION_SETUP_TIMEOUT_MS,
    cpStateDetectionTimeoutMs: V2G_SECC_CP_STATE_DETECTION_TIMEOUT_MS,
    seed: 0x2545f491,
    sessionIdLength: SESSION_ID_LENGTH,
    iso20WithoutTls: false,
    epochS: 1_700_000_000,
    saScheduleTupleId: 1,
    iso20ScheduleRenegotiation: false,
    readings: defaultSeccReadings(),
    trace: false,
    bidirectional: false,
    iso20ControlModes: ["scheduled", "dynamic"],
    iso20ChargeLoopSequenceTimeoutMs: V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS,
    cpsBackend: false,
    cpsBackendTimeoutMs: V2G_SECC_PERFORMANCE_TIME_CERT_INSTALL_MS,
    ...partial,
  };
}

/** What the EV told the SECC about itself (ChargeParameterDiscovery, PreCharge, CurrentDemand). */
export interface EvView {
  mode: EnergyTransferMode | null;
  maxVoltageV: number;
  maxCurrentA: number;
  maxPowerW: number;
  targetVoltageV: number;
  targetCurrentA: number;
  socPercent: number;
  /** ISO 15118-20 BPT: the EV's discharge limits (positive magnitudes), when it declared them. */
  maxDischargeCurrentA?: number;
  maxDischargePowerW?: number;
}

/** State of the SECC machine. */
export interface SeccState {
  readonly cfg: SeccConfig;
  readonly nowMs: number;
  /** idle: no connection; sap: waiting for supportedAppProtocolReq; session: V2G session; ended. */
  readonly conn: "idle" | "sap" | "session" | "ended";
  /** TLS version of the current connection (null: plain TCP or none). */
  readonly connTls: "1.2" | "1.3" | null;
  /** SHA-512 (hex) of the vehicle certificate the connection presented (mutual TLS), else null. */
  readonly connPeerCert: string | null;
  readonly protocol: V2gProtocol | null;
  readonly sessionId: Uint8Array | null;
  readonly rng: number;
  /** Last request answered OK in this session (null before SessionSetup). */
  readonly last: MsgName | null;
  /** EVSEProcessing of the last Authorization / ChargeParameterDiscovery / CableCheck response. */
  readonly processing: "Finished" | "Ongoing";
  readonly powerDelivery: "start" | "stop" | "renegotiate" | null;
  /** A ChargeParameterDiscovery after PowerDelivery(Renegotiate) is going on (ISO-2). */
  readonly renegotiating: boolean;
  readonly ev: EvView;
  readonly readings: SeccReadings;
  readonly cp: CpState | null;
  /** Cable check: when it started and whether the isolation test was commanded. */
  readonly cableCheck: { startedAtMs: number; isolationStarted: boolean; voltageV: number } | null;
  /**
   * The backend power schedule the EV's last SAScheduleList / PowerSchedule was made of (null or absent: the
   * single day at the maximum), to tell whether a later one needs a renegotiation (power-schedule.ts).
   */
  readonly scheduleSent?: PowerSchedule | null;
  /**
   * ISO-2: the MeterInfo of the last CurrentDemandRes / ChargingStatusRes that asked for a MeteringReceipt
   * (ReceiptRequired); the EV's MeteringReceiptReq must carry it back unchanged (as RISE-V2G and
   * EcoG-io/iso15118 check, FAILED_MeteringSignatureNotValid otherwise). Null or absent: none asked for.
   */
  readonly receiptMeter?: iso2.MeterInfoType | null;
  /** Pending EVSENotification; "Pause" only in ISO-20 (an EVSE-initiated pause, [V2G20-3308]). */
  readonly notification: "None" | "StopCharging" | "ReNegotiation" | "Pause";
  /** Timer deadlines by id (a timer event is honoured only if it matches). */
  readonly timers: Readonly<Record<string, number>>;
  /** ISO-2 / ISO-20 session kept by SessionStop(Pause) for OK_OldSessionJoined (-20: with its service). */
  readonly paused: { sessionId: Uint8Array; protocol: V2gProtocol; iso20?: Iso20Session } | null;
  /** ISO-20 session facts (null outside a -20 session). */
  readonly iso20: Iso20Session | null;
  readonly emergency: boolean;
  /** What the machine last commanded the EVSE contactors to be. */
  readonly contactors: "open" | "closed";
  /** ISO-2 payment of the session (null before PaymentServiceSelection). */
  readonly payment: SeccPayment | null;
  /** GenChallenges already consumed (newest last, bounded): a replayed one fails. */
  readonly usedChallenges: readonly Uint8Array[];
  /**
   * ISO-2 with `cfg.cpsBackend`: the certificate request handed to the backend and not answered yet (the
   * host forwards `exi` and steps the answer in as a `certificate-response` event with the same `id`).
   */
  readonly certForward: CertForward | null;
  /** Certificate requests forwarded so far (the next one's id). */
  readonly certForwards: number;
}

/** A certificate request of the EV waiting for the backend (OCPP 2.0.1 Get15118EVCertificateRequest). */
export interface CertForward {
  /** Unique in this machine: the backend's answer names it. */
  id: number;
  /** OCPP's CertificateActionEnumType: Install (CertificateInstallationReq) or Update (CertificateUpdateReq). */
  action: "Install" | "Update";
  /** The request element and the response element expected back. */
  element: string;
  res: string;
  /** The schema namespace of the request (OCPP's iso15118SchemaVersion). */
  schema: string;
  /** The EXI of the V2G_Message as received (no V2GTP header). */
  exi: Uint8Array;
  /** When the backend's answer is due (ms). */
  dueMs: number;
}

/** Whether the SECC provides contract certificates (a local CPS or one through the backend). */
export function providesCertificates(s: SeccState): boolean {
  return s.cfg.cps !== undefined || s.cfg.cpsBackend;
}

/** The ISO-2 payment chosen in PaymentServiceSelection and, for Contract, what PaymentDetails established. */
export interface SeccPayment {
  option: "ExternalPayment" | "Contract";
  /**
   * Contract: the validated leaf (DER), its eMAID and the sub-CA certificates the EV sent with it (DER,
   * leaf's issuer first; ISO 15118-2 ContractSignatureCertChain SubCertificates).
   */
  contract?: { leaf: Uint8Array; emaid: string; subCas?: readonly Uint8Array[] };
  /** Contract: the GenChallenge issued in PaymentDetailsRes, until the first AuthorizationReq uses it. */
  challenge?: Uint8Array;
}

/** Initial EV view before ChargeParameterDiscovery. */
export function emptyEvView(): EvView {
  return {
    mode: null,
    maxVoltageV: 0,
    maxCurrentA: 0,
    maxPowerW: 0,
    targetVoltageV: 0,
    targetCurrentA: 0,
    socPercent: 0,
  };
}

/** Result of a handler or helper: new state plus effects. */
export type Step<S, E> = [S, E[]];

/** Set timer `id` to fire at `atMs`. */
export function setTimer(s: SeccState, id: string, atMs: number, fx: SeccEffect[]): SeccState {
  fx.push({ kind: "set-timer", id, atMs });
  return { ...s, timers: withTimer(s.timers, id, atMs) };
}

/** Clear timer `id` if set. */
export function clearTimer(s: SeccState, id: string, fx: SeccEffect[]): SeccState {
  if (s.timers[id] === undefined) return s;
  fx.push({ kind: "clear-timer", id });
  return { ...s, timers: withoutTimer(s.timers, id) };
}

/** Clear all timers. */
export function clearAllTimers(s: SeccState, fx: SeccEffect[]): SeccState {
  for (const id of Object.keys(s.timers)) fx.push({ kind: "clear-timer", id });
  return { ...s, timers: {} };
}

/**
 * End the session: power off, contactors open, isolation monitor stopped (when anything was energised),
 * `session-end`, and closing the connection.
 */
export function endSession(
  s: SeccState,
  reason: StopReason,
  detail: string,
  fx: SeccEffect[],
  opts: { keepPaused?: boolean } = {},
): SeccState {
  let st = clearAllTimers(s, fx);
  if (
    st.powerDelivery === "start" ||
    st.cableCheck ||
    st.contactors === "closed" ||
    st.readings.contactorsClosed
  ) {
    fx.push({ kind: "port-command", command: { port: "power-stage", op: "off" } });
    fx.push({ kind: "port-command", command: { port: "contactors", op: "open" } });
  }
  if (st.cableCheck?.isolationStarted)
    fx.push({ kind: "port-command", command: { port: "isolation", op: "stop" } });
  const normal = reason === "terminated" || reason === "paused";
  fx.push({ kind: "log", level: normal ? "info" : "warn", msg: `session end: ${reason}: ${detail}` });
  fx.push({ kind: "session-end", stopReason: reason, detail });
  fx.push({ kind: "close", reason: `${reason}: ${detail}` });
  st = {
    ...st,
    conn: "ended",
    powerDelivery: null,
    cableCheck: null,
    notification: "None",
    contactors: "open",
    certForward: null,
  };
  if (!opts.keepPaused && reason !== "paused") st = { ...st, paused: null };
  return st;
}

/** Unix time (s) at virtual time `tMs`. */
export function epochSeconds(s: SeccState, tMs: number): bigint {
  return BigInt(Math.floor(s.cfg.epochS + tMs / 1000));
}
