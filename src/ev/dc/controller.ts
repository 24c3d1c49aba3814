/**
 * EV DC controller (issue 6 §3) as a pure step function `stepEvDc(state, event) → [state, effects]`: the
 * EVCC plus BMS glue, the EV SLAC machine, the SDP client, the inlet lock and the DC contactors.
 *
 * - Plug-in (PP latched) locks the inlet; 5 % on the pilot starts SLAC, then SDP (retry every
 *   SDP_REQUEST_TIMEOUT_MS, at most SDP_MAX_REQUESTS), then the V2G session (EVCC).
 * - AC/DC decision (digest §3.3, J3400-OV, U): the DC contactors close only when the pilot shows 5 %, the
 *   negotiated energy transfer mode is DC, and the inlet measurement shows no AC — never from IP alone.
 * - Lock opened or PP unlatched during a session: S2 opens at once (the EVSE sees C→B and switches off),
 *   the EVCC stops; named stop reason.
 * - The EV contactors open only below {@link EV_CONTACTOR_OPEN_MAX_A}; the inlet unlocks only below 60 V
 *   (digest §5.6) once the session is over.
 * - Optional "delayed S2 closure" for legacy chargers (digest §3.3, U).
 */
import { dutyToCurrent, type PpState } from "../../pilot/index.js";
import {
  type EvSlacEvent,
  evSlacStep,
  forwardSlacEffect,
  initialEvSlac,
  type SlacEffect,
} from "../../slac/index.js";
import {
  createEvcc,
  DEFAULT_EVCC_PACING,
  decodeSdpResponse,
  EVCC_WELDING_MAX_REQUESTS,
  type EvccEffect,
  type EvccEvent,
  type EvccReadings,
  type EvccState,
  encodeSdpRequest,
  SAFE_VOLTAGE_V,
  SDP_MAX_REQUESTS,
  SDP_REQUEST_TIMEOUT_MS,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_TRANSPORT_TCP,
  stepEvcc,
} from "../../v2g/index.js";
import { bmsTargetCurrentA, type DcBatteryConfig } from "./battery.js";
import {
  BOARD_LOST_STOP,
  DC_CURRENT_DEMAND_INTERVAL_MS,
  EV_CONTACTOR_OPEN_MAX_A,
  EV_STOP_PRECHARGE,
  EV_STOP_WELDED,
  type EvDcConfig,
  type EvDcEffect,
  type EvDcEvent,
  type EvDcPhase,
} from "./types.js";

/** EV controller state (treat as opaque outside tests). */
export interface EvDcState {
  readonly cfg: EvDcConfig;
  readonly nowMs: number;
  readonly phase: EvDcPhase;
  readonly duty: number;
  readonly pp: PpState;
  readonly lockCmd: boolean;
  readonly lockFeedback: boolean;
  readonly inlet: { voltageV: number; currentA: number; acPresent: boolean };
  readonly socPercent: number;
  readonly batteryVoltageV: number;
  readonly slac: ReturnType<typeof initialEvSlac>;
  readonly evcc: EvccState;
  readonly sdpTries: number;
  readonly contactorsWant: boolean;
  readonly contactorsCmd: boolean;
  readonly s2: boolean;
  readonly s2PendingAtMs: number | null;
  readonly stopReason: string | null;
  readonly readingsDirty: boolean;
  /** `start-v2g` received (or `autoStartV2g`). */
  readonly v2gStart: boolean;
  /** Fault injection: request above the EVSE limits. */
  readonly overLimit: { currentA: number; voltageV: number } | null;
}

/** Complete a partial configuration. */
export function evDcConfig(partial: Partial<EvDcConfig> & Pick<EvDcConfig, "battery" | "slac">): EvDcConfig {
  return {
    evcc: {},
    targetSocPercent: 80,
    s2CloseDelayMs: 0,
    currentDemandIntervalMs: DC_CURRENT_DEMAND_INTERVAL_MS,
    autoStartV2g: true,
    matching: "slac",
    tls: false,
    ...partial,
  };
}

function staticReadings(b: DcBatteryConfig): Partial<EvccReadings> {
  return {
    maxVoltageV: b.maxVoltageV,
    maxCurrentA: b.maxCurrentA,
    maxPowerW: b.maxPowerW,
    capacityWh: b.capacityWh,
    targetVoltageV: b.maxVoltageV,
    bulkSocPercent: b.bulkSocPercent,
    fullSocPercent: b.fullSocPercent,
  };
}

