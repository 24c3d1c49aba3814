/** Events, effects and configuration of the EV DC controller. */
import type { PpState } from "../../pilot/index.js";
import type { EvSlacConfig, SlacFrame } from "../../slac/index.js";
import type { EvccConfig } from "../../v2g/index.js";
import type { DcBatteryConfig } from "./battery.js";

/**
 * Cadence of CurrentDemandReq in the charge loop (ms): within the "every 100–250 ms" practice and below the
 * 250 ms CurrentDemand response timeout (V2G_EVCC_Msg_Timeout) only in the sense that a new request follows
 * each response after this pause. Design choice (D).
 */
export const DC_CURRENT_DEMAND_INTERVAL_MS = 200;
/** Stop reason when WeldingDetection shows the inlet still live with the EV contactors open. */
export const EV_STOP_WELDED = "welded contactor";
/** Stop reason when a discharging EV (ISO 15118-20 BPT) reaches its minimum SOC: a normal end. */
export const EV_STOP_MIN_SOC = "minimum SOC reached";
/** Stop reason prefix when pre-charge does not reach the battery voltage in time. */
export const EV_STOP_PRECHARGE = "pre-charge failed";
/** Stop reason when the board stops answering (same words as the EVSE's `board-lost` stop reason). */
export const BOARD_LOST_STOP = "board lost";
/** EV contactors open only once the inlet current is below this (A). Same figure as the EVSE's (derived from the IEC 61851-23 short-circuit test). */
export const EV_CONTACTOR_OPEN_MAX_A = 5;

/**
 * Longest legacy S2 delay the EV accepts (ms). J3400 names "delayed S2 closure" but publishes no figure;
 * 10 s is our bound (D), above the 5 s the longest legacy handshake we model needs.
 */
export const EV_MAX_S2_CLOSE_DELAY_MS = 10_000;

/** The on-board charger (AC energy transfer): input current range per phase and highest input voltage. */
export interface EvObcConfig {
  maxCurrentA: number;
  minCurrentA: number;
  maxVoltageV: number;
}

/**
 * EV controller configuration. The controller charges over high-level communication, DC (the battery on
 * the inlet through the EV contactors) or AC (ISO 15118-2 AC_single_phase_core through the on-board
 * charger), chosen by `energy`.
 */
export interface EvDcConfig {
  battery: DcBatteryConfig;
  /** Energy transfer asked for: "dc" (DC_extended) or "ac" (AC_single_phase_core, the on-board charger). */
  energy: "dc" | "ac";
  obc: EvObcConfig;
  /** EVCC options (protocols, EVCCID, …); DC_extended, readings and pacing are set by the controller. */
  evcc: Partial<EvccConfig>;
  slac: EvSlacConfig;
  /** Stop charging at this SOC (%). */
  targetSocPercent: number;
  /** Bidirectional EV (ISO 15118-20 BPT): stop giving energy back at this SOC (%). */
  minSocPercent: number;
  /**
   * Bidirectional EV: give energy back from the start of the charge loop (the BMS asks for discharge); a
   * `discharge` event changes it during the session. Takes effect only in a DC_BPT / AC_BPT session.
   */
  discharge: boolean;
  /**
   * Legacy-charger option (J3400 "delayed S2 closure"): S2 closes no earlier than this long after plug-in,
   * and the request that needs state C waits for it. 0 = off. The figure a legacy charger needs is not
   * published; `nacs ev` / `nacs simulate --s2-delay` set it.
   */
  s2CloseDelayMs: number;
  currentDemandIntervalMs: number;
  /**
   * Start SDP and the V2G session as soon as SLAC has matched (default). False: wait for a `start-v2g` event
   * (the EVerest car simulator's `iso_start_v2g_session`).
   */
  autoStartV2g: boolean;
  /** PLC link matching: "slac" (ISO 15118-3) or "none" (plain Ethernet / paired modem: SDP at 5 %). */
  matching: "slac" | "none";
  /** Ask for TLS in the SDP request (ISO 15118-2 §7.10.1, security 0x00); default false (0x10, none). */
  tls: boolean;
}

/** Coarse phase of the EV controller. */
export type EvDcPhase = "unplugged" | "plugged" | "slac" | "sdp" | "session" | "paused" | "ended";

