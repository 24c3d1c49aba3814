/**
 * One EVSE-side matching session (per EV MAC + RunID; up to C_EVSE_match_parallel at once), ISO 15118-3:
 * CM_SLAC_PARM.CNF → wait CM_START_ATTEN_CHAR.IND (TT_match_sequence) → sounding (TT_EVSE_match_MNBC, or
 * until C_EV_match_MNBC sounds) → CM_ATTEN_CHAR.IND (retried every TT_match_response, C_EV_match_retry
 * times) → wait CM_SLAC_MATCH.REQ (TT_EVSE_match_session). Attenuation comes from the receiving PHY per
 * sound (modem "none") or from the modem's CM_ATTEN_PROFILE.IND (modem "qca").
 */
import { AAG_GROUPS } from "../constants.js";
import { C_EV_MATCH_MNBC, C_EV_MATCH_RETRY } from "./constants.js";
import { attenCharInd } from "./messages.js";
import type { SlacEffect } from "./types.js";

/** Phases of a session. */
export type EvseSessionPhase = "wait-start" | "sounding" | "wait-rsp" | "wait-match" | "matched" | "failed";

/** State of one session (immutable). */
export interface EvseSession {
  readonly evMac: Uint8Array;
  readonly runId: Uint8Array;
  readonly phase: EvseSessionPhase;
  /** Sounds (or profiles) summed so far and their per-group sum in dB. */
  readonly sounds: number;
  readonly sumDb: readonly number[];
  /** Averaged profile sent in CM_ATTEN_CHAR.IND, and its mean. */
  readonly aag?: Uint8Array;
  readonly meanDb?: number;
  /** CM_ATTEN_CHAR.IND sent so far. */
  readonly indTries: number;
  /** Validation outcome, when the EV asked for one. */
  readonly validated?: boolean;
  readonly timer?: string;
}

/** A new session in "wait-start". */
export function newSession(evMac: Uint8Array, runId: Uint8Array): EvseSession {
  return {
    evMac: Uint8Array.from(evMac),
    runId: Uint8Array.from(runId),
    phase: "wait-start",
    sounds: 0,
    sumDb: new Array<number>(AAG_GROUPS).fill(0),
    indTries: 0,
  };
}

/** Add one attenuation measurement (58 groups, dB) to a sounding session; extra/missing groups are ignored. */
export function addProfile(s: EvseSession, profile: ArrayLike<number>): EvseSession {
  if (profile.length !== AAG_GROUPS) return s;
  const sumDb = s.sumDb.map((v, i) => v + Math.max(0, Math.min(255, Math.round(profile[i]!))));
  return { ...s, sounds: s.sounds + 1, sumDb };
}

/** Whether enough sounds arrived to finish sounding early. */
export function soundingComplete(s: EvseSession): boolean {
  return s.sounds >= C_EV_MATCH_MNBC;
}

/**
 * Average the profile and send CM_ATTEN_CHAR.IND (first try, or a retry). Returns the session and the
 * frame effect; the caller arms a TT_match_response timer. A session without any sound fails.
 */
export function sendAttenChar(s: EvseSession, evseMac: Uint8Array): [EvseSession, SlacEffect[]] {
  if (s.sounds === 0) {
    return [
      { ...s, phase: "failed" },
      [{ kind: "log", level: "warn", msg: "evse: session without sounds failed" }],
    ];
  }
  let aag = s.aag;
  if (aag === undefined) aag = Uint8Array.from(s.sumDb, (v) => Math.round(v / s.sounds));
  let mean = 0;
  for (const v of aag) mean += v;
  mean /= aag.length;
  const fx: SlacEffect[] = [{ kind: "send", frame: attenCharInd(evseMac, s.evMac, s.runId, s.sounds, aag) }];
  return [{ ...s, phase: "wait-rsp", aag, meanDb: mean, indTries: s.indTries + 1 }, fx];
}

/** Whether CM_ATTEN_CHAR.IND may be sent again after a TT_match_response timeout. */
export function mayRetryInd(s: EvseSession): boolean {
  return s.indTries <= C_EV_MATCH_RETRY;
}
