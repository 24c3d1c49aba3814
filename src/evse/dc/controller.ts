/**
 * EVSE DC controller (issue 6 §1) as a pure step function `stepEvseDc(state, event) → [state, effects]`.
 * It composes: the CP generator (5 % once an EV is seen, digest §1.4 "DC EVSE always uses 5 %"), the EVSE
 * SLAC machine, the SDP responder, the SECC session machine, the AC/DC interlock, the power-module set
 * points, the isolation monitor commands, and the safety supervisor (src/evse/safety), which has the last
 * word on the output and the contactors.
 *
 * Timers of the parts are namespaced: `slac:<id>`, `secc:<id>`, `evse:watchdog`.
 */
import {
  CP_SAMPLE_INTERVAL_MS,
  type CpState,
  DUTY_DIGITAL_COMM,
  DUTY_F,
  DUTY_X1,
} from "../../pilot/index.js";
import {
  type EvseSlacEvent,
  evseSlacStep,
  forwardSlacEffect,
  initialEvseSlac,
  type SlacEffect,
} from "../../slac/index.js";
import {
  createSecc,
  decodeSdpRequest,
  defaultSeccReadings,
  encodeSdpResponse,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_TRANSPORT_TCP,
  type SeccEffect,
  type SeccEvent,
  type SeccState,
  stepSecc,
} from "../../v2g/index.js";
import {
  checkOutput,
  initialSafety,
  SAFETY_STOP_REASONS,
  type SafetyEffect,
  type SafetyFault,
  type SafetyState,
  safetyContactors,
  safetyMeasure,
  safetyReset,
  safetyTrip,
} from "../safety/index.js";
import { createInterlock, deEnergise, energise, type Interlock } from "./interlock.js";
import { clampSetPoint, moduleDcLimits } from "./power-module.js";
import {
  EVSE_CHARGE_LOOP_WATCHDOG_MS,
  EVSE_TRIP_F_HOLD_MS,
  type EvseDcConfig,
  type EvseDcEffect,
  type EvseDcEvent,
  type EvseDcPhase,
  type EvseMeasurements,
} from "./types.js";

export { CP_SAMPLE_INTERVAL_MS };

/** State of the EVSE DC controller (treat as opaque outside tests). */
export interface EvseDcState {
  readonly cfg: EvseDcConfig;
  readonly nowMs: number;
  readonly phase: EvseDcPhase;
  readonly cp: CpState;
  readonly diodeVerified: boolean;
  readonly duty: number;
  readonly slac: ReturnType<typeof initialEvseSlac>;
  readonly secc: SeccState;
  readonly safety: SafetyState;
  readonly interlock: Interlock;
  readonly moduleOn: boolean;
  readonly meas: EvseMeasurements;
  readonly watchdogAtMs: number | null;
  readonly stopReason: string | null;
  /** Last limit flags reported (`limits` effect). */
  readonly limits: { current: boolean; voltage: boolean; power: boolean };
}

/** Complete a partial configuration (1000 V / 250 kW module, DC pins, 500 ms watchdog, PP monitored). */
export function evseDcConfig(
  partial: Partial<EvseDcConfig> & Pick<EvseDcConfig, "slac" | "module">,
): EvseDcConfig {
  return {
    pins: "dc",
    secc: {},
    sdp: { address: fe80(1), port: 50_000 },
    chargeLoopWatchdogMs: EVSE_CHARGE_LOOP_WATCHDOG_MS,
    monitorPp: true,
    matching: "slac",
    ...partial,
  };
}

/** A link-local IPv6 address fe80::n (16 bytes). */
export function fe80(n: number): Uint8Array {
  const a = new Uint8Array(16);
  a[0] = 0xfe;
  a[1] = 0x80;
  a[14] = (n >> 8) & 0xff;
  a[15] = n & 0xff;
  return a;
}

