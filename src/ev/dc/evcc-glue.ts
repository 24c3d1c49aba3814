/**
 * The EVCC inside the EV DC controller: the BMS readings it is given, each EVCC event stepped and its
 * effects carried out — V2G sends and closes, `evcc:`-namespaced timers, the end of the session (named stop
 * reasons, the welding verdict), and the port commands to S2 and the contactors, the latter only after the
 * DC decision ({@link refuseDc}). Pure code.
 */
import { dutyToCurrent } from "../../pilot/index.js";
import {
  EVCC_WELDING_MAX_REQUESTS,
  type EvccEffect,
  type EvccEvent,
  type EvccReadings,
  type EvccState,
  requestedDcCurrentA,
  SAFE_VOLTAGE_V,
  stepEvcc,
} from "../../v2g/index.js";
import { bmsTargetCurrentA } from "./battery.js";
import {
  type EvDcState,
  gateContactors,
  maybeUnlock,
  s2ReadyAtMs,
  setCharger,
  setPhase,
  setS2,
} from "./state.js";
import { EV_STOP_PRECHARGE, EV_STOP_WELDED, type EvDcEffect } from "./types.js";

function evccReadings(s: EvDcState): Partial<EvccReadings> {
  const over = s.overLimit && !s.stopReason ? s.overLimit : null;
  return {
    socPercent: s.socPercent,
    batteryVoltageV: s.batteryVoltageV,
    inletVoltageV: s.inlet.voltageV,
    // Never more than the charger declared (DIN 70121 / ISO 15118-2 EVSEMaximumCurrentLimit, power limit).
    targetCurrentA: over
      ? over.currentA
      : s.stopReason
        ? 0
        : requestedDcCurrentA(s.evcc, bmsTargetCurrentA(s.cfg.battery, s.socPercent)),
    targetVoltageV: over ? over.voltageV : s.cfg.battery.maxVoltageV,
    contactorsClosed: s.contactorsCmd,
    s2ReadyAtMs: s2ReadyAtMs(s),
    dischargeRequested: s.cfg.discharge,
    minSocPercent: s.cfg.minSocPercent,
  };
}

/** Step the EVCC with one event (after fresh readings, if any) and carry out its effects. */
export function evcc(s0: EvDcState, ev: EvccEvent, fx: EvDcEffect[]): EvDcState {
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
        fx.push({
          kind: "log",
          level: normal ? "info" : "warn",
          msg: `V2G session end: ${x.stopReason}: ${x.detail}`,
        });
        if (!normal && !out.stopReason) {
          const preCharge = x.stopReason === "timeout" && x.detail.includes("PreCharge");
          const named = preCharge
            ? EV_STOP_PRECHARGE
            : x.stopReason === "incompatible"
              ? null
              : x.stopReason === "peer-closed"
                ? "communication loss"
                : x.stopReason === "certificate-rejected"
                  ? "contract certificate rejected"
                  : x.stopReason === "timeout"
                    ? "communication timeout"
                    : `V2G ${x.stopReason}`;
          // An incompatible charger: the detail is the named reason (e.g. "charger limits: …").
          out = { ...out, stopReason: named ? `${named}: ${x.detail}` : x.detail };
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
      if (!s.s2 && s2ReadyAtMs(s) > t) {
        const at = s2ReadyAtMs(s);
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
      // The on-board charger never draws (nor feeds back, BPT) once the EV has stopped; only on AC (refuseAc).
      if (c.currentA !== 0 && (s.stopReason || refuseAc(s))) {
        const why = s.stopReason ? null : refuseAc(s);
        if (why) fx.push({ kind: "log", level: "warn", msg: why });
        return setCharger(s, 0, fx);
      }
      return setCharger(s, Math.max(-s.cfg.obc.maxCurrentA, Math.min(c.currentA, s.cfg.obc.maxCurrentA)), fx);
  }
}

/**
 * Welding detection verdict (DIN 70121 / ISO 15118-2 WeldingDetection; 60 V safe voltage): WeldingDetection
 * ran to its request limit and the EVSE still reported ≥ 60 V with our contactors commanded open ⇒ a
 * contactor is welded. The EV stops with {@link EV_STOP_WELDED} and keeps the inlet locked (it never unlocks
 * above 60 V, see `maybeUnlock`).
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
 * The DC decision (SAE J3400: IP communication alone may not decide AC vs DC; clause unconfirmed): pilot at
 * 5 %, DC negotiated, no AC on the inlet. Returns why DC is refused, or null.
 */
export function refuseDc(s: EvDcState): string | null {
  if (dutyToCurrent(s.duty).kind !== "digital") return `DC refused: pilot at ${s.duty} %, not 5 %`;
  if (!s.evcc.mode.startsWith("DC") || !s.evcc.evse.modes.some((m) => m.startsWith("DC")))
    return "DC refused: no DC energy transfer mode negotiated";
  if (s.inlet.acPresent) return "DC refused: AC present on the inlet";
  return null;
}

/**
 * The AC decision, the mirror of {@link refuseDc}: the on-board charger draws only with the pilot at 5 %
 * (high-level communication, ISO 15118-3 §7) and an AC energy transfer mode negotiated. Returns why AC is
 * refused, or null. (Whether AC is actually on the inlet is the charger's own input check.)
 */
export function refuseAc(s: EvDcState): string | null {
  if (dutyToCurrent(s.duty).kind !== "digital") return `AC refused: pilot at ${s.duty} %, not 5 %`;
  if (!s.evcc.mode.startsWith("AC")) return "AC refused: no AC energy transfer mode negotiated";
  return null;
}
