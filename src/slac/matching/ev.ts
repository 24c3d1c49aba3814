/**
 * EV (PEV) side of ISO 15118-3 SLAC as a pure step function (ISO 15118-3):
 * CM_SLAC_PARM.REQ (retried C_EV_match_retry times every TT_match_response) → 3 × CM_START_ATTEN_CHAR.IND
 * and 10 × CM_MNBC_SOUND.IND every TP_EV_batch_msg_interval → collect CM_ATTEN_CHAR.IND of every EVSE that
 * answers (each acknowledged with CM_ATTEN_CHAR.RSP) until TT_EV_atten_results → pick the EVSE with the
 * lowest mean attenuation within C_EV_match_signalattn_direct → optional CM_VALIDATE with BCB toggles →
 * CM_SLAC_MATCH.REQ (retried) → CNF gives NMK/NID → `set-key` to the local modem → link (modem "qca":
 * SET_KEY.CNF, then link up within TT_match_join; modem "none": done at once) → `matched`.
 * A matching attempt without a usable EVSE starts over with a new RunID, C_EV_match_retry times.
 */

import { MNBC_RND_LENGTH, RUN_ID_LENGTH, VALIDATE_RESULT } from "../constants.js";
import type { SlacFrame } from "../frame.js";
import { NID_LENGTH, NMK_LENGTH } from "../keys.js";
import {
  C_EV_MATCH_MNBC,
  C_EV_MATCH_RETRY,
  C_EV_MATCH_SIGNALATTN_DIRECT_DB,
  C_EV_START_ATTEN_CHAR_INDS,
  C_EV_VALD_NB_TOGGLES,
  C_EV_VALD_NB_TOGGLES_MAX,
  SET_KEY_TIMEOUT_MS,
  TP_EV_BATCH_MSG_INTERVAL_MAX_MS,
  TP_EV_BATCH_MSG_INTERVAL_MIN_MS,
  TP_EV_BATCH_MSG_INTERVAL_MS,
  TP_EV_VALD_STATE_DURATION_MAX_MS,
  TP_EV_VALD_STATE_DURATION_MIN_MS,
  TP_EV_VALD_STATE_DURATION_MS,
  TT_EV_ATTEN_RESULTS_MS,
  TT_EVSE_VALD_TOGGLE_MS,
  TT_MATCH_JOIN_MS,
  TT_MATCH_RESPONSE_MS,
  VALIDATE_TIMER_UNIT_MS,
} from "./constants.js";
import { requireMac, requireRange, SlacConfigError } from "./errors.js";
import {
  attenCharRsp,
  bytesEqual,
  meanDb,
  mnbcSoundInd,
  slacMatchReq,
  slacParmReq,
  startAttenCharInd,
  validateReq,
} from "./messages.js";
import type { EvSlacEvent, ModemMode, SlacCommonConfig, SlacEffect, SlacFailReason } from "./types.js";

/** EV options (defaults: the ISO 15118-3 timers of ./constants.ts). */
export interface EvSlacConfig extends SlacCommonConfig {
  /** TP_EV_batch_msg_interval, 20–50 ms (default 40). */
  batchIntervalMs?: number;
  /** Highest mean attenuation accepted (default C_EV_match_signalattn_direct = 40 dB, status U). */
  maxAttenuationDb?: number;
  /** Ask the chosen EVSE for CM_VALIDATE with BCB toggles (default false). */
  validation?: boolean;
  /** C_EV_vald_nb_toggles, 1–3 (default 1). */
  validationToggles?: number;
  /** TP_EV_vald_state_duration, 200–400 ms (default 300). */
  validationStateMs?: number;
  /**
   * A fixed RunID (8 bytes) instead of a random one per attempt. ISO 15118-3 asks for a random RunID; some
   * cars use a constant (Tesla: ASCII "TESLA EV"), which our EVSE must accept. Default: random.
   */
  runId?: Uint8Array;
}

/** {@link EvSlacConfig} with every default filled in and checked. */
export interface EvSlacResolvedConfig {
  mac: Uint8Array;
  modem: ModemMode;
  random: SlacCommonConfig["random"];
  batchIntervalMs: number;
  maxAttenuationDb: number;
  validation: boolean;
  validationToggles: number;
  validationStateMs: number;
  runId: Uint8Array | null;
}

