/** Events, effects and configuration of the EVSE DC controller. */
import type { CpState, PpState } from "../../pilot/index.js";
import type { EvseSlacConfig, SlacFrame } from "../../slac/index.js";
import type { AcSupply, IsolationReading, PowerSchedulePeriod, SeccConfig } from "../../v2g/index.js";
import type { SafetyFault } from "../safety/index.js";
import type { PinConfig } from "./interlock.js";
import type { PowerModuleConfig } from "./power-module.js";

/**
 * Watchdog on the charge loop: while current is requested, a missing CurrentDemandReq for this long is a
 * communication timeout. ISO 15118-20 V2G_SECC_Sequence_Timeout_DC_CL = 0.5 s (EcoG-io/iso15118 timeouts.py),
 * applied by us to DIN 70121 / ISO 15118-2 as well (their 60 s sequence timeout is far too long to leave
 * power on without a demand).
 */
export const EVSE_CHARGE_LOOP_WATCHDOG_MS = 500;

/**
 * After a trip the pilot shows state F (−12 V) for this long (and until nothing is energised), then X1
 * (+12 V) so the EVSE can see the EV leave (state A) and reset for the next plug-in. Design choice (D).
 */
export const EVSE_TRIP_F_HOLD_MS = 2_000;

/**
 * EVSE controller configuration. The controller serves one power path over high-level communication: DC
 * (DIN 70121, ISO 15118-2 DC) when the pins are wired to the power module, AC (ISO 15118-2
 * AC_single_phase_core / AC_three_phase_core) when they are wired to the mains relay.
 */
export interface EvseDcConfig {
  /**
   * What the two power pins are wired to (J3400 carries AC and DC on the same pins): "dc" offers DC, "ac"
   * offers AC, "none" offers nothing. The interlock refuses to energise any other path.
   */
  pins: PinConfig;
  module: PowerModuleConfig;
  /** The AC supply behind the relay (pins "ac"): nominal voltage and the current offered (EVSEMaxCurrent). */
  ac: Pick<AcSupply, "nominalVoltageV" | "maxCurrentA">;
  /** SECC options (protocols, EVSEID, …); the DC limits are taken from `module`. */
  secc: Partial<SeccConfig>;
  slac: EvseSlacConfig;
  /**
   * SECC address (16 bytes IPv6) and TCP port announced in the SDP response, and whether the V2G server is
   * TLS (ISO 15118-2 §7.10.1: security 0x00 TLS, 0x10 none); default none.
   */
  sdp: { address: Uint8Array; port: number; tls?: boolean };
  /**
   * How the EV is matched to this EVSE's PLC link: "slac" (ISO 15118-3) or "none" (plain Ethernet, a lab
   * link or a modem that is already paired: SDP starts as soon as the pilot shows 5 %).
   */
  matching: "slac" | "none";
  chargeLoopWatchdogMs: number;
  /** Read PP at the EVSE too (some Superchargers check PP, per pyPLC): unlatched ⇒ trip. */
  monitorPp: boolean;
}

/** Coarse phase of the EVSE controller. */
export type EvseDcPhase = "idle" | "slac" | "sdp" | "session" | "ended";

/**
 * Output measurements the host reports (power module or AC supply, meter, isolation monitor, contactor or
 * relay feedback). With AC pins, voltage and current are the RMS values at the relay output.
 */
export interface EvseMeasurements {
  voltageV: number;
  /** Output current (A); negative while a bidirectional module takes energy back from the EV (BPT). */
  currentA: number;
  /** Net meter energy (Wh): into the EV positive, back out negative. */
  energyWh: number;
  /** Energy the meter counted back into the grid (Wh, ≥ 0; ISO 15118-20 BPT). Absent = 0. */
  dischargedWh?: number;
  isolation: IsolationReading;
  contactorsClosed: boolean;
}