/** Initial state: nothing plugged, X1, output off, contactors open. */
export function initialEvseDc(cfg: EvseDcConfig, tMs = 0): EvseDcState {
  const readings = { ...(cfg.secc.readings ?? defaultSeccReadings()), dc: moduleDcLimits(cfg.module) };
  const secc = createSecc({ ...cfg.secc, readings }, tMs);
  return {
    cfg,
    nowMs: tMs,
    phase: "idle",
    cp: "A",
    diodeVerified: false,
    duty: DUTY_X1,
    slac: initialEvseSlac(cfg.slac),
    secc,
    safety: initialSafety(),
    interlock: createInterlock(cfg.pins),
    moduleOn: false,
    meas: {
      voltageV: 0,
      currentA: 0,
      energyWh: 0,
      isolation: { state: "idle", level: "Invalid" },
      contactorsClosed: false,
    },
    watchdogAtMs: null,
    stopReason: null,
    limits: { current: false, voltage: false, power: false },
  };
}

/** True while anything is (or may be) energised: output on or contactors commanded closed. */
export function evseLive(s: EvseDcState): boolean {
  return s.moduleOn || s.safety.contactorsCmd;
}

/** True while a session is in progress (an EV plugged and not ended). */
function inProgress(s: EvseDcState): boolean {
  return s.phase === "slac" || s.phase === "sdp" || s.phase === "session";
}

/** One step of the EVSE DC controller. */
export function stepEvseDc(s0: EvseDcState, ev: EvseDcEvent): [EvseDcState, EvseDcEffect[]] {
  const fx: EvseDcEffect[] = [];
  let s: EvseDcState = { ...s0, nowMs: Math.max(s0.nowMs, ev.tMs) };
  const t = ev.tMs;
  switch (ev.kind) {
    case "cp":
      s = onCp(s, ev.state, t, fx);
      break;
    case "cp-fault":
      s = trip(
        s,
        ev.fault === "diode-fault" ? "diode-fault" : ev.fault === "cp-short" ? "cp-state-e" : "pilot-fault",
        `CP detector: ${ev.fault}`,
        t,
        fx,
      );
      break;
    case "diode":
      s = { ...s, diodeVerified: ev.verified };
      break;
    case "pp":
      if (s.cfg.monitorPp && ev.state !== "latched" && (inProgress(s) || evseLive(s)))
        s = trip(s, "pp-unlatched", `PP ${ev.state}`, t, fx);
      break;
    case "slac-frame":
      s = slac(
        s,
        {
          kind: "frame",
          frame: ev.frame,
          tMs: t,
          ...(ev.attenuationDb && { attenuationDb: ev.attenuationDb }),
        },
        fx,
      );
      break;
    case "sdp-request":
      s = onSdp(s, ev.datagram, fx);
      break;
    case "v2g-connected":
      s = secc({ ...s, phase: setPhase(s, "session", fx) }, { kind: "connected", tMs: t }, fx);
      break;
    case "v2g-message":
      s = secc(s, { kind: "message", payloadType: ev.payloadType, bytes: ev.bytes, tMs: t }, fx);
      s = armWatchdog(s, t, fx);
      break;
    case "v2g-closed":
      s = secc(s, { kind: "closed", reason: ev.reason, tMs: t }, fx);
      break;
    case "link-lost":
      if (inProgress(s)) s = trip(s, "comm-loss", "PLC link lost", t, fx);
      break;
    case "timer":
      s = onTimer(s, ev.id, t, fx);
      break;
    case "measure":
      s = onMeasure(s, ev.m, t, fx);
      break;
    case "emergency-stop":
      s = trip(s, "emergency-stop", "emergency-stop button pressed", t, fx);
      break;
    case "safety-reset":
      s = resetAfterTrip(s, true, fx);
      break;
    case "stop-charging":
      s = secc(s, { kind: "control", control: { op: "stop-charging" }, tMs: t }, fx);
      break;
    case "board-lost":
      s = trip(s, "board-lost", `board lost: ${ev.detail}`, t, fx);
      break;
  }
  return [s, fx];
}