/** Initial state: unplugged, at `socPercent`. */
export function initialEvDc(
  cfg: EvDcConfig,
  socPercent: number,
  batteryVoltageV: number,
  tMs = 0,
): EvDcState {
  const evcc = createEvcc(
    {
      ...cfg.evcc,
      mode: "DC_extended",
      pacing: { ...DEFAULT_EVCC_PACING, ...cfg.evcc.pacing, loopMs: cfg.currentDemandIntervalMs },
      readings: {
        ...createEvcc().readings,
        ...staticReadings(cfg.battery),
        socPercent,
        batteryVoltageV,
        targetCurrentA: bmsTargetCurrentA(cfg.battery, socPercent),
      },
    },
    tMs,
  );
  return {
    cfg,
    nowMs: tMs,
    phase: "unplugged",
    duty: 0,
    pp: "unplugged",
    lockCmd: false,
    lockFeedback: false,
    inlet: { voltageV: 0, currentA: 0, acPresent: false },
    socPercent,
    batteryVoltageV,
    slac: initialEvSlac(cfg.slac),
    evcc,
    sdpTries: 0,
    contactorsWant: false,
    contactorsCmd: false,
    s2: false,
    s2PendingAtMs: null,
    stopReason: null,
    readingsDirty: false,
    v2gStart: cfg.autoStartV2g,
    overLimit: null,
  };
}

/** True when the session is past SLAC and not ended (a paused session counts: the inlet stays locked). */
function active(s: EvDcState): boolean {
  return s.phase === "slac" || s.phase === "sdp" || s.phase === "session" || s.phase === "paused";
}

/** One step of the EV DC controller. */
export function stepEvDc(s0: EvDcState, ev: EvDcEvent): [EvDcState, EvDcEffect[]] {
  const fx: EvDcEffect[] = [];
  let s: EvDcState = { ...s0, nowMs: Math.max(s0.nowMs, ev.tMs) };
  const t = ev.tMs;
  switch (ev.kind) {
    case "pp":
      s = onPp(s, ev.state, t, fx);
      break;
    case "duty":
      s = onDuty(s, ev.duty, t, fx);
      break;
    case "lock":
      s = { ...s, lockFeedback: ev.locked };
      if (!ev.locked && s.lockCmd && active(s)) s = evStop(s, "inlet lock opened", t, fx, true);
      break;
    case "inlet":
      s = {
        ...s,
        inlet: { voltageV: ev.voltageV, currentA: ev.currentA, acPresent: ev.acPresent },
        readingsDirty: true,
      };
      s = gateContactors(s, fx);
      s = maybeUnlock(s, fx);
      break;
    case "bms":
      s = { ...s, socPercent: ev.socPercent, batteryVoltageV: ev.batteryVoltageV, readingsDirty: true };
      if (s.evcc.charging && !s.stopReason && ev.socPercent >= s.cfg.targetSocPercent)
        s = evStop(s, "target SOC reached", t, fx, false);
      break;
    case "slac-frame":
      s = slac(s, { kind: "frame", frame: ev.frame, tMs: t }, fx);
      break;
    case "sdp-response":
      s = onSdpResponse(s, ev.datagram, fx);
      break;
    case "v2g-connected":
      s = evcc(s, { kind: "connected", tMs: t }, fx);
      break;
    case "v2g-message":
      s = evcc(s, { kind: "message", payloadType: ev.payloadType, bytes: ev.bytes, tMs: t }, fx);
      break;
    case "v2g-closed":
      s = evcc(s, { kind: "closed", reason: ev.reason, tMs: t }, fx);
      break;
    case "timer":
      s = onTimer(s, ev.id, t, fx);
      break;
    case "stop":
      if (active(s)) s = evStop(s, "stopped by the driver", t, fx, false);
      if (s.phase === "paused") s = maybeUnlock(setPhase(s, "ended", fx), fx);
      break;
    case "start-v2g":
      s = { ...s, v2gStart: true };
      if (s.phase === "sdp" && s.sdpTries === 0) s = sendSdp(s, t, fx);
      break;
    case "pause":
      if (s.evcc.conn === "session") s = evcc(s, { kind: "control", control: { op: "pause" }, tMs: t }, fx);
      break;
    case "resume":
      if (s.phase === "paused" && !s.stopReason) {
        s = setPhase({ ...s, sdpTries: 0 }, "sdp", fx);
        s = sendSdp(s, t, fx);
      }
      break;
    case "over-limit":
      s = { ...s, overLimit: ev.request, readingsDirty: true };
      break;
    case "board-lost":
      fx.push({ kind: "log", level: "error", msg: `board lost: ${ev.detail}` });
      if (active(s)) s = evStop(s, BOARD_LOST_STOP, t, fx, true);
      break;
    case "set-target-soc":
      s = { ...s, cfg: { ...s.cfg, targetSocPercent: ev.percent } };
      break;
  }
  return [s, fx];
}

