/**
 * EVSE side of ISO 15118-3 SLAC as a pure step function (ISO 15118-3; E/F retries per [V2G3-M06-07]).
 *
 * CP drives it: leaving A (plug-in) makes a fresh NMK/NID and sets it into the local modem (`set-key`),
 * then the EVSE listens for CM_SLAC_PARM.REQ in B/C/D whatever the duty, so an EV that starts SLAC at
 * plug-in, before or together with the 5 % PWM (Tesla order), is answered at once. A CM_SLAC_PARM.REQ
 * that arrives while the EVSE still sees A (its CP detection is debounced) is kept and answered at
 * plug-in if it is at most EARLY_PARM_REQ_WINDOW_MS old. While 5 % is shown and no CM_SLAC_PARM.REQ has
 * come, TT_EVSE_SLAC_init runs; on expiry the EVSE goes E/F for T_step_EF (`cp` "ef"), back to 5 %
 * ("resume") and tries again, C_sequ_retry times; then X1 ("x1") and `failed` "no-slac-parm-req".
 *
 * Up to C_EVSE_match_parallel sessions run at once (see evse-session.ts). The EVSE matches one EV: it
 * answers CM_SLAC_MATCH.REQ only from the session with the lowest mean attenuation among its sessions
 * (a validated session wins outright; one that failed validation never matches), so a second EV hearing
 * this EVSE through crosstalk with weaker coupling cannot take the match. Optional CM_VALIDATE: the EVSE counts C→B edges on its CP in
 * TT_EVSE_vald_toggle. Modem "qca": `matched` only after the link-up report (within TT_match_join).
 */

import { DUTY_DIGITAL_COMM } from "../../pilot/constants.js";
import type { CpState } from "../../pilot/types.js";
import { VALIDATE_RESULT } from "../constants.js";
import type { SlacFrame } from "../frame.js";
import { generateNmk, nidFromNmk } from "../keys.js";
import {
  C_SEQU_RETRY_COUNT,
  EARLY_PARM_REQ_WINDOW_MS,
  SET_KEY_TIMEOUT_MS,
  T_STEP_EF_SLAC_MS,
  TT_EVSE_MATCH_MNBC_MS,
  TT_EVSE_MATCH_SESSION_MS,
  TT_EVSE_VALD_TOGGLE_MS,
  TT_MATCH_JOIN_MS,
  TT_MATCH_RESPONSE_MS,
  TT_MATCH_SEQUENCE_MS,
} from "./constants.js";
import { addProfile, mayRetryInd, newSession, sendAttenChar, soundingComplete } from "./evse-session.js";
import { Ctx, type EvseSlacState } from "./evse-state.js";
import { bytesEqual, hex, slacMatchCnf, slacParmCnf, validateCnf } from "./messages.js";
import type { EvseSlacEvent, SlacEffect } from "./types.js";

export {
  type EvseSlacConfig,
  type EvseSlacPhase,
  type EvseSlacResolvedConfig,
  type EvseSlacState,
  initialEvseSlac,
  resolveEvseSlacConfig,
} from "./evse-state.js";

function superviseInit(c: Ctx): void {
  const s = c.s;
  if (s.phase !== "listening") return;
  const want = !s.seenParmReq && s.duty === DUTY_DIGITAL_COMM;
  if (want && s.initTimer === undefined) c.arm("initTimer", s.config.slacInitMs);
  else if (!want && s.initTimer !== undefined) c.disarm("initTimer");
}

function plugIn(c: Ctx): void {
  const s = c.s;
  s.nmk = generateNmk(s.config.random);
  s.nid = nidFromNmk(s.nmk);
  s.phase = "listening";
  s.seenParmReq = false;
  s.sequRetries = 0;
  s.failure = undefined;
  c.log("info", "plug-in: new NMK, CM_SET_KEY to the local modem");
  c.fx.push({ kind: "set-key", nmk: s.nmk, nid: s.nid });
  if (s.config.modem === "none") s.keyState = "ok";
  else {
    s.keyState = "pending";
    c.arm("keyTimer", SET_KEY_TIMEOUT_MS);
  }
  const early = s.early.filter((e) => c.now - e.tMs <= EARLY_PARM_REQ_WINDOW_MS);
  if (early.length < s.early.length)
    c.log("info", `${s.early.length - early.length} stale early PARM.REQ dropped`);
  s.early = [];
  for (const e of early) onParmReq(c, e.frame);
}

