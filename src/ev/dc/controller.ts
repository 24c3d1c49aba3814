/**
 * EV DC controller as a pure step function `stepEvDc(state, event) → [state, effects]`: the
 * EVCC plus BMS glue, the EV SLAC machine, the SDP client, the inlet lock and the DC contactors.
 *
 * - Plug-in (PP latched) locks the inlet; 5 % on the pilot starts SLAC, then SDP (retry every
 *   SDP_REQUEST_TIMEOUT_MS, at most SDP_MAX_REQUESTS), then the V2G session (EVCC).
 * - AC/DC decision (SAE J3400, per an SAE J3400-2023 overview page; clause unconfirmed): the DC contactors
 *   close only when the pilot shows 5 %, the negotiated energy transfer mode is DC, and the inlet measurement
 *   shows no AC — never from IP alone.
 * - Lock opened or PP unlatched during a session: S2 opens at once (the EVSE sees C→B and switches off),
 *   the EVCC stops; named stop reason.
 * - The EV contactors open only below {@link EV_CONTACTOR_OPEN_MAX_A}; the inlet unlocks only below 60 V
 *   (EVerest EvseManager `CABLECHECK_SAFE_VOLTAGE`) once the session is over.
 * - Optional "delayed S2 closure" for legacy chargers (SAE J3400 overview page; unconfirmed).
 *
 * The state and its small helpers are in state.ts, the EVCC glue (port commands, DC decision, welding
 * verdict) in evcc-glue.ts.
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
  dischargeDone,
  dischargingNow,
  type EvccReadings,
  encodeSdpRequest,
  SDP_MAX_REQUESTS,
  SDP_REQUEST_TIMEOUT_MS,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_TRANSPORT_TCP,
} from "../../v2g/index.js";
import { OBC_DEFAULT_MAX_CURRENT_A } from "../obc.js";
import { bmsTargetCurrentA, type DcBatteryConfig } from "./battery.js";
import { evcc } from "./evcc-glue.js";
import {
  active,
  type EvDcState,
  gateContactors,
  maybeUnlock,
  setCharger,
  setPhase,
  setS2,
  watchInletAfterSession,
} from "./state.js";
import {
  BOARD_LOST_STOP,
  DC_CURRENT_DEMAND_INTERVAL_MS,
  EV_STOP_MIN_SOC,
  type EvDcConfig,
  type EvDcEffect,
  type EvDcEvent,
} from "./types.js";

export { refuseDc } from "./evcc-glue.js";
export type { EvDcState } from "./state.js";

/** On-board charger by default: 48 A (the J3400 AC connector rating: Tesla's AC connector datasheet), 6 A minimum, 250 V. */
export const EV_DEFAULT_OBC: EvDcConfig["obc"] = Object.freeze({
  maxCurrentA: OBC_DEFAULT_MAX_CURRENT_A,
  minCurrentA: 6,
  maxVoltageV: 250,
});

/** Minimum SOC of a bidirectional EV (%): it gives no energy back below it. Design choice (D). */
export const EV_DEFAULT_MIN_SOC_PERCENT = 30;

/** Complete a partial configuration (DC, 80 % target, 30 % minimum, SLAC, no TLS). */
export function evDcConfig(partial: Partial<EvDcConfig> & Pick<EvDcConfig, "battery" | "slac">): EvDcConfig {
  return {
    energy: "dc",
    obc: EV_DEFAULT_OBC,
    evcc: {},
    targetSocPercent: 80,
    minSocPercent: EV_DEFAULT_MIN_SOC_PERCENT,
    discharge: false,
    s2CloseDelayMs: 0,
    currentDemandIntervalMs: DC_CURRENT_DEMAND_INTERVAL_MS,
    autoStartV2g: true,
    matching: "slac",
    tls: false,
    ...partial,
  };
}