function setPhase(s: EvDcState, phase: EvDcPhase, fx: EvDcEffect[]): EvDcState {
  if (phase === s.phase) return s;
  fx.push({ kind: "phase", phase });
  return { ...s, phase };
}

function onPp(s0: EvDcState, pp: PpState, t: number, fx: EvDcEffect[]): EvDcState {
  let s: EvDcState = { ...s0, pp };
  if (pp === s0.pp) return s;
  if (pp === "latched" && s.phase === "unplugged") {
    s = setPhase({ ...s, stopReason: null }, "plugged", fx);
    fx.push({ kind: "lock", locked: true });
    s = { ...s, lockCmd: true };
    return onDuty(s, s.duty, t, fx);
  }
  if (pp !== "latched" && active(s)) s = evStop(s, "connector unlatched (PP)", t, fx, true);
  if (pp === "unplugged") {
    const fresh = initialEvDc(s.cfg, s.socPercent, s.batteryVoltageV, t);
    s = setPhase({ ...fresh, phase: s.phase, stopReason: s.stopReason, duty: s.duty }, "unplugged", fx);
  }
  return s;
}

function onDuty(s0: EvDcState, duty: number, t: number, fx: EvDcEffect[]): EvDcState {
  let s: EvDcState = { ...s0, duty };
  const digital = dutyToCurrent(duty).kind === "digital";
  if (digital && s.phase === "plugged" && s.pp === "latched") {
    if (s.cfg.matching === "none") {
      s = setPhase(s, "sdp", fx);
      return s.v2gStart ? sendSdp(s, t, fx) : s;
    }
    s = setPhase(s, "slac", fx);
    return slac(s, { kind: "start", tMs: t }, fx);
  }
  if (!digital && s0.duty !== duty && s.evcc.charging && !s.stopReason) {
    const what = duty <= 0 ? "CP state F" : duty >= 100 ? "no PWM (X1)" : `${duty} % PWM`;
    s = { ...s, stopReason: `charger stopped the pilot (${what})` };
    fx.push({ kind: "stop", reason: s.stopReason! });
  }
  return s;
}

/** Stop: named reason; `now` opens S2 at once (physical stop signal to the EVSE). */
function evStop(s0: EvDcState, reason: string, t: number, fx: EvDcEffect[], now: boolean): EvDcState {
  let s = s0;
  if (!s.stopReason) {
    s = { ...s, stopReason: reason };
    fx.push({ kind: "stop", reason });
  }
  if (now) s = setS2(s, false, fx);
  if (s.evcc.conn === "session" || s.evcc.conn === "sap")
    s = evcc(s, { kind: "control", control: { op: "stop" }, tMs: t }, fx);
  return s;
}

function setS2(s: EvDcState, closed: boolean, fx: EvDcEffect[]): EvDcState {
  if (s.s2 === closed && s.s2PendingAtMs === null) return s;
  if (s.s2 !== closed) fx.push({ kind: "s2", closed });
  return { ...s, s2: closed, s2PendingAtMs: null };
}

function gateContactors(s: EvDcState, fx: EvDcEffect[]): EvDcState {
  if (s.contactorsWant === s.contactorsCmd) return s;
  if (!s.contactorsWant && Math.abs(s.inlet.currentA) >= EV_CONTACTOR_OPEN_MAX_A) return s;
  fx.push({ kind: "contactors", closed: s.contactorsWant });
  return { ...s, contactorsCmd: s.contactorsWant };
}

function maybeUnlock(s: EvDcState, fx: EvDcEffect[]): EvDcState {
  if (!s.lockCmd || active(s) || s.contactorsCmd || s.phase === "unplugged") return s;
  if (s.phase === "plugged") return s;
  if (Math.abs(s.inlet.voltageV) >= SAFE_VOLTAGE_V) return s;
  fx.push({ kind: "lock", locked: false });
  return { ...s, lockCmd: false };
}