function setPhase(s: EvseDcState, phase: EvseDcPhase, fx: EvseDcEffect[]): EvseDcPhase {
  if (phase !== s.phase) fx.push({ kind: "phase", phase });
  return phase;
}

function setDuty(s: EvseDcState, duty: number, fx: EvseDcEffect[]): EvseDcState {
  if (duty === s.duty) return s;
  fx.push({ kind: "duty", duty });
  return { ...s, duty };
}

function onCp(s0: EvseDcState, state: EvseDcState["cp"], t: number, fx: EvseDcEffect[]): EvseDcState {
  const prev = s0.cp;
  let s: EvseDcState = { ...s0, cp: state };
  if (state === prev) return s;
  fx.push({ kind: "log", level: "info", msg: `CP ${prev}→${state}` });
  const evPresent = state === "B" || state === "C" || state === "D";
  if (evPresent && s.phase === "idle" && !s.safety.trip) {
    if (s.interlock.pins !== "dc") {
      fx.push({ kind: "log", level: "warn", msg: `pins configured for ${s.interlock.pins}: DC not offered` });
    } else {
      s = setDuty(s, DUTY_DIGITAL_COMM, fx);
      s = { ...s, phase: setPhase(s, s.cfg.matching === "slac" ? "slac" : "sdp", fx) };
    }
  }
  if (inProgress(s) || evseLive(s)) {
    if (state === "E") s = trip(s, "cp-state-e", "CP state E", t, fx);
    else if (state === "F") s = trip(s, "cp-state-f", "CP state F", t, fx);
    else if (state === "A") s = trip(s, "cp-lost", "CP state A (pilot lost or unplugged)", t, fx);
    else if (state === "B" && s.moduleOn && Math.abs(s.meas.currentA) >= 5)
      s = trip(s, "ev-stop-cp", "CP C→B with current flowing", t, fx);
  }
  if (state === "A" && !evseLive(s)) {
    s = resetAfterTrip(s, false, fx);
    s = setDuty(s, DUTY_X1, fx);
    s = { ...s, phase: setPhase(s, "idle", fx), slac: initialEvseSlac(s.cfg.slac) };
  }
  if (s.cfg.matching === "slac" && (!s.safety.trip || state === "A"))
    s = slac(s, { kind: "cp", state, duty: s.duty, tMs: t }, fx);
  if (s.secc.conn === "session" || s.secc.conn === "sap") s = secc(s, { kind: "cp", state, tMs: t }, fx);
  return s;
}

function onSdp(s: EvseDcState, datagram: Uint8Array, fx: EvseDcEffect[]): EvseDcState {
  if (s.phase !== "sdp" && s.phase !== "session") return s;
  try {
    const req = decodeSdpRequest(datagram);
    if (req.transport !== SDP_TRANSPORT_TCP) {
      fx.push({ kind: "log", level: "warn", msg: "SDP request for UDP transport: ignored" });
      return s;
    }
  } catch (err) {
    fx.push({ kind: "log", level: "warn", msg: `bad SDP request: ${(err as Error).message}` });
    return s;
  }
  const res = encodeSdpResponse({
    address: s.cfg.sdp.address,
    port: s.cfg.sdp.port,
    security: s.cfg.sdp.tls ? SDP_SECURITY_TLS : SDP_SECURITY_NONE,
    transport: SDP_TRANSPORT_TCP,
  });
  fx.push({ kind: "sdp-reply", datagram: res });
  return s;
}