/** One EVSE that answered with CM_ATTEN_CHAR.IND. */
export interface EvCandidate {
  mac: Uint8Array;
  meanDb: number;
  numSounds: number;
}

/** Phases of the EV machine. */
export type EvSlacPhase =
  | "idle"
  | "parm"
  | "sounding"
  | "validate-1"
  | "validate-2"
  | "match"
  | "set-key"
  | "join"
  | "matched"
  | "failed";

/** EV SLAC state (immutable; {@link evSlacStep} returns a new one). */
export interface EvSlacState {
  readonly config: EvSlacResolvedConfig;
  readonly phase: EvSlacPhase;
  readonly runId: Uint8Array;
  /** Matching attempts started (each with a fresh RunID). */
  readonly attempts: number;
  /** Requests sent in the current request/response exchange (PARM, VALIDATE or MATCH). */
  readonly tries: number;
  /** START_ATTEN_CHAR + MNBC_SOUND frames sent in this attempt. */
  readonly batchSent: number;
  readonly candidates: readonly EvCandidate[];
  readonly chosen?: EvCandidate;
  /** S2 closures done in validation, and whether S2 is closed now. */
  readonly toggles: number;
  readonly s2Closed: boolean;
  readonly nmk?: Uint8Array;
  readonly nid?: Uint8Array;
  readonly failure?: SlacFailReason;
  /** Armed timer ids (others are stale and ignored). */
  readonly timer?: string;
  readonly batchTimer?: string;
  readonly resultsTimer?: string;
  readonly toggleTimer?: string;
  readonly timerSeq: number;
}

function requireRunId(v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== RUN_ID_LENGTH)
    throw new SlacConfigError(`ev.runId is not allowed: must be ${RUN_ID_LENGTH} bytes`);
  return Uint8Array.from(v);
}

/** Fill defaults and check an {@link EvSlacConfig}; throws {@link SlacConfigError} naming the field. */
export function resolveEvSlacConfig(c: EvSlacConfig): EvSlacResolvedConfig {
  if (typeof c.random !== "function")
    throw new SlacConfigError("ev.random is not allowed: must be a function");
  const modem = c.modem ?? "none";
  if (modem !== "none" && modem !== "qca") {
    throw new SlacConfigError(`ev.modem = ${String(modem)} is not allowed: must be "none" or "qca"`);
  }
  return {
    mac: requireMac("ev.mac", c.mac),
    modem,
    random: c.random,
    batchIntervalMs: requireRange(
      "ev.batchIntervalMs",
      c.batchIntervalMs ?? TP_EV_BATCH_MSG_INTERVAL_MS,
      TP_EV_BATCH_MSG_INTERVAL_MIN_MS,
      TP_EV_BATCH_MSG_INTERVAL_MAX_MS,
    ),
    maxAttenuationDb: requireRange(
      "ev.maxAttenuationDb",
      c.maxAttenuationDb ?? C_EV_MATCH_SIGNALATTN_DIRECT_DB,
      0,
      255,
    ),
    runId: c.runId === undefined ? null : requireRunId(c.runId),
    validation: c.validation ?? false,
    validationToggles: requireRange(
      "ev.validationToggles",
      c.validationToggles ?? C_EV_VALD_NB_TOGGLES,
      1,
      C_EV_VALD_NB_TOGGLES_MAX,
      true,
    ),
    validationStateMs: requireRange(
      "ev.validationStateMs",
      c.validationStateMs ?? TP_EV_VALD_STATE_DURATION_MS,
      TP_EV_VALD_STATE_DURATION_MIN_MS,
      TP_EV_VALD_STATE_DURATION_MAX_MS,
    ),
  };
}

/** Initial (idle) EV state; matching begins with a `start` event. */
export function initialEvSlac(config: EvSlacConfig): EvSlacState {
  return {
    config: resolveEvSlacConfig(config),
    phase: "idle",
    runId: new Uint8Array(RUN_ID_LENGTH),
    attempts: 0,
    tries: 0,
    batchSent: 0,
    candidates: [],
    toggles: 0,
    s2Closed: false,
    timerSeq: 0,
  };
}

type Draft = { -readonly [K in keyof EvSlacState]: EvSlacState[K] };
type TimerSlot = "timer" | "batchTimer" | "resultsTimer" | "toggleTimer";

