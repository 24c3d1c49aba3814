/**
 * EVSE controller (high-level communication, DC or AC) as a pure step function `stepEvseDc(state,
 * event) → [state, effects]`. It composes: the CP generator (5 % once an EV is seen, a DC EVSE always uses
 * 5 %, per the EVerest bring-up guide; ISO 15118-3 §7 uses the same 5 % to ask for HLC in AC), the EVSE SLAC
 * machine, the SDP responder, the SECC session machine, the AC/DC interlock, the power-module set points and
 * isolation monitor commands (DC) or the mains relay (AC), and the safety supervisor (src/evse/safety), which
 * has the last word on the output and the contactors or relay.
 *
 * Timers of the parts are namespaced: `slac:<id>`, `secc:<id>`, `evse:watchdog`.
 *
 * The state is in state.ts, the SECC glue (with the trip, which ends the session) in secc-glue.ts, the
 * safety helpers in trip.ts.
 */
import { CP_SAMPLE_INTERVAL_MS, DUTY_DIGITAL_COMM, DUTY_F, DUTY_X1 } from "../../pilot/index.js";
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
  type EnergyTransferMode,
  encodeSdpResponse,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_TRANSPORT_TCP,
} from "../../v2g/index.js";
import { checkOutput, initialSafety, safetyMeasure } from "../safety/index.js";
import { createInterlock } from "./interlock.js";
import { setPowerLimit } from "./power-limit.js";
import { moduleDcLimits } from "./power-module.js";
import { setPowerSchedule } from "./power-schedule.js";
import { secc, trip } from "./secc-glue.js";
import { acPins, type EvseDcState, evseLive, inProgress, setDuty, setPhase } from "./state.js";
import { applySafety, resetAfterTrip } from "./trip.js";
import {
  EVSE_CHARGE_LOOP_WATCHDOG_MS,
  EVSE_TRIP_F_HOLD_MS,
  type EvseDcConfig,
  type EvseDcEffect,
  type EvseDcEvent,
  type EvseMeasurements,
} from "./types.js";

export { CP_SAMPLE_INTERVAL_MS };
export { type EvseDcState, evseLive } from "./state.js";

/**
 * AC supply offered by default with AC pins: 240 V, 48 A (the J3400 AC connector rating: Tesla's AC
 * connector datasheet, 48 A).
 */
export const EVSE_DEFAULT_AC_SUPPLY: EvseDcConfig["ac"] = Object.freeze({
  nominalVoltageV: 240,
  maxCurrentA: 48,
});

/** Complete a partial configuration (DC pins, 500 ms watchdog, PP monitored, 240 V / 48 A AC supply). */
export function evseDcConfig(
  partial: Partial<EvseDcConfig> & Pick<EvseDcConfig, "slac" | "module">,
): EvseDcConfig {
  return {
    pins: "dc",
    ac: EVSE_DEFAULT_AC_SUPPLY,
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

/** Energy transfer modes the SECC offers on these pins (DC_extended for DC, single-phase AC for AC). */
export function pinEnergyModes(pins: EvseDcConfig["pins"]): EnergyTransferMode[] {
  return pins === "ac" ? ["AC_single_phase_core"] : pins === "dc" ? ["DC_extended"] : [];
}

/** Initial state: nothing plugged, X1, output off, contactors (or AC relay) open. */
export function initialEvseDc(cfg0: EvseDcConfig, tMs = 0): EvseDcState {
  const cfg: EvseDcConfig = {
    ...cfg0,
    // ISO 15118-20 schedule renegotiation on, so a backend's new schedule reaches a Scheduled-mode EV
    secc: { energyModes: pinEnergyModes(cfg0.pins), iso20ScheduleRenegotiation: true, ...cfg0.secc },
  };
  const base = cfg.secc.readings ?? defaultSeccReadings();
  const readings = {
    ...base,
    dc: moduleDcLimits(cfg.module),
    ac: { ...base.ac, ...cfg.ac },
  };
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
    safety: initialSafety(cfg.pins === "ac"),
    interlock: createInterlock(cfg.pins),
    moduleOn: false,
    meas: {
      voltageV: 0,
      currentA: 0,
      energyWh: 0,
      isolation: { state: "idle", level: "Invalid" },
      contactorsClosed: false,
    },
    measPending: false,
    watchdogAtMs: null,
    stopReason: null,
    powerLimitW: null,
    powerSchedule: null,
    limits: { current: false, voltage: false, power: false },
  };
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
      if (
        s.cfg.monitorPp &&
        // TEST-ONLY defect (src/v2g/session/defects.ts): PP unlatched ignored
        s.cfg.secc.defect !== "ignore-pp-unlatch" &&
        ev.state !== "latched" &&
        (inProgress(s) || evseLive(s))
      )
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
    case "modem-link":
      if (s.cfg.matching === "slac") s = slac(s, { kind: "modem", ev: "link", up: ev.up, tMs: t }, fx);
      break;
    case "v2g-connected":
      s = secc(
        { ...s, phase: setPhase(s, "session", fx) },
        {
          kind: "connected",
          tMs: t,
          ...(ev.tls && { tls: ev.tls }),
          ...(ev.peerCertSha512 && { peerCertSha512: ev.peerCertSha512 }),
        },
        fx,
      );
      break;
    case "v2g-message":
      s = secc(s, { kind: "message", payloadType: ev.payloadType, bytes: ev.bytes, tMs: t }, fx);
      s = armWatchdog(s, t, fx);
      break;
    case "v2g-closed":
      // TEST-ONLY defect ignore-connection-loss (v2g/session/defects.ts): the lost connection is not noticed
      if (s.cfg.secc.defect === "ignore-connection-loss") break;
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
      if (ev.reason !== undefined && s.stopReason === null && inProgress(s))
        s = { ...s, stopReason: ev.reason };
      s = secc(s, { kind: "control", control: { op: "stop-charging" }, tMs: t }, fx);
      break;
    case "pause-charging":
      s = secc(s, { kind: "control", control: { op: "pause" }, tMs: t }, fx);
      break;
    case "board-lost":
      s = trip(s, "board-lost", `board lost: ${ev.detail}`, t, fx);
      break;
    case "set-power-limit":
      s = setPowerLimit(s, ev.maxPowerW, fx);
      break;
    case "certificate-response":
      s = secc(s, ev, fx);
      break;
    case "set-power-schedule":
      s = setPowerSchedule(s, ev.periods, t, fx);
      break;
    case "authorization":
      fx.push({ kind: "log", level: "info", msg: `authorization ${ev.result}` });
      s = secc(s, { kind: "port", readings: { authorization: ev.result }, tMs: t }, fx);
      break;
  }
  return [s, fx];
}