function onTimer(s: EvseDcState, id: string, t: number, fx: EvseDcEffect[]): EvseDcState {
  if (id.startsWith("slac:")) return slac(s, { kind: "timer", id: id.slice(5), tMs: t }, fx);
  if (id.startsWith("secc:")) return secc(s, { kind: "timer", id: id.slice(5), tMs: t }, fx);
  if (id === "evse:f-hold" && s.duty === DUTY_F) {
    // After a trip: back to +12 V (X1) once nothing is energised, so an unplug (state A) can be seen.
    if (evseLive(s)) {
      fx.push({ kind: "set-timer", id: "evse:f-hold", atMs: t + EVSE_TRIP_F_HOLD_MS });
      return s;
    }
    return setDuty(s, DUTY_X1, fx);
  }
  if (id === "evse:watchdog" && s.watchdogAtMs === t) {
    const st = { ...s, watchdogAtMs: null };
    if (st.secc.conn === "session" && st.secc.powerDelivery === "start")
      return trip(
        st,
        "comm-timeout",
        `no V2G request for ${s.cfg.chargeLoopWatchdogMs} ms in the charge loop`,
        t,
        fx,
      );
    return st;
  }
  return s;
}

function armWatchdog(s: EvseDcState, t: number, fx: EvseDcEffect[]): EvseDcState {
  if (s.secc.conn !== "session" || s.secc.powerDelivery !== "start" || s.safety.trip) return s;
  const at = t + s.cfg.chargeLoopWatchdogMs;
  fx.push({ kind: "set-timer", id: "evse:watchdog", atMs: at });
  return { ...s, watchdogAtMs: at };
}

function onMeasure(
  s0: EvseDcState,
  m: Partial<EvseMeasurements>,
  t: number,
  fx: EvseDcEffect[],
): EvseDcState {
  const meas = { ...s0.meas, ...m };
  let s: EvseDcState = { ...s0, meas };
  s = secc(
    s,
    {
      kind: "port",
      readings: {
        presentVoltageV: meas.voltageV,
        presentCurrentA: meas.currentA,
        energyWh: meas.energyWh,
        isolation: meas.isolation,
        contactorsClosed: meas.contactorsClosed,
      },
      tMs: t,
    },
    fx,
  );
  if (meas.isolation.state === "done" && meas.isolation.level === "Fault" && (inProgress(s) || evseLive(s)))
    s = trip(s, "isolation", `isolation ${meas.isolation.resistanceOhm ?? "?"} Ω`, t, fx);
  if (meas.contactorsClosed || evseLive(s)) {
    const ev = s.secc.ev;
    const dc = s.secc.readings.dc;
    const bad = checkOutput(
      {
        evMaxVoltageV: ev.maxVoltageV,
        evseMaxVoltageV: dc.maxVoltageV,
        evMaxCurrentA: ev.maxCurrentA,
        evseMaxCurrentA: dc.maxCurrentA,
        regulationToleranceA: dc.regulationToleranceA,
      },
      meas.voltageV,
      meas.currentA,
    );
    if (bad) s = trip(s, bad.fault, bad.detail, t, fx);
  }
  const [safety, sfx] = safetyMeasure(s.safety, meas.voltageV, meas.currentA);
  return applySafety({ ...s, safety }, sfx, fx);
}

/**
 * Ready for the next EV after a session: clear a trip (`safetyReset`; latching faults only with `operator`),
 * a fresh SECC, no stop reason. Only with nothing energised.
 */
function resetAfterTrip(s: EvseDcState, operator: boolean, fx: EvseDcEffect[]): EvseDcState {
  if (evseLive(s)) return s;
  const safety = safetyReset(s.safety, operator);
  if (safety.trip) {
    fx.push({ kind: "log", level: "warn", msg: `trip ${safety.trip.fault} latched: operator reset needed` });
    return { ...s, safety };
  }
  if (s.phase !== "ended" && s.phase !== "idle") return { ...s, safety };
  if (s.safety.trip)
    fx.push({ kind: "log", level: "info", msg: `safety reset after ${s.safety.trip.fault}` });
  const secc = createSecc({ ...s.cfg.secc, readings: s.secc.readings }, s.nowMs);
  return {
    ...s,
    safety,
    secc,
    stopReason: null,
    watchdogAtMs: null,
    limits: { current: false, voltage: false, power: false },
  };
}

