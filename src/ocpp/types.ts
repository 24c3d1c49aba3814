/**
 * OCPP 2.0.1 charging-station logic, platform-neutral: the message shapes the station sends and accepts
 * (field names as in OCPP 2.0.1 Part 2 and its JSON schemas), and the events and effects of the pure step
 * machine {@link stepStation}. The RPC transport (OCPP-J over WebSocket) is a port outside (src/link/ocpp).
 * Times are Unix epoch milliseconds of the OCPP clock: the host decides how they map to its own clock.
 */

/** IdTokenType (OCPP 2.0.1 Part 2 §2 datatypes). */
export interface IdToken {
  idToken: string;
  type:
    | "Central"
    | "eMAID"
    | "ISO14443"
    | "ISO15693"
    | "KeyCode"
    | "Local"
    | "MacAddress"
    | "NoAuthorization";
}

/** ChargingSchedulePeriodType. */
export interface ChargingSchedulePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
  phaseToUse?: number;
}

/** ChargingScheduleType (the parts the station evaluates). */
export interface ChargingSchedule {
  id: number;
  startSchedule?: string;
  duration?: number;
  chargingRateUnit: "W" | "A";
  chargingSchedulePeriod: ChargingSchedulePeriod[];
  minChargingRate?: number;
}

/** ChargingProfilePurposeEnumType. */
export type ChargingProfilePurpose =
  | "ChargingStationExternalConstraints"
  | "ChargingStationMaxProfile"
  | "TxDefaultProfile"
  | "TxProfile";

/** ChargingProfileType. */
export interface ChargingProfile {
  id: number;
  stackLevel: number;
  chargingProfilePurpose: ChargingProfilePurpose;
  chargingProfileKind: "Absolute" | "Recurring" | "Relative";
  recurrencyKind?: "Daily" | "Weekly";
  validFrom?: string;
  validTo?: string;
  chargingSchedule: ChargingSchedule[];
  transactionId?: string;
}

/** A profile as installed: the EVSE it was set for (0 = the whole station) and when it arrived (ms). */
export interface InstalledProfile {
  evseId: number;
  receivedMs: number;
  profile: ChargingProfile;
}

/** ConnectorStatusEnumType. */
export type ConnectorStatus = "Available" | "Occupied" | "Reserved" | "Unavailable" | "Faulted";

/** ChargingStateEnumType. */
export type ChargingState = "Charging" | "EVConnected" | "SuspendedEV" | "SuspendedEVSE" | "Idle";

/** TriggerReasonEnumType. */
export type TriggerReason =
  | "Authorized"
  | "CablePluggedIn"
  | "ChargingRateChanged"
  | "ChargingStateChanged"
  | "Deauthorized"
  | "EnergyLimitReached"
  | "EVCommunicationLost"
  | "EVConnectTimeout"
  | "MeterValueClock"
  | "MeterValuePeriodic"
  | "TimeLimitReached"
  | "Trigger"
  | "UnlockCommand"
  | "StopAuthorized"
  | "EVDeparted"
  | "EVDetected"
  | "RemoteStop"
  | "RemoteStart"
  | "AbnormalCondition"
  | "SignedDataReceived"
  | "ResetCommand";

/** ReasonEnumType (TransactionType.stoppedReason). */
export type StoppedReason =
  | "DeAuthorized"
  | "EmergencyStop"
  | "EnergyLimitReached"
  | "EVDisconnected"
  | "GroundFault"
  | "ImmediateReset"
  | "Local"
  | "LocalOutOfCredit"
  | "MasterPass"
  | "Other"
  | "OvercurrentFault"
  | "PowerLoss"
  | "PowerQuality"
  | "Reboot"
  | "Remote"
  | "SOCLimitReached"
  | "StoppedByEV"
  | "TimeLimitReached"
  | "Timeout";

/** One meter reading of the EVSE (what the host measures). */
export interface MeterReading {
  /** Energy.Active.Import.Register (Wh, only grows while charging). */
  energyWh: number;
  /** Power.Active.Import (W). */
  powerW: number;
  /** SoC (%), when the EV reports it. */
  socPercent?: number;
}