class Ctx {
  readonly fx: SlacEffect[] = [];
  constructor(
    readonly s: Draft,
    readonly now: number,
  ) {}
  get mac(): Uint8Array {
    return this.s.config.mac;
  }
  arm(slot: TimerSlot, name: string, afterMs: number): void {
    this.disarm(slot);
    const id = `${name}#${this.s.timerSeq++}`;
    this.s[slot] = id;
    this.fx.push({ kind: "set-timer", id, atMs: this.now + afterMs });
  }
  disarm(slot: TimerSlot): void {
    const id = this.s[slot];
    if (id !== undefined) this.fx.push({ kind: "clear-timer", id });
    this.s[slot] = undefined;
  }
  log(level: "debug" | "info" | "warn", msg: string): void {
    this.fx.push({ kind: "log", level, msg: `ev: ${msg}` });
  }
  send(frame: SlacFrame): void {
    this.fx.push({ kind: "send", frame });
  }
  fail(reason: SlacFailReason): void {
    for (const slot of ["timer", "batchTimer", "resultsTimer", "toggleTimer"] as const) this.disarm(slot);
    if (this.s.s2Closed) {
      this.s.s2Closed = false;
      this.fx.push({ kind: "s2", closed: false });
    }
    this.s.phase = "failed";
    this.s.failure = reason;
    this.log("warn", `SLAC failed: ${reason}`);
    this.fx.push({ kind: "failed", reason });
  }
}

function randomBytes(c: Ctx, n: number): Uint8Array {
  const r = c.s.config.random(n);
  return Uint8Array.from(r.subarray(0, n));
}

function startAttempt(c: Ctx): void {
  c.s.attempts++;
  const fixed = c.s.config.runId;
  c.s.runId = fixed ? Uint8Array.from(fixed) : randomBytes(c, RUN_ID_LENGTH);
  c.s.candidates = [];
  c.s.chosen = undefined;
  c.s.batchSent = 0;
  c.s.phase = "parm";
  c.s.tries = 1;
  c.log("info", `matching attempt ${c.s.attempts}: CM_SLAC_PARM.REQ`);
  c.send(slacParmReq(c.mac, c.s.runId));
  c.arm("timer", "resp", TT_MATCH_RESPONSE_MS);
}

function sendBatchFrame(c: Ctx): void {
  const i = c.s.batchSent++;
  if (i < C_EV_START_ATTEN_CHAR_INDS) c.send(startAttenCharInd(c.mac, c.s.runId));
  else {
    const left = C_EV_START_ATTEN_CHAR_INDS + C_EV_MATCH_MNBC - 1 - i;
    c.send(mnbcSoundInd(c.mac, c.s.runId, left, randomBytes(c, MNBC_RND_LENGTH)));
  }
  if (c.s.batchSent < C_EV_START_ATTEN_CHAR_INDS + C_EV_MATCH_MNBC) {
    c.arm("batchTimer", "batch", c.s.config.batchIntervalMs);
  } else c.s.batchTimer = undefined;
}

function retryOrFail(c: Ctx, reason: SlacFailReason): void {
  if (c.s.attempts <= C_EV_MATCH_RETRY) startAttempt(c);
  else c.fail(reason);
}

function decide(c: Ctx): void {
  c.disarm("batchTimer");
  const ok = c.s.candidates.filter((k) => k.meanDb <= c.s.config.maxAttenuationDb);
  let best: EvCandidate | undefined;
  for (const k of ok) if (best === undefined || k.meanDb < best.meanDb) best = k;
  if (best === undefined) {
    const reason = c.s.candidates.length === 0 ? "no-atten-char-ind" : "attenuation-too-high";
    c.log("warn", `no usable EVSE (${c.s.candidates.length} answered): ${reason}`);
    retryOrFail(c, reason);
    return;
  }
  c.s.chosen = best;
  c.log("info", `chose EVSE with mean ${best.meanDb.toFixed(1)} dB of ${c.s.candidates.length}`);
  if (c.s.config.validation) {
    c.s.phase = "validate-1";
    c.s.tries = 1;
    c.send(validateReq(c.mac, best.mac, 0, VALIDATE_RESULT.ready));
    c.arm("timer", "resp", TT_MATCH_RESPONSE_MS);
  } else sendMatch(c);
}