/** Trip the supervisor; also ends the V2G session (EVSE_EmergencyShutdown) and shows F on the pilot. */
function trip(
  s0: EvseDcState,
  fault: SafetyFault,
  detail: string,
  t: number,
  fx: EvseDcEffect[],
): EvseDcState {
  if (s0.safety.trip) return s0;
  const [safety, sfx] = safetyTrip(s0.safety, fault, detail, t);
  const reason = SAFETY_STOP_REASONS[fault];
  fx.push({ kind: "trip", fault, reason, detail });
  let s = applySafety({ ...s0, safety, stopReason: s0.stopReason ?? reason, watchdogAtMs: null }, sfx, fx);
  if (s.secc.conn === "session" || s.secc.conn === "sap")
    s = secc(s, { kind: "control", control: { op: "emergency-stop" }, tMs: t }, fx);
  if (fault !== "cp-lost" && s.cp !== "A") {
    s = setDuty(s, DUTY_F, fx);
    fx.push({ kind: "set-timer", id: "evse:f-hold", atMs: t + EVSE_TRIP_F_HOLD_MS });
  }
  return { ...s, phase: setPhase(s, "ended", fx) };
}

function applySafety(s0: EvseDcState, sfx: SafetyEffect[], fx: EvseDcEffect[]): EvseDcState {
  let s = s0;
  for (const e of sfx) {
    if (e.kind === "output-off") {
      fx.push({ kind: "module", op: "off", emergency: true });
      s = { ...s, moduleOn: false };
    } else if (e.kind === "contactors") {
      fx.push({ kind: "contactors", closed: e.closed });
      if (!e.closed) s = { ...s, interlock: deEnergise(s.interlock) };
    } else fx.push(e);
  }
  return s;
}

function slac(s: EvseDcState, ev: EvseSlacEvent, fx: EvseDcEffect[]): EvseDcState {
  const [st, sfx] = evseSlacStep(s.slac, ev);
  let out: EvseDcState = { ...s, slac: st };
  for (const e of sfx as SlacEffect[]) {
    const passed = forwardSlacEffect(e);
    if (passed) {
      fx.push(passed);
      continue;
    }
    switch (e.kind) {
      case "cp":
        out = setDuty(
          out,
          e.action === "ef" ? DUTY_F : e.action === "resume" ? DUTY_DIGITAL_COMM : DUTY_X1,
          fx,
        );
        break;
      case "matched":
        fx.push({ kind: "log", level: "info", msg: "SLAC matched" });
        if (out.phase === "slac") out = { ...out, phase: setPhase(out, "sdp", fx) };
        break;
      case "failed":
        fx.push({ kind: "log", level: "warn", msg: `SLAC failed: ${e.reason}` });
        out = {
          ...out,
          stopReason: out.stopReason ?? `SLAC failed: ${e.reason}`,
          phase: setPhase(out, "ended", fx),
        };
        fx.push({ kind: "session-end", reason: `SLAC failed: ${e.reason}`, detail: e.reason, normal: false });
        break;
      default:
        break;
    }
  }
  return out;
}

const SECC_END_FAULT: Readonly<Partial<Record<string, SafetyFault>>> = {
  timeout: "comm-timeout",
  "peer-closed": "connection-lost",
  "decode-error": "malformed-message",
  "cp-state": "cp-lost",
};