function onCp(c: Ctx, state: CpState, duty: number): void {
  const s = c.s;
  const prev = s.cpState;
  s.cpState = state;
  s.duty = duty;
  if (state === "A") {
    if (s.phase !== "unplugged") {
      c.log("info", "unplugged: SLAC reset");
      c.clearAll();
      s.phase = "unplugged";
      s.keyState = "none";
      s.peer = undefined;
      s.matchCnf = undefined;
    }
    return;
  }
  if (s.phase === "ef" || state === "E" || state === "F") return;
  if (s.phase === "unplugged") plugIn(c);
  const v = s.validation;
  if (v?.counting && prev === "C" && state === "B") s.validation = { ...v, toggles: v.toggles + 1 };
  superviseInit(c);
}

function onParmReq(c: Ctx, f: SlacFrame): void {
  const s = c.s;
  const m = f.mme;
  if (m.kind !== "CM_SLAC_PARM.REQ") return;
  if (m.applicationType !== 0 || m.securityType !== 0) {
    c.log("warn", "CM_SLAC_PARM.REQ with unknown application/security type ignored");
    return;
  }
  if (s.phase === "unplugged") {
    s.early = [...s.early.filter((e) => c.now - e.tMs <= EARLY_PARM_REQ_WINDOW_MS), { frame: f, tMs: c.now }];
    s.early = s.early.slice(-s.config.maxParallel);
    c.log("info", "CM_SLAC_PARM.REQ before plug-in seen: kept");
    return;
  }
  if (s.phase !== "listening") {
    c.log("debug", `CM_SLAC_PARM.REQ ignored in phase ${s.phase}`);
    return;
  }
  c.sessions = c.sessions.filter((x) => x.phase !== "failed");
  let i = c.find(f.src);
  if (i < 0) {
    if (c.sessions.length >= s.config.maxParallel) {
      c.log("warn", `CM_SLAC_PARM.REQ from ${hex(f.src)} ignored: ${s.config.maxParallel} sessions busy`);
      return;
    }
    c.sessions.push(newSession(f.src, m.runId));
    i = c.sessions.length - 1;
  }
  s.seenParmReq = true;
  c.disarm("initTimer");
  // [V2G3-A09-16]: a repeated CM_SLAC_PARM.REQ restarts the session.
  c.setSession(i, newSession(f.src, m.runId), TT_MATCH_SEQUENCE_MS);
  c.log("info", `CM_SLAC_PARM.REQ from ${hex(f.src)}: session ${i}`);
  c.send(slacParmCnf(c.mac, f.src, m.runId));
}

function finishSounding(c: Ctx, i: number): void {
  const [next, fx] = sendAttenChar(c.sessions[i]!, c.mac);
  c.fx.push(...fx);
  c.setSession(i, next, next.phase === "failed" ? undefined : TT_MATCH_RESPONSE_MS);
  if (next.phase === "failed") afterSessionFailed(c);
}

function afterSessionFailed(c: Ctx): void {
  if (c.s.phase !== "listening" || c.sessions.some((x) => x.phase !== "failed")) return;
  c.log("info", "all sessions failed: waiting for a new CM_SLAC_PARM.REQ");
  c.s.seenParmReq = false;
  superviseInit(c);
}

function onSound(c: Ctx, f: SlacFrame, atten: readonly number[] | undefined): void {
  const m = f.mme;
  if (m.kind !== "CM_MNBC_SOUND.IND") return;
  const i = c.find(f.src, m.runId);
  if (i < 0) return;
  let x = c.sessions[i]!;
  if (x.phase === "wait-start") {
    c.log("info", "sound without CM_START_ATTEN_CHAR.IND: sounding");
    x = { ...x, phase: "sounding" };
    c.setSession(i, x, TT_EVSE_MATCH_MNBC_MS);
    x = c.sessions[i]!;
  }
  if (x.phase !== "sounding" || c.s.config.modem !== "none") return;
  if (atten === undefined) {
    c.log("warn", "sound without an attenuation measurement (modem none) ignored");
    return;
  }
  c.sessions[i] = addProfile(x, atten);
  if (soundingComplete(c.sessions[i]!)) finishSounding(c, i);
}

function onProfile(c: Ctx, f: SlacFrame): void {
  const m = f.mme;
  if (m.kind !== "CM_ATTEN_PROFILE.IND" || c.s.config.modem !== "qca") return;
  const i = c.sessions.findIndex((x) => bytesEqual(x.evMac, m.pevMac) && x.phase === "sounding");
  if (i < 0) return;
  c.sessions[i] = addProfile(c.sessions[i]!, m.aag);
  if (soundingComplete(c.sessions[i]!)) finishSounding(c, i);
}

