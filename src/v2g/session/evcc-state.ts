/**
 * EVCC machine configuration and state, shared by the DIN 70121 and ISO 15118-2 message
 * builders. Treat the state as opaque outside src/v2g.
 */

import type { V2gProtocol } from "../handshake/namespaces.js";
import type { ChainValidator } from "../pnc/cert-fields.js";
import { type Contract, contractUsable } from "../pnc/contract-store.js";
import { currentContract, type InstalledContracts } from "../pnc/installed-contract.js";
import type { SalesTariffCheck } from "../pnc/sales-tariff.js";
import { defaultEvccReadings, type EvccReadings } from "../ports/evcc-ports.js";
import { PRECHARGE_TOLERANCE_IEC_V } from "./dc-physics.js";
import type { EvccDefectName } from "./evcc-defects.js";
import { type Iso20BptChannel, type Iso20ControlMode, isBptService } from "./iso20-session.js";
import { type EnergyTransferMode, isAcMode } from "./secc-state.js";
import {
  DEFAULT_DIN_EDITION,
  type DinEdition,
  V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS,
  V2G_EVCC_ONGOING_TIMEOUT_MS,
  V2G_EVCC_PRE_CHARGE_TIMEOUT_MS,
} from "./timeouts.js";
import { withoutTimer, withTimer } from "./timer-table.js";
import type { EvccEffect, MsgName } from "./types.js";

/** Pause between two requests of a loop (ms) — implementation choices, not figures of a standard. */
export interface EvccPacing {
  /** Between Ongoing repetitions (Authorization, ChargeParameterDiscovery, CableCheck). */
  ongoingMs: number;
  /** Between PreCharge requests. */
  preChargeMs: number;
  /** Between CurrentDemand / ChargingStatus requests. */
  loopMs: number;
  /** Between WeldingDetection requests. */
  weldingMs: number;
}

/** Default pacing: 200 ms Ongoing / 100 ms PreCharge / 100 ms charge loop / 200 ms welding. */
export const DEFAULT_EVCC_PACING: EvccPacing = {
  ongoingMs: 200,
  preChargeMs: 100,
  loopMs: 100,
  weldingMs: 200,
};
/**
 * PreCharge current the EV asks for (A) — small (EVTargetCurrent of a DIN 70121 / ISO 15118-2 PreChargeReq).
 */
export const EVCC_PRECHARGE_CURRENT_A = 1;
/** Welding detection gives up (and stops the session anyway) after this many requests — implementation choice. */
export const EVCC_WELDING_MAX_REQUESTS = 20;

/** EVCC configuration. */
export interface EvccConfig {
  /** Protocols offered, in priority order (first = Priority 1). */
  protocols: V2gProtocol[];
  /** Requested energy transfer mode (DIN: DC_core / DC_extended only, [V2G-DC-625]). */
  mode: EnergyTransferMode;
  /** EVCCID: the EV's MAC address (DIN 70121 / ISO 15118-2 SessionSetupReq). */
  evccId: Uint8Array;
  dinEdition: DinEdition;
  /** |EVSEPresentVoltage − V_batt| that ends PreCharge (20 V per IEC 61851-23, 10 V pyPLC default). */
  preChargeToleranceV: number;
  /**
   * Also require the inlet measurement to match before closing the contactors (SAE J3400: IP communication
   * alone may not decide AC vs DC; per an SAE J3400-2023 overview page, clause text unconfirmed).
   */
  verifyInletVoltage: boolean;
  pacing: EvccPacing;
  communicationSetupTimeoutMs: number;
  ongoingTimeoutMs: number;
  preChargeTimeoutMs: number;
  /**
   * Conformance tester: wait this long for every response instead of V2G_EVCC_Msg_Timeout (ISO 15118-2
   * §8.8.2), so a tester that holds a request back to watch the SECC's own timeouts does not give up first.
   * Absent in normal runs.
   */
  responseTimeoutMs?: number;
  /**
   * TEST-ONLY: one injected defect (evcc-defects.ts) for the mutation check of the conformance harness.
   * Absent: none — never set outside a test (`nacs ev --defect` needs `--lab`).
   */
  defect?: EvccDefectName;
  /**
   * DepartureTime (s from now, ISO 15118-2 ChargeParameterDiscoveryReq / ISO 15118-20 ScheduleExchangeReq and
   * Dynamic ChargeLoopReq): a fixed figure sent as is. Absent: none (Dynamic -20 ScheduleExchangeReq sends 0).
   */
  departureTimeS?: number;
  /**
   * The time the EV wants to leave (ms, the machine's clock; EvccControl `departure`): DepartureTime then
   * counts down to it. Wins over {@link departureTimeS}.
   */
  departureAtMs?: number;
  readings: EvccReadings;
  trace: boolean;
  /**
   * The supportedAppProtocolReq entries as sent, when they differ from what `protocols` builds (a Tesla car
   * offers DIN and `urn:tesla:din:2018:MsgDef`). The SECC's SchemaID is looked up in this list.
   */
  appProtocols?: AppProtocolOffer[];
  /** DC: WeldingDetection after PowerDelivery Stop (default true; Tesla cars go straight to SessionStop). */
  weldingDetection: boolean;
  /** Zero bytes appended after the EXI stream of these requests (Tesla: one after ContractAuthenticationReq). */
  trailingZeroBytes: Partial<Record<MsgName, number>>;
  /** DIN: leave out the optional fields of ChargeParameterDiscoveryReq / CurrentDemandReq (Tesla). */
  dinMandatoryOnly: boolean;
  /** ISO-20: the EV selects the bidirectional service (DC_BPT / AC_BPT) when the EVSE offers it. */
  bidirectional: boolean;
  /** ISO-20: the control mode the EV selects (a parameter set with it must be offered). */
  iso20ControlMode: Iso20ControlMode;
  /** Unix time (s) at tMs = 0, for the ISO-20 header TimeStamp. */
  epochS: number;
  /** ISO-2 Plug & Charge: the contract; Contract is selected when it is valid and the SECC offers it. */
  contract?: Contract;
  /**
   * ISO-20 Plug & Charge: the -20 contract (P-521, contract20.ts); PnC is selected when it is valid and
   * AuthorizationSetupRes offers PnC, else EIM.
   */
  contract20?: Contract;
  /**
   * Plug & Charge misbehaviour for fault tests: `bad-signature` flips a bit of the AuthorizationReq
   * signature; `replayed-challenge` signs an AuthorizationReq with a GenChallenge of an earlier session;
   * `bad-metering-signature` flips a bit of the MeteringReceiptReq signature.
   */
  pncFault?: "bad-signature" | "replayed-challenge" | "bad-metering-signature";
  /** ISO-2 Plug & Charge (Contract payment with contract installation/update); absent: EIM only. */
  pnc?: EvccPncConfig;
}