function secc(s: EvseDcState, ev: SeccEvent, fx: EvseDcEffect[]): EvseDcState {
  const [st, sfx] = stepSecc(s.secc, ev);
  let out: EvseDcState = { ...s, secc: st };
  for (const e of sfx as SeccEffect[]) {
    switch (e.kind) {
      case "send":
        fx.push({ kind: "v2g-send", payloadType: e.payloadType, bytes: e.bytes, name: e.name });
        break;
      case "set-timer":
        fx.push({ kind: "set-timer", id: `secc:${e.id}`, atMs: e.atMs });
        break;
      case "close":
        fx.push({ kind: "v2g-close", reason: e.reason });
        break;
      case "session-end": {
        const normal = e.stopReason === "terminated" || e.stopReason === "paused";
        fx.push({
          kind: "session-end",
          reason: normal ? "EV ended the session" : e.stopReason,
          detail: e.detail,
          normal,
        });
        if (e.stopReason === "paused" && !out.safety.trip)
          // ISO 15118-2 pause: keep the pilot at 5 % and SLAC matched; the EV comes back with SDP and its
          // SessionID (OK_OldSessionJoined).
          out = { ...out, phase: setPhase(out, "sdp", fx) };
        else if (normal)
          out = {
            ...out,
            stopReason: out.stopReason ?? "EV ended the session",
            phase: setPhase(out, "ended", fx),
          };
        else if (!out.safety.trip && e.stopReason !== "emergency") {
          const f = SECC_END_FAULT[e.stopReason] ?? "session-error";
          out = trip(out, f, `SECC ${e.stopReason}: ${e.detail}`, st.nowMs, fx);
        }
        break;
      }
      case "port-command":
        out = portCommand(out, e.command, fx);
        break;
      case "log":
        fx.push({ kind: "log", level: e.level, msg: `secc: ${e.msg}` });
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * ISO 15118-2 / DIN 70121 CurrentDemand (digest §5.2 row 9): a request above the EVSE maximum is clamped to
 * it and answered with EVSECurrent/VoltageLimitAchieved = true — never refused, never exceeded.
 */
function noteLimits(s: EvseDcState, wantA: number, fx: EvseDcEffect[]): EvseDcState {
  const dc = s.secc.readings.dc;
  const m = s.cfg.module;
  const v = Math.max(s.meas.voltageV, m.minVoltageV);
  const limits = {
    current: wantA > m.maxCurrentA,
    voltage: s.secc.ev.targetVoltageV > dc.maxVoltageV,
    power: wantA > m.maxPowerW / v && m.maxPowerW / v < m.maxCurrentA,
  };
  const l = s.limits;
  if (l.current === limits.current && l.voltage === limits.voltage && l.power === limits.power) return s;
  fx.push({ kind: "limits", ...limits });
  return { ...s, limits };
}

function portCommand(
  s: EvseDcState,
  c: Extract<SeccEffect, { kind: "port-command" }>["command"],
  fx: EvseDcEffect[],
): EvseDcState {
  switch (c.port) {
    case "power-stage":
      if (c.op === "off") {
        if (s.moduleOn) fx.push({ kind: "module", op: "off", emergency: false });
        return { ...s, moduleOn: false };
      }
      if (s.safety.trip) return s;
      {
        // In the charge loop the SECC caps the current by power at the EV's *target* voltage; the module
        // can do better at the voltage actually present, so re-derive the cap from the EV's request.
        const loop = s.secc.powerDelivery === "start";
        const want = loop ? Math.max(c.currentA, s.secc.ev.targetCurrentA) : c.currentA;
        const vCap = loop ? Math.max(s.meas.voltageV, s.cfg.module.minVoltageV) : c.voltageV;
        const sp = clampSetPoint(s.cfg.module, c.voltageV, want);
        if (loop) sp.currentA = Math.min(want, s.cfg.module.maxCurrentA, s.cfg.module.maxPowerW / vCap);
        fx.push({ kind: "module", op: "set", voltageV: sp.voltageV, currentA: sp.currentA });
        return loop ? noteLimits({ ...s, moduleOn: true }, want, fx) : { ...s, moduleOn: true };
      }
    case "isolation":
      fx.push(
        c.op === "start"
          ? { kind: "isolation", op: "start", voltageV: c.voltageV }
          : { kind: "isolation", op: "stop" },
      );
      return s;
    case "contactors": {
      if (c.op === "close") {
        const r = energise(s.interlock, "dc");
        if (!r.ok) return trip(s, "interlock", r.reason, s.nowMs, fx);
        const [safety, sfx] = safetyContactors(s.safety, true);
        return applySafety({ ...s, interlock: r.state, safety }, sfx, fx);
      }
      const [safety, sfx] = safetyContactors(s.safety, false);
      return applySafety({ ...s, safety }, sfx, fx);
    }
  }
}