function onTimer(s: EvDcState, id: string, t: number, fx: EvDcEffect[]): EvDcState {
  if (id.startsWith("slac:")) return slac(s, { kind: "timer", id: id.slice(5), tMs: t }, fx);
  if (id.startsWith("evcc:")) return evcc(s, { kind: "timer", id: id.slice(5), tMs: t }, fx);
  if (id === "ev:s2" && s.s2PendingAtMs === t) return setS2(s, true, fx);
  if (id === "ev:sdp" && s.phase === "sdp") {
    if (s.sdpTries >= SDP_MAX_REQUESTS) return fail(s, "SDP: no response", fx);
    return sendSdp(s, t, fx);
  }
  return s;
}

function fail(s0: EvDcState, reason: string, fx: EvDcEffect[]): EvDcState {
  let s = s0;
  if (!s.stopReason) {
    s = { ...s, stopReason: reason };
    fx.push({ kind: "stop", reason });
  }
  s = setS2(s, false, fx);
  s = setPhase(s, "ended", fx);
  return maybeUnlock(s, fx);
}

function sendSdp(s: EvDcState, t: number, fx: EvDcEffect[]): EvDcState {
  fx.push({
    kind: "sdp-send",
    datagram: encodeSdpRequest({
      security: s.cfg.tls ? SDP_SECURITY_TLS : SDP_SECURITY_NONE,
      transport: SDP_TRANSPORT_TCP,
    }),
  });
  fx.push({ kind: "set-timer", id: "ev:sdp", atMs: t + SDP_REQUEST_TIMEOUT_MS });
  return { ...s, sdpTries: s.sdpTries + 1 };
}

function onSdpResponse(s: EvDcState, datagram: Uint8Array, fx: EvDcEffect[]): EvDcState {
  if (s.phase !== "sdp") return s;
  try {
    const r = decodeSdpResponse(datagram);
    fx.push({ kind: "v2g-connect", address: r.address, port: r.port });
    return setPhase(s, "session", fx);
  } catch (err) {
    fx.push({ kind: "log", level: "warn", msg: `bad SDP response: ${(err as Error).message}` });
    return s;
  }
}

function slac(s: EvDcState, ev: EvSlacEvent, fx: EvDcEffect[]): EvDcState {
  const [st, sfx] = evSlacStep(s.slac, ev);
  let out: EvDcState = { ...s, slac: st };
  for (const e of sfx as SlacEffect[]) {
    const passed = forwardSlacEffect(e);
    if (passed) {
      fx.push(passed);
      continue;
    }
    switch (e.kind) {
      case "s2":
        out = setS2(out, e.closed, fx);
        break;
      case "matched":
        if (out.phase === "slac") {
          out = setPhase(out, "sdp", fx);
          if (out.v2gStart) out = sendSdp(out, ev.tMs, fx);
        }
        break;
      case "failed":
        out = fail(out, `SLAC failed: ${e.reason}`, fx);
        break;
      default:
        break;
    }
  }
  return out;
}

function evccReadings(s: EvDcState): Partial<EvccReadings> {
  const over = s.overLimit && !s.stopReason ? s.overLimit : null;
  return {
    socPercent: s.socPercent,
    batteryVoltageV: s.batteryVoltageV,
    inletVoltageV: s.inlet.voltageV,
    targetCurrentA: over ? over.currentA : s.stopReason ? 0 : bmsTargetCurrentA(s.cfg.battery, s.socPercent),
    targetVoltageV: over ? over.voltageV : s.cfg.battery.maxVoltageV,
    contactorsClosed: s.contactorsCmd,
  };
}