/** ISO-2 Plug & Charge configuration of the EVCC. */
export interface EvccPncConfig {
  /** OEM provisioning certificate (DER) and its private scalar (32 B): sign CertificateInstallationReq. */
  oemCert: Uint8Array;
  oemPrivateKey: Uint8Array;
  /** The V2G roots the EV trusts (DER): ListOfRootCertificateIDs. */
  roots: Uint8Array[];
  /** Contracts held at start (kept in the state across sessions, `EvccState.contracts`). */
  contracts?: InstalledContracts;
  /** Ask for an update this many days before the contract expires (default EVCC_CONTRACT_RENEW_DAYS). */
  renewDays?: number;
  /** Seam: full path validation of the CPS chain to one of `roots` (absent: signature, validity, DC=CPS). */
  validateCpsChain?: ChainValidator;
}

/** One supportedAppProtocolReq entry. */
export interface AppProtocolOffer {
  ProtocolNamespace: string;
  VersionNumberMajor: number;
  VersionNumberMinor: number;
  SchemaID: number;
  Priority: number;
}

/** Complete a partial configuration (ISO-2 then DIN, DC_extended, 20 V PreCharge tolerance, …). */
export function evccConfig(partial: Partial<EvccConfig> = {}): EvccConfig {
  return {
    protocols: ["iso2", "din"],
    mode: "DC_extended",
    evccId: Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01),
    dinEdition: DEFAULT_DIN_EDITION,
    preChargeToleranceV: PRECHARGE_TOLERANCE_IEC_V,
    verifyInletVoltage: true,
    pacing: DEFAULT_EVCC_PACING,
    communicationSetupTimeoutMs: V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS,
    ongoingTimeoutMs: V2G_EVCC_ONGOING_TIMEOUT_MS,
    preChargeTimeoutMs: V2G_EVCC_PRE_CHARGE_TIMEOUT_MS,
    readings: defaultEvccReadings(),
    trace: false,
    weldingDetection: true,
    trailingZeroBytes: {},
    dinMandatoryOnly: false,
    bidirectional: false,
    iso20ControlMode: "scheduled",
    epochS: 1_700_000_000,
    ...partial,
  };
}