function onMatchReq(c: Ctx, f: SlacFrame): void {
  const s = c.s;
  const m = f.mme;
  if (m.kind !== "CM_SLAC_MATCH.REQ") return;
  if (s.phase === "joining" || s.phase === "matched") {
    if (s.peer && s.matchCnf && bytesEqual(s.peer.evMac, f.src) && bytesEqual(s.peer.runId, m.runId)) {
      c.send(s.matchCnf); // our CNF got lost: answer again
    } else c.log("warn", `CM_SLAC_MATCH.REQ from ${hex(f.src)} refused: already matched`);
    return;
  }
  if (s.phase !== "listening") return;
  const i = c.find(f.src, m.runId);
  const x = c.sessions[i];
  if (!x || (x.phase !== "wait-rsp" && x.phase !== "wait-match")) return;
  if (!bytesEqual(m.evseMac, c.mac) || !bytesEqual(m.pevMac, f.src)) {
    c.log("warn", "CM_SLAC_MATCH.REQ with wrong MACs ignored");
    return;
  }
  if (x.validated === false) {
    c.log("warn", `CM_SLAC_MATCH.REQ from ${hex(f.src)} refused: validation failed`);
    return;
  }
  // A validated session wins outright; otherwise the strongest coupling (validation losers excluded).
  const better =
    x.validated === true
      ? undefined
      : c.sessions.find(
          (o, j) =>
            j !== i &&
            o.phase !== "failed" &&
            o.validated !== false &&
            o.meanDb !== undefined &&
            o.meanDb < (x.meanDb ?? 0),
        );
  if (better) {
    c.log("warn", `CM_SLAC_MATCH.REQ from ${hex(f.src)} refused: ${hex(better.evMac)} is coupled stronger`);
    return;
  }
  const cnf = slacMatchCnf(c.mac, f.src, m.runId, s.nid!, s.nmk!);
  c.send(cnf);
  c.setSession(i, { ...x, phase: "matched" });
  s.peer = c.sessions[i];
  s.matchCnf = cnf;
  for (let j = 0; j < c.sessions.length; j++) {
    if (j !== i) c.setSession(j, { ...c.sessions[j]!, phase: "failed" });
  }
  c.disarm("valdTimer");
  s.validation = undefined;
  if (s.config.modem === "none") matched(c);
  else {
    s.phase = "joining";
    c.arm("joinTimer", TT_MATCH_JOIN_MS);
  }
}

function matched(c: Ctx): void {
  const s = c.s;
  c.disarm("joinTimer");
  s.phase = "matched";
  c.log("info", `matched with ${hex(s.peer!.evMac)}`);
  c.fx.push({
    kind: "matched",
    nmk: s.nmk!,
    nid: s.nid!,
    peerMac: Uint8Array.from(s.peer!.evMac),
    runId: Uint8Array.from(s.peer!.runId),
  });
}

function onValidateReq(c: Ctx, f: SlacFrame): void {
  const s = c.s;
  const m = f.mme;
  if (m.kind !== "CM_VALIDATE.REQ" || s.phase !== "listening") return;
  const i = c.sessions.findIndex(
    (x) => bytesEqual(x.evMac, f.src) && (x.phase === "wait-rsp" || x.phase === "wait-match"),
  );
  if (i < 0) return;
  const reply = (n: number, r: number) => c.send(validateCnf(c.mac, f.src, n, r));
  if (!s.config.validation) {
    reply(0, VALIDATE_RESULT.notRequired);
    return;
  }
  const v = s.validation;
  if (m.timer === 0) {
    if (v && !bytesEqual(v.mac, f.src)) reply(0, VALIDATE_RESULT.notReady);
    else {
      s.validation = { mac: Uint8Array.from(f.src), counting: false, toggles: 0 };
      reply(0, VALIDATE_RESULT.ready);
    }
  } else if (v && !v.counting && bytesEqual(v.mac, f.src)) {
    s.validation = { ...v, counting: true, toggles: 0 };
    c.arm("valdTimer", TT_EVSE_VALD_TOGGLE_MS);
  } else reply(0, VALIDATE_RESULT.failure);
}

function onValidationEnd(c: Ctx): void {
  const v = c.s.validation;
  c.s.validation = undefined;
  if (!v) return;
  const ok = v.toggles > 0;
  c.log("info", `validation of ${hex(v.mac)}: ${v.toggles} toggles`);
  c.send(validateCnf(c.mac, v.mac, v.toggles, ok ? VALIDATE_RESULT.success : VALIDATE_RESULT.failure));
  const i = c.find(v.mac);
  if (i >= 0) c.sessions[i] = { ...c.sessions[i]!, validated: ok };
}