/** Why a charging session ended, as the host knows it (mapped to OCPP in stop-reasons.ts). */
export type StopCause =
  /** The EV ended the session (target SOC, the driver in the car); `reason` our text. */
  | { kind: "ev"; reason: string }
  /** The EVSE stopped on its own side (operator, stop request); `reason` our text. */
  | { kind: "evse"; reason: string }
  /** A safety trip of the EVSE (src/evse/safety SafetyFault name). */
  | { kind: "trip"; fault: string; reason: string }
  /** The cable was unplugged. */
  | { kind: "unplugged" }
  /** The host's time limit. */
  | { kind: "time-limit" };

/** OCSPRequestDataType (OCPP 2.0.1): a certificate's RFC 6960 CertID in hex and its OCSP responder URL. */
export interface OcspRequestData {
  hashAlgorithm: "SHA256" | "SHA384" | "SHA512";
  issuerNameHash: string;
  issuerKeyHash: string;
  serialNumber: string;
  responderURL: string;
}

/** What the station is configured with. */
export interface StationConfig {
  /** ChargingStationType of BootNotificationRequest. */
  chargingStation: { vendorName: string; model: string; serialNumber?: string; firmwareVersion?: string };
  /** The EVSE and connector this station models (one of each for now). */
  evseId: number;
  connectorId: number;
  /** SampledDataCtrlr.TxUpdatedInterval (s): periodic meter values during a transaction; 0 = none. */
  txUpdatedIntervalS: number;
  /** Heartbeat interval (s) until the CSMS sets one in BootNotificationResponse. */
  heartbeatIntervalS: number;
  /** After a BootNotification Pending / Rejected or a failed one, retry after this long (s) at the least. */
  bootRetryS: number;
  /** Prefix of the transactionIds this station makes (unique per station). */
  transactionPrefix: string;
  /**
   * AuthCtrlr.OfflineTxForUnknownIdEnabled (OCPP 2.0.1 C15; 1.6 AllowOfflineTxForUnknownId): a token
   * presented while the CSMS is unreachable is accepted locally (true) or rejected (false, the default).
   * The station has no local authorisation list nor cache, so every token is unknown offline.
   */
  offlineTxForUnknownIdEnabled?: boolean;
  /**
   * A02 renewal of the SECC's V2G certificate: a CSR is made on its own when the leaf expires within this
   * many days (absent or 0: only on TriggerMessage SignV2GCertificate). The CSMS sets it as the variable
   * ISO15118Ctrlr.V2GCertificateRenewBeforeDays.
   */
  v2gRenewBeforeDays?: number;
}

/** One outbound CALL: `id` is the station's own (correlates the result), `action` the OCPP message. */
export interface OcppCall {
  id: string;
  action: string;
  payload: Record<string, unknown>;
  /** Transaction-related (TransactionEvent): kept and sent in order even across a connection loss. */
  txRelated: boolean;
  /**
   * OCPP 1.6: the station's own number of the transaction the call belongs to; its `transactionId` (the
   * CSMS's, from StartTransaction.conf) is filled in when the call is sent.
   */
  txLocal?: number;
}

/** One period of a composite schedule: from `startS` after its start, `limitW` (null = no profile limits). */
export interface SchedulePeriod {
  startS: number;
  limitW: number | null;
}

/** A command to the EVSE controller (src/evse/dc inputs without the time). */
export type EvseCommand =
  | { kind: "set-power-limit"; maxPowerW: number | null }
  /**
   * The composite schedule of the next 24 h from now (K08), for the ISO 15118 SAScheduleList / PowerSchedule
   * (K15); null: no profile limits the station in that time.
   */
  | { kind: "set-power-schedule"; periods: readonly SchedulePeriod[] | null }
  | { kind: "stop-charging"; reason: string }
  | { kind: "authorization"; result: "pending" | "accepted" | "rejected" }
  /** The backend's answer to the SECC's certificate request `id`: EXI to relay, or null with the reason. */
  | { kind: "certificate-response"; id: number; exi: Uint8Array | null; detail?: string };

/**
 * The SECC's V2G certificate as the station knows it (OCPP 2.0.1 A02 / A03, M06): the OCSP request data of
 * its leaf, when the leaf expires, and until when the cached OCSP response about it is valid (null: none,
 * or the host found it unusable).
 */
export interface SeccCertificateInfo {
  ocspRequestData: OcspRequestData;
  notAfterMs: number;
  ocspNextUpdateMs: number | null;
}

/** CertificateSigningUseEnumType (OCPP 2.0.1). */
export type CertificateSigningUse = "ChargingStationCertificate" | "V2GCertificate";