function evcc(s0: EvDcState, ev: EvccEvent, fx: EvDcEffect[]): EvDcState {
  let e = s0.evcc;
  if (s0.readingsDirty || ev.kind === "control") {
    [e] = stepEvcc(e, { kind: "port", readings: evccReadings(s0), tMs: ev.tMs });
  }
  const [st, efx] = stepEvcc(e, ev);
  let out: EvDcState = { ...s0, evcc: st, readingsDirty: false };
  for (const x of efx as EvccEffect[]) {
    switch (x.kind) {
      case "send":
        fx.push({ kind: "v2g-send", payloadType: x.payloadType, bytes: x.bytes, name: x.name });
        break;
      case "set-timer":
        fx.push({ kind: "set-timer", id: `evcc:${x.id}`, atMs: x.atMs });
        break;
      case "close":
        fx.push({ kind: "v2g-close", reason: x.reason });
        break;
      case "session-end": {
        const normal = x.stopReason === "terminated" || x.stopReason === "paused";
        if (!normal && !out.stopReason) {
          const preCharge = x.stopReason === "timeout" && x.detail.includes("PreCharge");
          const named = preCharge
            ? EV_STOP_PRECHARGE
            : x.stopReason === "peer-closed"
              ? "communication loss"
              : x.stopReason === "timeout"
                ? "communication timeout"
                : `V2G ${x.stopReason}`;
          out = { ...out, stopReason: `${named}: ${x.detail}` };
          fx.push({ kind: "stop", reason: out.stopReason!, ...(preCharge && { fault: true }) });
        }
        out = checkWelded(out, st, fx);
        if (x.stopReason === "paused" && !out.stopReason) {
          out = setPhase(out, "paused", fx);
          break;
        }
        out = setPhase(out, "ended", fx);
        out = maybeUnlock(out, fx);
        break;
      }
      case "port-command":
        out = portCommand(out, x.command, ev.tMs, fx);
        break;
      case "log":
        fx.push({ kind: "log", level: x.level, msg: `evcc: ${x.msg}` });
        break;
      default:
        break;
    }
  }
  return out;
}

function portCommand(
  s: EvDcState,
  c: Extract<EvccEffect, { kind: "port-command" }>["command"],
  t: number,
  fx: EvDcEffect[],
): EvDcState {
  switch (c.port) {
    case "s2":
      if (c.op === "open") return setS2(s, false, fx);
      if (s.cfg.s2CloseDelayMs > 0 && !s.s2) {
        const at = t + s.cfg.s2CloseDelayMs;
        fx.push({ kind: "set-timer", id: "ev:s2", atMs: at });
        return { ...s, s2PendingAtMs: at };
      }
      return setS2(s, true, fx);
    case "contactors": {
      if (c.op === "open") return gateContactors({ ...s, contactorsWant: false }, fx);
      const why = refuseDc(s);
      if (why) {
        const st = { ...s, stopReason: s.stopReason ?? why };
        if (!s.stopReason) fx.push({ kind: "stop", reason: why });
        fx.push({ kind: "v2g-close", reason: why });
        return evcc(st, { kind: "closed", reason: why, tMs: t }, fx);
      }
      return gateContactors({ ...s, contactorsWant: true }, fx);
    }
    case "charger":
      return s;
  }
}

/**
 * Welding detection verdict (digest §5.2 row 11): WeldingDetection ran to its request limit and the EVSE
 * still reported ≥ 60 V with our contactors commanded open ⇒ a contactor is welded. The EV stops with
 * {@link EV_STOP_WELDED} and keeps the inlet locked (it never unlocks above 60 V, see `maybeUnlock`).
 */
function checkWelded(s: EvDcState, e: EvccState, fx: EvDcEffect[]): EvDcState {
  if (e.weldingRequests < EVCC_WELDING_MAX_REQUESTS || s.contactorsWant) return s;
  if (e.evse.presentVoltageV < SAFE_VOLTAGE_V) return s;
  const detail = `${EV_STOP_WELDED}: ${e.evse.presentVoltageV.toFixed(0)} V after ${e.weldingRequests} WeldingDetection requests`;
  fx.push({ kind: "log", level: "error", msg: detail });
  if (s.stopReason === EV_STOP_WELDED) return s;
  fx.push({ kind: "stop", reason: EV_STOP_WELDED, fault: true });
  return { ...s, stopReason: s.stopReason ?? EV_STOP_WELDED };
}

/**
 * The DC decision (digest §3.3): pilot at 5 %, DC negotiated, no AC on the inlet. Returns why DC is
 * refused, or null.
 */
export function refuseDc(s: EvDcState): string | null {
  if (dutyToCurrent(s.duty).kind !== "digital") return `DC refused: pilot at ${s.duty} %, not 5 %`;
  if (!s.evcc.cfg.mode.startsWith("DC") || !s.evcc.evse.modes.some((m) => m.startsWith("DC")))
    return "DC refused: no DC energy transfer mode negotiated";
  if (s.inlet.acPresent) return "DC refused: AC present on the inlet";
  return null;
}