function onSessionTimer(c: Ctx, id: string): void {
  const i = c.sessions.findIndex((x) => x.timer === id);
  const x = c.sessions[i];
  if (!x) return;
  c.sessions[i] = { ...x, timer: undefined };
  if (x.phase === "sounding") finishSounding(c, i);
  else if (x.phase === "wait-rsp" && mayRetryInd(x)) finishSounding(c, i);
  else {
    c.log("warn", `session ${hex(x.evMac)} timed out in ${x.phase}`);
    c.sessions[i] = { ...x, timer: undefined, phase: "failed" };
    afterSessionFailed(c);
  }
}

function onTimer(c: Ctx, id: string): void {
  const s = c.s;
  if (id === s.initTimer) {
    s.initTimer = undefined;
    if (s.phase !== "listening" || s.seenParmReq) return;
    if (s.sequRetries < C_SEQU_RETRY_COUNT) {
      c.log("warn", "no CM_SLAC_PARM.REQ in TT_EVSE_SLAC_init: E/F for T_step_EF");
      s.phase = "ef";
      c.fx.push({ kind: "cp", action: "ef" });
      c.arm("efTimer", T_STEP_EF_SLAC_MS);
    } else {
      c.fx.push({ kind: "cp", action: "x1" });
      c.fail("no-slac-parm-req");
    }
  } else if (id === s.efTimer) {
    s.efTimer = undefined;
    s.sequRetries++;
    s.phase = "listening";
    s.duty = DUTY_DIGITAL_COMM;
    c.fx.push({ kind: "cp", action: "resume" });
    c.arm("initTimer", s.config.slacInitMs);
  } else if (id === s.keyTimer) {
    s.keyTimer = undefined;
    if (s.keyState === "pending") c.fail("set-key-timeout");
  } else if (id === s.joinTimer) {
    s.joinTimer = undefined;
    if (s.phase === "joining") c.fail("join-timeout");
  } else if (id === s.valdTimer) {
    s.valdTimer = undefined;
    onValidationEnd(c);
  } else onSessionTimer(c, id);
}

function onSetKeyCnf(c: Ctx, ok: boolean): void {
  if (c.s.keyState !== "pending") return;
  c.disarm("keyTimer");
  if (ok) c.s.keyState = "ok";
  else c.fail("set-key-failed");
}

function onFrame(c: Ctx, f: SlacFrame, atten: readonly number[] | undefined): void {
  const m = f.mme;
  if (bytesEqual(f.src, c.mac)) return;
  const s = c.s;
  switch (m.kind) {
    case "CM_SLAC_PARM.REQ":
      onParmReq(c, f);
      return;
    case "CM_START_ATTEN_CHAR.IND": {
      const i = c.find(f.src, m.runId);
      if (i >= 0 && c.sessions[i]!.phase === "wait-start") {
        c.setSession(i, { ...c.sessions[i]!, phase: "sounding" }, TT_EVSE_MATCH_MNBC_MS);
      }
      return;
    }
    case "CM_MNBC_SOUND.IND":
      onSound(c, f, atten);
      return;
    case "CM_ATTEN_PROFILE.IND":
      onProfile(c, f);
      return;
    case "CM_ATTEN_CHAR.RSP": {
      const i = c.find(f.src, m.runId);
      const x = c.sessions[i];
      if (x?.phase !== "wait-rsp" || !bytesEqual(m.sourceAddress, x.evMac) || m.result !== 0) return;
      c.setSession(i, { ...x, phase: "wait-match" }, TT_EVSE_MATCH_SESSION_MS);
      return;
    }
    case "CM_VALIDATE.REQ":
      onValidateReq(c, f);
      return;
    case "CM_SLAC_MATCH.REQ":
      onMatchReq(c, f);
      return;
    case "CM_SET_KEY.CNF":
      if (s.config.modem === "qca") onSetKeyCnf(c, true); // result ignored: some QCA firmware inverts it
      return;
    default:
      return;
  }
}

/** One step of the EVSE SLAC machine: pure, returns the next state and the effects to carry out. */
export function evseSlacStep(state: EvseSlacState, ev: EvseSlacEvent): [EvseSlacState, SlacEffect[]] {
  const c = new Ctx({ ...state }, ev.tMs);
  const s = c.s;
  if ((s.phase === "failed" || s.phase === "matched") && ev.kind !== "cp" && ev.kind !== "frame") {
    return [state, []];
  }
  if (s.phase === "failed" && ev.kind === "frame") return [state, []];
  switch (ev.kind) {
    case "cp":
      onCp(c, ev.state, ev.duty);
      break;
    case "timer":
      onTimer(c, ev.id);
      break;
    case "frame":
      onFrame(c, ev.frame, ev.attenuationDb);
      break;
    case "modem":
      if (ev.ev === "set-key-cnf") onSetKeyCnf(c, ev.ok);
      else if (ev.up && s.phase === "joining") matched(c);
      break;
  }
  s.sessions = c.sessions;
  return [s, c.fx];
}