function sendMatch(c: Ctx): void {
  c.s.phase = "match";
  c.s.tries = 1;
  c.send(slacMatchReq(c.mac, c.s.chosen!.mac, c.s.runId));
  c.arm("timer", "resp", TT_MATCH_RESPONSE_MS);
}

function matched(c: Ctx): void {
  c.disarm("timer");
  c.s.phase = "matched";
  c.log("info", "matched: link ready");
  c.fx.push({
    kind: "matched",
    nmk: c.s.nmk!,
    nid: c.s.nid!,
    peerMac: Uint8Array.from(c.s.chosen!.mac),
    runId: Uint8Array.from(c.s.runId),
  });
}

function onSetKeyCnf(c: Ctx, ok: boolean): void {
  if (c.s.phase !== "set-key") return;
  if (!ok) {
    c.fail("set-key-failed");
    return;
  }
  c.s.phase = "join";
  c.arm("timer", "join", TT_MATCH_JOIN_MS);
}

function onTimer(c: Ctx, id: string): void {
  const s = c.s;
  if (id === s.batchTimer) {
    s.batchTimer = undefined;
    if (s.phase === "sounding") sendBatchFrame(c);
  } else if (id === s.resultsTimer) {
    s.resultsTimer = undefined;
    if (s.phase === "sounding") decide(c);
  } else if (id === s.toggleTimer) {
    s.toggleTimer = undefined;
    if (s.phase !== "validate-2") return;
    s.s2Closed = !s.s2Closed;
    c.fx.push({ kind: "s2", closed: s.s2Closed });
    if (!s.s2Closed) s.toggles++;
    if (s.s2Closed || s.toggles < s.config.validationToggles) {
      c.arm("toggleTimer", "toggle", s.config.validationStateMs);
    }
  } else if (id === s.timer) {
    s.timer = undefined;
    onMainTimeout(c);
  }
}

function onMainTimeout(c: Ctx): void {
  const s = c.s;
  const again = s.tries <= C_EV_MATCH_RETRY;
  if (s.phase === "parm") {
    if (!again) {
      c.fail("no-slac-parm-cnf");
      return;
    }
    s.tries++;
    c.send(slacParmReq(c.mac, s.runId));
    c.arm("timer", "resp", TT_MATCH_RESPONSE_MS);
  } else if (s.phase === "validate-1") {
    if (!again) {
      c.fail("no-validate-cnf");
      return;
    }
    s.tries++;
    c.send(validateReq(c.mac, s.chosen!.mac, 0, VALIDATE_RESULT.ready));
    c.arm("timer", "resp", TT_MATCH_RESPONSE_MS);
  } else if (s.phase === "validate-2") c.fail("no-validate-cnf");
  else if (s.phase === "match") {
    if (!again) {
      c.fail("no-slac-match-cnf");
      return;
    }
    s.tries++;
    c.send(slacMatchReq(c.mac, s.chosen!.mac, s.runId));
    c.arm("timer", "resp", TT_MATCH_RESPONSE_MS);
  } else if (s.phase === "set-key") c.fail("set-key-timeout");
  else if (s.phase === "join") c.fail("join-timeout");
}