/** What the host does with the SECC certificate (crypto, files, the TLS server) for the station. */
export type CertificateCommand =
  /** A02: make a new key pair and a PKCS#10 CSR for the V2G certificate (the key stays on the station). */
  | { kind: "make-csr"; certificateType: "V2GCertificate" }
  /** The CSR's key is of no more use (SignCertificate rejected, connection lost). */
  | { kind: "drop-csr"; reason: string }
  /** A03: verify the chain against the pending CSR's key and the trusted V2G roots; install it if good. */
  | { kind: "install-chain"; reqId: string; certificateChain: string }
  /** M06: the CSMS's OCSP response (base64 DER OCSPResponse) about the SECC leaf, to check and staple. */
  | { kind: "ocsp-response"; ocspResult: string };

/** Inputs of the station machine; each carries the OCPP clock `tMs`. */
export type StationEvent =
  /** The RPC connection to the CSMS is up / down. */
  | { kind: "connected"; tMs: number }
  | { kind: "disconnected"; reason: string; tMs: number }
  /** The CSMS answered call `id` (CALLRESULT) or refused it (CALLERROR, or a failed send). */
  | { kind: "result"; id: string; payload: Record<string, unknown>; tMs: number }
  | { kind: "call-error"; id: string; code: string; message: string; tMs: number }
  /** A CALL from the CSMS (already schema-valid); answer with a `reply` effect of the same `reqId`. */
  | { kind: "request"; reqId: string; action: string; payload: Record<string, unknown>; tMs: number }
  /** Time passed (periodic meter values, heartbeats, schedule periods). */
  | { kind: "tick"; tMs: number }
  /** The EVSE side: cable, meter, charging state, the driver's token, the end of the session. */
  | { kind: "plugged"; tMs: number }
  | { kind: "unplugged"; tMs: number }
  | { kind: "meter"; reading: MeterReading; tMs: number }
  | { kind: "charging"; state: ChargingState; tMs: number }
  /**
   * The driver's token, or (ISO 15118 Plug & Charge, C07) the contract's eMAID with the OCSP hash data of
   * its certificate chain, sent as AuthorizeRequest iso15118CertificateHashData.
   */
  | { kind: "id-token"; idToken: IdToken; hashData?: readonly OcspRequestData[]; tMs: number }
  | { kind: "session-end"; cause: StopCause; tMs: number }
  /**
   * ISO 15118-2 Plug & Charge: the EV's CertificateInstallationReq / CertificateUpdateReq the SECC holds for
   * the CPS behind the CSMS (M01 / M02, Get15118EVCertificate); `id` names it in the answer to the EVSE.
   */
  | {
      kind: "ev-certificate-request";
      id: number;
      action: "Install" | "Update";
      /** iso15118SchemaVersion, e.g. "urn:iso:15118:2:2013:MsgDef". */
      schemaVersion: string;
      /** The EXI of the request's V2G_Message, as received from the EV. */
      exi: Uint8Array;
      tMs: number;
    }
  /**
   * The transaction-related calls a previous run of the station queued and never saw answered (its journal
   * on disk), in their order: they go first in the outbox, with their ids.
   */
  | {
      kind: "restored";
      calls: readonly OcppCall[];
      /** 1.6: the CSMS's transactionId of the station's transaction numbers those calls refer to. */
      txIds?: Readonly<Record<number, number>>;
      tMs: number;
    }
  /** The SECC certificate the station manages (at start, after an install, after an OCSP response). */
  | { kind: "secc-certificate"; info: SeccCertificateInfo; tMs: number }
  /** The host made the CSR a `make-csr` asked for (PEM), or could not (`error`). */
  | { kind: "csr"; csr: string; tMs: number }
  | { kind: "csr-failed"; error: string; tMs: number }
  /** The host's verdict on an `install-chain` (A03): the CertificateSigned answer of request `reqId`. */
  | {
      kind: "chain-checked";
      reqId: string;
      status: "Accepted" | "Rejected";
      reasonCode?: string;
      additionalInfo?: string;
      tMs: number;
    };

/** Outputs of the station machine. */
export type StationEffect =
  | { kind: "send"; call: OcppCall }
  | { kind: "reply"; reqId: string; payload: Record<string, unknown> }
  | { kind: "evse"; command: EvseCommand }
  /** To the host's certificate store (OCPP 2.0.1 A02 / A03 / M06); its answers come back as events. */
  | { kind: "certificate"; command: CertificateCommand }
  | { kind: "log"; level: "debug" | "info" | "warn" | "error"; msg: string };