/** What the EVCC learnt from the SECC's responses (protocol-neutral). */
export interface EvseView {
  presentVoltageV: number;
  presentCurrentA: number;
  maxVoltageV: number;
  /** DC: EVSEMinimumVoltageLimit (0 when not declared). */
  minVoltageV: number;
  maxCurrentA: number;
  maxPowerW: number;
  /** AC: EVSEMaxCurrent / nominal voltage (ISO-20: EVSEMaximumChargePower over the nominal voltage). */
  acMaxCurrentA: number;
  acNominalVoltageV: number;
  /** ISO-20 AC: EVSEMaximumChargePower (W). */
  acMaxChargePowerW: number;
  /** ISO-20 AC_BPT: EVSEMaximumDischargePower (W, magnitude; 0 = none). */
  acMaxDischargePowerW: number;
  /** ISO-20 AC: EVSETargetActivePower of the last AC_ChargeLoopRes (W, negative = discharge), or null. */
  acTargetPowerW: number | null;
  statusCode: string | null;
  isolation: string | null;
  /** "Pause": ISO-20 EVSENotification Pause (the EV stops and ends with SessionStop Pause, as in EVerest). */
  notification: "None" | "StopCharging" | "ReNegotiation" | "Pause";
  notificationMaxDelayS: number;
  saScheduleTupleId: number;
  paymentOptions: string[];
  modes: string[];
  receiptRequired: boolean;
  meter: { id: string; readingWh?: number; tMeter?: bigint } | null;
  /** ISO-20 BPT: the EVSE's discharge limits (positive magnitudes; 0 = none declared). */
  maxDischargeCurrentA: number;
  maxDischargePowerW: number;
  /** ISO-20: authorisation services offered (AuthorizationSetupRes). */
  authServices: string[];
  /** ISO-20: energy services offered (ServiceDiscoveryRes); ISO-2: the value-added ServiceList IDs. */
  services: number[];
  /** ISO-20: parameter sets of the selected service (ServiceDetailRes) with their ControlMode value. */
  parameterSets: { id: number; controlMode?: number }[];
}

/** Initial EVSE view. */
export function emptyEvseView(): EvseView {
  return {
    presentVoltageV: 0,
    presentCurrentA: 0,
    maxVoltageV: 0,
    minVoltageV: 0,
    maxCurrentA: 0,
    maxPowerW: 0,
    acMaxCurrentA: 0,
    acNominalVoltageV: 0,
    acMaxChargePowerW: 0,
    acMaxDischargePowerW: 0,
    acTargetPowerW: null,
    statusCode: null,
    isolation: null,
    notification: "None",
    notificationMaxDelayS: 0,
    saScheduleTupleId: 1,
    paymentOptions: [],
    modes: [],
    receiptRequired: false,
    meter: null,
    maxDischargeCurrentA: 0,
    maxDischargePowerW: 0,
    authServices: [],
    services: [],
    parameterSets: [],
  };
}

/** ISO-20 facts of the EVCC's session. */
export interface EvccIso20 {
  /** Energy service selected at ServiceSelection (null before ServiceDiscovery). */
  serviceId: number | null;
  /** Parameter set selected at ServiceSelection. */
  parameterSetId: number | null;
  controlMode: Iso20ControlMode;
  /** The DC_PreChargeReq with EVProcessing Finished has been answered ([V2G20-2006]). */
  preChargeFinished: boolean;
  /** BPT services: the direction chosen at PowerDelivery(Start) (BPT_ChannelSelection). */
  bptChannel: Iso20BptChannel;
  /** AC: the current last commanded to the on-board charger (A, negative = feeding back). */
  acCurrentA: number;
  /** The authorization service selected after AuthorizationSetupRes (absent: EIM). */
  auth?: "EIM" | "PnC";
  /** PnC: the GenChallenge of AuthorizationSetupRes, signed in every PnC AuthorizationReq of the session. */
  pncChallenge?: Uint8Array;
}