/** Inputs of the EVSE DC controller; every event carries the time. */
export type EvseDcEvent =
  | { kind: "cp"; state: CpState; tMs: number }
  | { kind: "cp-fault"; fault: "diode-fault" | "cp-short" | "pilot-fault"; tMs: number }
  | { kind: "diode"; verified: boolean; tMs: number }
  | { kind: "pp"; state: PpState; tMs: number }
  | { kind: "slac-frame"; frame: SlacFrame; attenuationDb?: readonly number[]; tMs: number }
  | { kind: "sdp-request"; datagram: Uint8Array; tMs: number }
  /** A V2G connection is up; `tls`: its TLS version, absent for plain TCP. */
  /** The EV's V2G connection is up; TLS version and the SHA-512 of the vehicle certificate, if any. */
  | { kind: "v2g-connected"; tMs: number; tls?: "1.2" | "1.3"; peerCertSha512?: string }
  | { kind: "v2g-message"; payloadType: number; bytes: Uint8Array; tMs: number }
  | { kind: "v2g-closed"; reason: string; tMs: number }
  /** The PLC link dropped (modem link status). */
  | { kind: "link-lost"; tMs: number }
  /** The local PLC modem reports its link up or down (modem "qca": vendor link status after SET_KEY). */
  | { kind: "modem-link"; up: boolean; tMs: number }
  | { kind: "timer"; id: string; tMs: number }
  | { kind: "measure"; m: Partial<EvseMeasurements>; tMs: number }
  /** Emergency-stop input (mushroom button, site controller). */
  | { kind: "emergency-stop"; tMs: number }
  /**
   * Operator asks the EV to stop (EVSENotification StopCharging). `reason`: the session's stop reason when
   * nothing else names one first (e.g. a backend's remote stop); without it the EV's end names it.
   */
  | { kind: "stop-charging"; reason?: string; tMs: number }
  /**
   * Operator asks the EV to pause: ISO 15118-20 EVSENotification Pause (the EV ends with SessionStop Pause,
   * the session kept for a resume); DIN 70121 / ISO 15118-2 have no EVSE pause: StopCharging there.
   */
  | { kind: "pause-charging"; tMs: number }
  /**
   * Operator or backend power limit (W; null clears it): the charger announces and delivers at most this
   * power from now on, in either direction (e.g. OCPP 2.0.1 SetChargingProfile, a site load manager).
   */
  | { kind: "set-power-limit"; maxPowerW: number | null; tMs: number }
  /**
   * The backend's power schedule from now (e.g. the OCPP composite schedule of the next 24 h, OCPP 2.0.1 K08 /
   * K15; null clears it): the SECC's SAScheduleList / ISO 15118-20 PowerSchedule follow it, and a change in
   * the charge loop asks the EV to renegotiate (ISO 15118-2 ReNegotiation, -20 Scheduled ScheduleRenegotiation).
   */
  | { kind: "set-power-schedule"; periods: readonly PowerSchedulePeriod[] | null; tMs: number }
  /**
   * The backend's answer on EIM authorisation (e.g. OCPP 2.0.1 AuthorizeResponse, or a
   * RequestStartTransaction): while "pending" the SECC answers AuthorizationRes / ContractAuthenticationRes
   * with EVSEProcessing Ongoing; "rejected" makes it refuse (ISO 15118-2 / DIN 70121: FAILED; ISO 15118-20:
   * WARNING_EIMAuthorizationFailure, [V2G20-2219]).
   */
  | { kind: "authorization"; result: "pending" | "accepted" | "rejected"; tMs: number }
  /**
   * The backend's answer to the SECC's forwarded certificate request `id` (ISO 15118-2 Plug & Charge with the
   * CPS behind the backend, e.g. OCPP 2.0.1 Get15118EVCertificateResponse): the EXI of the
   * CertificateInstallationRes / CertificateUpdateRes to relay, or null with the reason.
   */
  | { kind: "certificate-response"; id: number; exi: Uint8Array | null; detail?: string; tMs: number }
  /** Operator reset of a latched trip (emergency-stop button released, interlock fixed). */
  | { kind: "safety-reset"; tMs: number }
  /** The board stopped answering (heartbeat, closed link): nothing it measures can be trusted. */
  | { kind: "board-lost"; detail: string; tMs: number };

/** Outputs of the EVSE DC controller. */
export type EvseDcEffect =
  | { kind: "duty"; duty: number }
  | { kind: "slac-send"; frame: SlacFrame }
  /** Set this NMK/NID into the local PLC modem (CM_SET_KEY.REQ, ISO 15118-3 §A.9.5); modem "qca" only. */
  | { kind: "slac-set-key"; nmk: Uint8Array; nid: Uint8Array }
  | { kind: "sdp-reply"; datagram: Uint8Array }
  | { kind: "v2g-send"; payloadType: number; bytes: Uint8Array; name: string }
  | { kind: "v2g-close"; reason: string }
  | { kind: "set-timer"; id: string; atMs: number }
  | { kind: "module"; op: "set"; voltageV: number; currentA: number }
  | { kind: "module"; op: "off"; emergency: boolean }
  | { kind: "contactors"; closed: boolean }
  | { kind: "isolation"; op: "start"; voltageV: number }
  | { kind: "isolation"; op: "stop" }
  | { kind: "trip"; fault: SafetyFault; reason: string; detail: string }
  | { kind: "session-end"; reason: string; detail: string; normal: boolean }
  | { kind: "phase"; phase: EvseDcPhase }
  /**
   * Which EVSE limits bind the EV's CurrentDemand request (the SECC sends the same flags as
   * EVSECurrent/Voltage/PowerLimitAchieved in CurrentDemandRes, DIN 70121 / ISO 15118-2); emitted when they
   * change.
   */
  | { kind: "limits"; current: boolean; voltage: boolean; power: boolean }
  | { kind: "log"; level: "debug" | "info" | "warn" | "error"; msg: string };