/** Inputs of the EV DC controller. */
export type EvDcEvent =
  /** Duty measured on the pilot (0 = steady −12 V or none, 100 = steady +12 V). */
  | { kind: "duty"; duty: number; tMs: number }
  | { kind: "pp"; state: PpState; tMs: number }
  /** Inlet lock feedback switch. */
  | { kind: "lock"; locked: boolean; tMs: number }
  /** Inlet measurement: DC voltage, current through the EV contactors, AC present on the pins. */
  | { kind: "inlet"; voltageV: number; currentA: number; acPresent: boolean; tMs: number }
  /** BMS: SOC and terminal voltage. */
  | { kind: "bms"; socPercent: number; batteryVoltageV: number; tMs: number }
  | { kind: "slac-frame"; frame: SlacFrame; tMs: number }
  /** The local PLC modem reports its link up or down (modem "qca": vendor link status after SET_KEY). */
  | { kind: "modem-link"; up: boolean; tMs: number }
  | { kind: "sdp-response"; datagram: Uint8Array; tMs: number }
  | { kind: "v2g-connected"; tMs: number }
  | { kind: "v2g-message"; payloadType: number; bytes: Uint8Array; tMs: number }
  | { kind: "v2g-closed"; reason: string; tMs: number }
  | { kind: "timer"; id: string; tMs: number }
  /** The driver stops charging. */
  | { kind: "stop"; tMs: number }
  /** Start SDP + V2G after SLAC (when `autoStartV2g` is false); DC energy transfer only. */
  | { kind: "start-v2g"; tMs: number }
  /** ISO 15118-2: pause (SessionStop Pause, SessionID kept, inlet stays locked); DIN: same as stop. */
  | { kind: "pause"; tMs: number }
  /** Resume a paused session: SDP again, SessionSetup with the paused SessionID. */
  | { kind: "resume"; tMs: number }
  /**
   * Fault injection (`ev-over-limit`): the BMS asks for this target current / voltage regardless of the
   * EVSE's limits; null returns to the normal request.
   */
  | { kind: "over-limit"; request: { currentA: number; voltageV: number } | null; tMs: number }
  /** The board stopped answering: the EV stops (S2 open, session stopped). */
  | { kind: "board-lost"; detail: string; tMs: number }
  /** The driver changes the charging target (stop at this SOC, %). */
  | { kind: "set-target-soc"; percent: number; tMs: number }
  /**
   * The driver wants energy given back, or no longer (ISO 15118-20 BPT): `discharge` of the configuration, the
   * EVCC reading `dischargeRequested`. Takes effect only in a DC_BPT / AC_BPT session; kept until changed.
   */
  | { kind: "discharge"; requested: boolean; tMs: number }
  /** The driver's departure time (ms, the controller's clock; null = none): DepartureTime in the requests. */
  | { kind: "departure"; atMs: number | null; tMs: number }
  /** ISO 15118-20: ask for the bidirectional service (DC_BPT) from the next session on, or not. */
  | { kind: "bidirectional"; on: boolean; tMs: number };

/** Outputs of the EV DC controller. */
export type EvDcEffect =
  | { kind: "s2"; closed: boolean }
  | { kind: "contactors"; closed: boolean }
  /** AC: the on-board charger draws at most this current (A, 0 = off). */
  | { kind: "charger"; currentA: number }
  | { kind: "lock"; locked: boolean }
  | { kind: "slac-send"; frame: SlacFrame }
  /** Set this NMK/NID into the local PLC modem (CM_SET_KEY.REQ, ISO 15118-3 §A.9.5); modem "qca" only. */
  | { kind: "slac-set-key"; nmk: Uint8Array; nid: Uint8Array }
  | { kind: "sdp-send"; datagram: Uint8Array }
  | { kind: "v2g-connect"; address: Uint8Array; port: number }
  | { kind: "v2g-send"; payloadType: number; bytes: Uint8Array; name: string }
  | { kind: "v2g-close"; reason: string }
  | { kind: "set-timer"; id: string; atMs: number }
  /** The EV stops; `fault` marks a safety-relevant reason (welded contactor, pre-charge failure, …). */
  | { kind: "stop"; reason: string; fault?: boolean }
  | { kind: "phase"; phase: EvDcPhase }
  | { kind: "log"; level: "debug" | "info" | "warn" | "error"; msg: string };