/** State of the EVCC machine. */
export interface EvccState {
  readonly cfg: EvccConfig;
  readonly nowMs: number;
  readonly conn: "idle" | "sap" | "session" | "ended";
  readonly protocol: V2gProtocol | null;
  /**
   * Energy transfer mode requested in this session: the configured one, or AC_three_phase_core for a
   * single-phase on-board charger when the charger offers only three-phase (the EV draws on one phase).
   */
  readonly mode: EnergyTransferMode;
  readonly sessionId: Uint8Array | null;
  /** Request sent and awaiting its response. */
  readonly pending: MsgName | "SAP" | null;
  /** Request to send when the `next` timer fires. */
  readonly next: MsgName | null;
  /** ChargeProgress of the next / last PowerDeliveryReq. */
  readonly progress: "start" | "stop" | "renegotiate";
  /** Charging has started (PowerDelivery Start answered) and not yet stopped. */
  readonly charging: boolean;
  readonly renegotiating: boolean;
  readonly readings: EvccReadings;
  readonly evse: EvseView;
  /** ISO-2 payment option selected (null before ServiceDiscovery). */
  readonly payment: "ExternalPayment" | "Contract" | null;
  /** Contract: the GenChallenge of PaymentDetailsRes until the signed AuthorizationReq is sent. */
  readonly genChallenge: Uint8Array | null;
  readonly stopRequested: "stop" | "pause" | null;
  readonly s2: "open" | "closed";
  readonly contactors: "open" | "closed";
  readonly weldingRequests: number;
  readonly timers: Readonly<Record<string, number>>;
  /** Session kept after SessionStop(Pause), presented in the next SessionSetupReq (ISO-2). */
  readonly paused: { sessionId: Uint8Array; protocol: V2gProtocol } | null;
  /** SessionSetupRes answered OK_OldSessionJoined. */
  readonly resumed: boolean;
  /** Why the EV ends this session with SessionStop (the charger's limits cannot charge it), or null. */
  readonly refusal: string | null;
  /** ISO-20 session facts (kept over a pause for the resumed session). */
  readonly iso20: EvccIso20 | null;
  /** ISO-2 PnC: the contracts held (kept across sessions; installed/updated ones are added). */
  readonly contracts?: InstalledContracts;
  /** ISO-2 PnC decisions of this session: payment option and certificate action. */
  readonly pnc?: { payment: "ExternalPayment" | "Contract"; action: "install" | "update" | null } | null;
  /** ISO-2: what the EV made of the SalesTariffs of ChargeParameterDiscoveryRes (absent: none were sent). */
  readonly salesTariff?: SalesTariffCheck;
}

/**
 * The EV gives energy back now: a bidirectional -20 service (DC_BPT / AC_BPT) was selected and the BMS asks
 * for discharge (ISO 15118-20 BPT).
 */
export function dischargingNow(s: EvccState): boolean {
  return s.readings.dischargeRequested && isBptService(s.iso20?.serviceId);
}

/** Set timer `id`. */
export function setEvccTimer(s: EvccState, id: string, atMs: number, fx: EvccEffect[]): EvccState {
  fx.push({ kind: "set-timer", id, atMs });
  return { ...s, timers: withTimer(s.timers, id, atMs) };
}

/** Clear timer `id` if set. */
export function clearEvccTimer(s: EvccState, id: string, fx: EvccEffect[]): EvccState {
  if (s.timers[id] === undefined) return s;
  fx.push({ kind: "clear-timer", id });
  return { ...s, timers: withoutTimer(s.timers, id) };
}

/** Largest DepartureTime (XSD unsignedInt). */
const DEPARTURE_TIME_MAX_S = 4_294_967_295;

/**
 * DepartureTime (s from now) to send, or undefined when the EV has none: the seconds left until
 * `departureAtMs` (0 once past), else the fixed `departureTimeS`.
 */
export function evccDepartureTimeS(s: EvccState): number | undefined {
  const at = s.cfg.departureAtMs;
  const sec = at !== undefined ? Math.ceil((at - s.nowMs) / 1000) : s.cfg.departureTimeS;
  return sec === undefined ? undefined : Math.min(DEPARTURE_TIME_MAX_S, Math.max(0, Math.round(sec)));
}

/** Whether the configured mode is AC. */
export function evccIsAc(s: EvccState): boolean {
  return isAcMode(s.cfg.mode);
}

/**
 * The mode to request from what the charger offers (ServiceDiscoveryRes): the configured one when offered;
 * for AC_single_phase_core, AC_three_phase_core when only that is offered (IEC 61851-1 §A.2: a single-phase
 * EV on a three-phase supply draws on L1; real cars accept this offer); otherwise null (incompatible).
 */
export function chooseMode(
  cfgMode: EnergyTransferMode,
  offered: readonly string[],
): EnergyTransferMode | null {
  if (offered.includes(cfgMode)) return cfgMode;
  if (cfgMode === "AC_single_phase_core" && offered.includes("AC_three_phase_core"))
    return "AC_three_phase_core";
  return null;
}

/** Re-export for convenience of the message builders. */
export { V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS };

/**
 * The contract the EV pays with (ISO 15118-2 Plug & Charge): the newest installed one still valid
 * (CertificateInstallation / CertificateUpdate), else the configured one while it is valid; undefined when
 * it has none.
 */
export function activeContract(
  s: EvccState,
  tMs: number = s.nowMs,
): { chain: Uint8Array[]; privateKey: Uint8Array; emaid: string } | undefined {
  const nowS = Math.floor(s.cfg.epochS + tMs / 1000);
  const installed = s.contracts ? currentContract(s.contracts, nowS) : undefined;
  if (installed)
    return {
      chain: [installed.chain.leaf, ...installed.chain.subCas],
      privateKey: installed.privateKey,
      emaid: installed.emaid.replaceAll("-", ""),
    };
  return contractUsable(s.cfg.contract, nowS * 1000) ? s.cfg.contract : undefined;
}