function onFrame(c: Ctx, f: SlacFrame): void {
  const s = c.s;
  const m = f.mme;
  switch (m.kind) {
    case "CM_SLAC_PARM.CNF":
      if (s.phase !== "parm" || !bytesEqual(m.runId, s.runId)) return;
      if (!bytesEqual(m.forwardingSta, c.mac)) {
        c.log("warn", "CM_SLAC_PARM.CNF for another EV ignored");
        return;
      }
      c.disarm("timer");
      s.phase = "sounding";
      c.log("info", "CM_SLAC_PARM.CNF: sounding");
      c.arm("resultsTimer", "results", TT_EV_ATTEN_RESULTS_MS);
      sendBatchFrame(c);
      return;
    case "CM_ATTEN_CHAR.IND": {
      if (s.phase === "idle" || s.phase === "parm" || s.phase === "failed") return;
      if (!bytesEqual(m.runId, s.runId) || !bytesEqual(m.sourceAddress, c.mac)) return;
      c.send(attenCharRsp(c.mac, f.src, s.runId));
      if (s.phase !== "sounding") return; // a repeated IND after our RSP got lost: acknowledge only
      const cand: EvCandidate = {
        mac: Uint8Array.from(f.src),
        meanDb: meanDb(m.aag),
        numSounds: m.numSounds,
      };
      s.candidates = [...s.candidates.filter((k) => !bytesEqual(k.mac, f.src)), cand];
      return;
    }
    case "CM_VALIDATE.CNF": {
      if (!s.chosen || !bytesEqual(f.src, s.chosen.mac)) return;
      if (s.phase === "validate-1") {
        c.disarm("timer");
        if (m.result === VALIDATE_RESULT.ready) {
          s.phase = "validate-2";
          const code = Math.round(TT_EVSE_VALD_TOGGLE_MS / VALIDATE_TIMER_UNIT_MS);
          c.send(validateReq(c.mac, s.chosen.mac, code, VALIDATE_RESULT.ready));
          c.arm("timer", "resp", TT_EVSE_VALD_TOGGLE_MS + TT_MATCH_RESPONSE_MS);
          s.toggles = 0;
          s.s2Closed = true;
          c.fx.push({ kind: "s2", closed: true });
          c.arm("toggleTimer", "toggle", s.config.validationStateMs);
        } else if (m.result === VALIDATE_RESULT.notReady) {
          // The EVSE validates another EV: ask again once its toggle window is over (counts as a try).
          c.arm("timer", "resp", TT_EVSE_VALD_TOGGLE_MS + TT_MATCH_RESPONSE_MS);
        } else {
          c.log("info", `EVSE does not validate (result ${m.result}): CM_SLAC_MATCH`);
          sendMatch(c);
        }
      } else if (s.phase === "validate-2") {
        c.disarm("timer");
        if (m.result === VALIDATE_RESULT.success && m.toggleNum === s.config.validationToggles) sendMatch(c);
        else {
          c.log("warn", `validation: result ${m.result}, ${m.toggleNum} toggles counted`);
          c.fail("validation-failed");
        }
      }
      return;
    }
    case "CM_SLAC_MATCH.CNF": {
      if (s.phase !== "match" || !s.chosen) return;
      if (!bytesEqual(m.runId, s.runId) || !bytesEqual(m.pevMac, c.mac) || !bytesEqual(f.src, s.chosen.mac)) {
        c.log("warn", "CM_SLAC_MATCH.CNF not for our session ignored");
        return;
      }
      if (m.nmk.length !== NMK_LENGTH || m.nid.length !== NID_LENGTH) return;
      c.disarm("timer");
      s.nmk = Uint8Array.from(m.nmk);
      s.nid = Uint8Array.from(m.nid);
      c.fx.push({ kind: "set-key", nmk: s.nmk, nid: s.nid });
      if (s.config.modem === "none") matched(c);
      else {
        s.phase = "set-key";
        c.arm("timer", "setkey", SET_KEY_TIMEOUT_MS);
      }
      return;
    }
    case "CM_SET_KEY.CNF":
      if (s.config.modem === "qca") onSetKeyCnf(c, true); // result ignored: some QCA firmware inverts it
      return;
    default:
      return;
  }
}

/** One step of the EV SLAC machine: pure, returns the next state and the effects to carry out. */
export function evSlacStep(state: EvSlacState, ev: EvSlacEvent): [EvSlacState, SlacEffect[]] {
  const c = new Ctx({ ...state }, ev.tMs);
  const s = c.s;
  if (s.phase === "matched" && ev.kind === "frame" && ev.frame.mme.kind === "CM_ATTEN_CHAR.IND") {
    onFrame(c, ev.frame);
    return [s, c.fx];
  }
  if (s.phase === "failed" || s.phase === "matched") return [state, []];
  switch (ev.kind) {
    case "start":
      if (s.phase === "idle") startAttempt(c);
      break;
    case "timer":
      onTimer(c, ev.id);
      break;
    case "frame":
      onFrame(c, ev.frame);
      break;
    case "modem":
      if (ev.ev === "set-key-cnf") onSetKeyCnf(c, ev.ok);
      else if (ev.up && s.phase === "join") matched(c);
      break;
  }
  return [s, c.fx];
}