function staticReadings(b: DcBatteryConfig, obc: EvDcConfig["obc"]): Partial<EvccReadings> {
  return {
    acMaxCurrentA: obc.maxCurrentA,
    acMinCurrentA: obc.minCurrentA,
    acMaxVoltageV: obc.maxVoltageV,
    maxVoltageV: b.maxVoltageV,
    maxCurrentA: b.maxCurrentA,
    maxPowerW: b.maxPowerW,
    capacityWh: b.capacityWh,
    targetVoltageV: b.maxVoltageV,
    bulkSocPercent: b.bulkSocPercent,
    fullSocPercent: b.fullSocPercent,
    // a bidirectional pack gives back what it takes
    maxDischargeCurrentA: b.maxCurrentA,
    maxDischargePowerW: b.maxPowerW,
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
      // EVCCID: the MAC of the EV's PLC interface (ISO 15118-2 [V2G2-879], DIN SPEC 70121 §9.4.1.3.2).
      evccId: Uint8Array.from(cfg.slac.mac),
      ...cfg.evcc,
      mode: cfg.energy === "ac" ? "AC_single_phase_core" : "DC_extended",
      pacing: { ...DEFAULT_EVCC_PACING, ...cfg.evcc.pacing, loopMs: cfg.currentDemandIntervalMs },
      readings: {
        ...createEvcc().readings,
        // what the configuration says beyond the battery and OBC (e.g. a bidirectional EV's minimum SOC)
        ...cfg.evcc.readings,
        ...staticReadings(cfg.battery, cfg.obc),
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
    chargerA: 0,
    s2: false,
    s2PendingAtMs: null,
    pluggedAtMs: null,
    stopReason: null,
    readingsDirty: false,
    v2gStart: cfg.autoStartV2g,
    overLimit: null,
    inletLiveSinceMs: null,
  };
}

/** One step of the EV DC controller. */
export function stepEvDc(s0: EvDcState, ev: EvDcEvent): [EvDcState, EvDcEffect[]] {
  const fx: EvDcEffect[] = [];
  const t = ev.tMs;
  const nowMs = Math.max(s0.nowMs, t);
  if (ev.kind === "inlet") {
    // the most frequent event (the board reads the inlet about ten times a second): one copy of the state
    const inlet = { voltageV: ev.voltageV, currentA: ev.currentA, acPresent: ev.acPresent };
    let s: EvDcState = { ...s0, nowMs, inlet, readingsDirty: true };
    s = gateContactors(s, fx);
    s = maybeUnlock(s, fx);
    return [watchInletAfterSession(s, t, fx), fx];
  }
  let s: EvDcState = { ...s0, nowMs };
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
    case "bms":
      s = { ...s, socPercent: ev.socPercent, batteryVoltageV: ev.batteryVoltageV, readingsDirty: true };
      if (s.evcc.charging && !s.stopReason) {
        // ISO 15118-20 BPT: a discharging EV gives energy back down to its minimum SOC
        if (dischargingNow(s.evcc)) {
          if (dischargeDone(ev.socPercent, s.cfg.minSocPercent, s.cfg.battery.capacityWh))
            s = evStop(s, EV_STOP_MIN_SOC, t, fx, false);
        } else if (ev.socPercent >= s.cfg.targetSocPercent) s = evStop(s, "target SOC reached", t, fx, false);
      }
      break;
    case "slac-frame":
      s = slac(s, { kind: "frame", frame: ev.frame, tMs: t }, fx);
      break;
    case "sdp-response":
      s = onSdpResponse(s, ev.datagram, fx);
      break;
    case "modem-link":
      if (s.cfg.matching === "slac") s = slac(s, { kind: "modem", ev: "link", up: ev.up, tMs: t }, fx);
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
    case "discharge":
      // the BMS asks for discharge, or no longer (ISO 15118-20 BPT): the EVCC reads it with the next readings
      s = { ...s, cfg: { ...s.cfg, discharge: ev.requested }, readingsDirty: true };
      break;
    case "departure": {
      // kept in the configuration too, so that the EVCC of a later plug-in has it
      const { departureAtMs: _old, ...rest } = s.cfg.evcc;
      const evccCfg = ev.atMs === null ? rest : { ...rest, departureAtMs: ev.atMs };
      s = { ...s, cfg: { ...s.cfg, evcc: evccCfg } };
      s = evcc(s, { kind: "control", control: { op: "departure", atMs: ev.atMs }, tMs: t }, fx);
      break;
    }
    case "bidirectional":
      s = { ...s, cfg: { ...s.cfg, evcc: { ...s.cfg.evcc, bidirectional: ev.on } } };
      s = evcc(s, { kind: "control", control: { op: "bidirectional", on: ev.on }, tMs: t }, fx);
      break;
  }
  return [s, fx];
}

function onPp(s0: EvDcState, pp: PpState, t: number, fx: EvDcEffect[]): EvDcState {
  let s: EvDcState = { ...s0, pp };
  if (pp === s0.pp) return s;
  if (pp === "latched" && s.phase === "unplugged") {
    s = setPhase({ ...s, stopReason: null, pluggedAtMs: t, readingsDirty: true }, "plugged", fx);
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
  // AC: the on-board charger stops drawing first, so no relay or contact breaks the load (IEC 61851-1
  // A.3: the EV reduces its current before it leaves state C).
  s = setCharger(s, 0, fx);
  if (now) s = setS2(s, false, fx);
  if (s.evcc.conn === "session" || s.evcc.conn === "sap")
    s = evcc(s, { kind: "control", control: { op: "stop" }, tMs: t }, fx);
  return s;
}

function onTimer(s: EvDcState, id: string, t: number, fx: EvDcEffect[]): EvDcState {
  if (id.startsWith("slac:")) return slac(s, { kind: "timer", id: id.slice(5), tMs: t }, fx);
  if (id.startsWith("evcc:")) return evcc(s, { kind: "timer", id: id.slice(5), tMs: t }, fx);
  if (id === "ev:s2" && s.s2PendingAtMs === t) return setS2(s, true, fx);
  if (id === "ev:sdp" && s.phase === "sdp") {
    // TEST-ONLY defect no-sdp-retry (v2g/session/evcc-defects.ts): one SDP request only
    const most = s.cfg.evcc.defect === "no-sdp-retry" ? 1 : SDP_MAX_REQUESTS;
    if (s.sdpTries >= most) return fail(s, "SDP: no response", fx);
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
  s = setCharger(setS2(s, false, fx), 0, fx);
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
      case "set-key":
        fx.push({ kind: "slac-set-key", nmk: e.nmk, nid: e.nid });
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