function onCp(s0: EvseDcState, state: EvseDcState["cp"], t: number, fx: EvseDcEffect[]): EvseDcState {
  const prev = s0.cp;
  let s: EvseDcState = { ...s0, cp: state };
  if (state === prev) return s;
  fx.push({ kind: "log", level: "info", msg: `CP ${prev}→${state}` });
  const evPresent = state === "B" || state === "C" || state === "D";
  if (evPresent && s.phase === "idle" && !s.safety.trip) {
    if (s.interlock.pins === "none") {
      fx.push({ kind: "log", level: "warn", msg: "pins configured for no power path: nothing offered" });
    } else {
      s = setDuty(s, DUTY_DIGITAL_COMM, fx);
      s = { ...s, phase: setPhase(s, s.cfg.matching === "slac" ? "slac" : "sdp", fx) };
    }
  }
  if (inProgress(s) || evseLive(s)) {
    if (state === "E") s = trip(s, "cp-state-e", "CP state E", t, fx);
    else if (state === "F") s = trip(s, "cp-state-f", "CP state F", t, fx);
    else if (state === "A") s = trip(s, "cp-lost", "CP state A (pilot lost or unplugged)", t, fx);
    else if (
      state === "B" &&
      (s.moduleOn || acPins(s)) &&
      Math.abs(s.meas.currentA) >= 5 &&
      // TEST-ONLY defect ignore-ev-stop-cp (v2g/session/defects.ts): C→B with current flowing is not noticed
      s.cfg.secc.defect !== "ignore-ev-stop-cp"
    )
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
  // TEST-ONLY defects (v2g/session/defects.ts): no charge-loop watchdog
  const d = s.cfg.secc.defect;
  if (d === "no-charge-loop-watchdog" || d === "ignore-connection-loss") return s;
  // The DC_CL figure is for the DC charge loop; an AC supply is guarded by the pilot (IEC 61851-1 Annex A)
  // and the V2G sequence timeout.
  if (acPins(s)) return s;
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
  // the SECC gets them before its next event (secc-glue.ts)
  let s: EvseDcState = { ...s0, meas, measPending: true };
  if (meas.isolation.state === "done" && meas.isolation.level === "Fault" && (inProgress(s) || evseLive(s)))
    s = trip(s, "isolation", `isolation ${meas.isolation.resistanceOhm ?? "?"} Ω`, t, fx);
  if (meas.contactorsClosed || evseLive(s)) {
    const ev = s.secc.ev;
    const { dc, ac } = s.secc.readings;
    // AC: the EV's on-board charger draws the current, at most EVSEMaxCurrent (ISO 15118-2 §8.5.3.3).
    const evse = acPins(s)
      ? { evseMaxVoltageV: ac.nominalVoltageV, evseMaxCurrentA: ac.maxCurrentA, regulationToleranceA: 0 }
      : {
          evseMaxVoltageV: dc.maxVoltageV,
          evseMaxCurrentA: dc.maxCurrentA,
          regulationToleranceA: dc.regulationToleranceA,
          evseMaxDischargeCurrentA: dc.maxDischargeCurrentA,
        };
    const bad = checkOutput(
      {
        evMaxVoltageV: ev.maxVoltageV,
        evMaxCurrentA: ev.maxCurrentA,
        ...(ev.maxDischargeCurrentA !== undefined && { evMaxDischargeCurrentA: ev.maxDischargeCurrentA }),
        ...evse,
      },
      meas.voltageV,
      meas.currentA,
    );
    if (bad) s = trip(s, bad.fault, bad.detail, t, fx);
  }
  const [safety, sfx] = safetyMeasure(s.safety, meas.voltageV, meas.currentA);
  return applySafety({ ...s, safety }, sfx, fx);
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
      case "set-key":
        fx.push({ kind: "slac-set-key", nmk: e.nmk, nid: e.nid });
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
