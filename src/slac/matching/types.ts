/**
 * Events into and effects out of the SLAC matching step functions (ISO 15118-3).
 * Time is injected: every event carries `tMs`, timers are requested with `set-timer` and come back as
 * `timer` events carrying the same id. A timer event whose id is not the currently armed one is ignored,
 * so a driver may skip `cancel-timer`.
 */
import type { CpState } from "../../pilot/types.js";
import type { SlacFrame } from "../frame.js";
import type { RandomSource } from "../keys.js";

/**
 * Local HomePlug modem model. "none": plain Ethernet (veth, lab switch) — no CM_ATTEN_PROFILE.IND, nobody
 * answers CM_SET_KEY; the EVSE measures attenuation from received sounds and nobody waits for modem
 * replies. "qca": a QCA7000-family modem answers SET_KEY (CNF), reports ATTEN_PROFILE.IND and link status.
 */
export type ModemMode = "none" | "qca";

/** A received frame. `attenuationDb` (58 groups) is what the receiving PHY measured, when known (modem "none"). */
export interface FrameEvent {
  kind: "frame";
  frame: SlacFrame;
  tMs: number;
  attenuationDb?: readonly number[];
}

/** A timer set earlier with `set-timer` expired. */
export interface TimerEvent {
  kind: "timer";
  id: string;
  tMs: number;
}

/**
 * Local-modem report (modem "qca"): CM_SET_KEY.CNF result, or the logical-network link state (from vendor
 * link-status MMEs, decoded by the link layer). A CM_SET_KEY.CNF frame event is accepted as well.
 */
export type ModemEvent =
  | { kind: "modem"; ev: "set-key-cnf"; ok: boolean; tMs: number }
  | { kind: "modem"; ev: "link"; up: boolean; tMs: number };

/** EVSE: the CP as the EVSE drives/detects it (state from detection, duty it generates, 100 = X1). */
export interface CpEvent {
  kind: "cp";
  state: CpState;
  duty: number;
  tMs: number;
}

/** EV: start matching (plug-in seen, or 5 % seen — Tesla cars start at plug-in). */
export interface StartEvent {
  kind: "start";
  tMs: number;
}

/** Input of {@link evseSlacStep}. */
export type EvseSlacEvent = FrameEvent | TimerEvent | ModemEvent | CpEvent;
/** Input of {@link evSlacStep}. */
export type EvSlacEvent = FrameEvent | TimerEvent | ModemEvent | StartEvent;

/** Named reasons a SLAC run ends without a match. */
export type SlacFailReason =
  /** EV: no CM_SLAC_PARM.CNF after 1 + C_EV_match_retry requests, in every matching attempt. */
  | "no-slac-parm-cnf"
  /** EV: no CM_ATTEN_CHAR.IND within TT_EV_atten_results, 1 + C_EV_match_retry times. */
  | "no-atten-char-ind"
  /** EV: CM_ATTEN_CHAR.IND came, but no EVSE within C_EV_match_signalattn_direct, 1 + C_EV_match_retry times. */
  | "attenuation-too-high"
  /** EV: no CM_VALIDATE.CNF. */
  | "no-validate-cnf"
  /** EV: the EVSE did not count our BCB toggles. */
  | "validation-failed"
  /** EV: no CM_SLAC_MATCH.CNF after 1 + C_EV_match_retry requests. */
  | "no-slac-match-cnf"
  /** Either side (modem "qca"): the local modem refused CM_SET_KEY. */
  | "set-key-failed"
  /** Either side (modem "qca"): no CM_SET_KEY.CNF within SET_KEY_TIMEOUT. */
  | "set-key-timeout"
  /** Either side (modem "qca"): no link within TT_match_join after the match. */
  | "join-timeout"
  /** EVSE: no CM_SLAC_PARM.REQ in TT_EVSE_SLAC_init, 1 + C_sequ_retry times ([V2G3-M06-07]). */
  | "no-slac-parm-req";

/**
 * Output of the step functions. `set-key` goes to the local modem (link layer builds CM_SET_KEY.REQ with
 * {@link setKeyReqFrame}); with modem "none" it needs no answer. `cp` is for the EVSE's CP generator:
 * "ef" = go to E/F for T_step_EF, "resume" = back to 5 %, "x1" = steady +12 V after the last retry
 * ([V2G3-M06-07]). `s2` is for the EV's S2 switch (validation BCB toggles).
 */
export type SlacEffect =
  | { kind: "send"; frame: SlacFrame }
  | { kind: "set-timer"; id: string; atMs: number }
  | { kind: "clear-timer"; id: string }
  | { kind: "set-key"; nmk: Uint8Array; nid: Uint8Array }
  | { kind: "cp"; action: "ef" | "resume" | "x1" }
  | { kind: "s2"; closed: boolean }
  | { kind: "matched"; nmk: Uint8Array; nid: Uint8Array; peerMac: Uint8Array; runId: Uint8Array }
  | { kind: "failed"; reason: SlacFailReason }
  | { kind: "log"; level: "debug" | "info" | "warn"; msg: string };

/** Options shared by both sides. */
export interface SlacCommonConfig {
  /** Host MAC (frames are sent from it). */
  mac: Uint8Array;
  /** Local modem model; default "none". */
  modem?: ModemMode;
  /** Injected randomness (RunID and sound Rnd on the EV, NMK on the EVSE). */
  random: RandomSource;
}
