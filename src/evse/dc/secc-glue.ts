/**
 * The SECC inside the EVSE DC controller: each SECC event is stepped and its effects carried out — V2G
 * sends and closes, `secc:`-namespaced timers, the end of the session, and the port commands to the power
 * module, the isolation monitor and the contactors (through the AC/DC interlock and the safety supervisor),
 * with the limit flags of the charge loop. A trip also lives here: it ends the V2G session with
 * EVSE_EmergencyShutdown, and the SECC's own ends and the interlock can trip. Pure code.
 */
import { isAcMode, type SeccEffect, type SeccEvent, type SeccReadings, stepSecc } from "../../v2g/index.js";
import { type SafetyFault, safetyContactors } from "../safety/index.js";
import { energise } from "./interlock.js";
import { limitedModule } from "./power-limit.js";
import { clampSetPoint } from "./power-module.js";
import { type EvseDcState, setPhase } from "./state.js";
import { applySafety, tripPilot, tripSupervisor } from "./trip.js";
import type { EvseDcEffect, EvseMeasurements } from "./types.js";

/** Trip the supervisor; also ends the V2G session (EVSE_EmergencyShutdown) and shows F on the pilot. */
export function trip(
  s0: EvseDcState,
  fault: SafetyFault,
  detail: string,
  t: number,
  fx: EvseDcEffect[],
): EvseDcState {
  if (s0.safety.trip) return s0;
  let s = tripSupervisor(s0, fault, detail, t, fx);
  if (s.secc.conn === "session" || s.secc.conn === "sap")
    s = secc(s, { kind: "control", control: { op: "emergency-stop" }, tMs: t }, fx);
  return tripPilot(s, fault, t, fx);
}

const SECC_END_FAULT: Readonly<Partial<Record<string, SafetyFault>>> = {
  timeout: "comm-timeout",
  "peer-closed": "connection-lost",
  "decode-error": "malformed-message",
  "cp-state": "cp-lost",
};

/**
 * Refusals: the SECC answered with a FAILED code before anything was energised — an EIM authorisation
 * rejected, or an ISO 15118-2 Plug & Charge contract or certificate refused. They end the session with a
 * named stop reason (and the response code), not a safety trip.
 */
export const REFUSAL_STOP_REASONS: Readonly<Partial<Record<string, string>>> = {
  "authorization-rejected": "authorization rejected",
  "contract-invalid": "contract rejected",
  "contract-expired": "contract expired",
  "contract-revoked": "contract revoked",
  "challenge-invalid": "challenge invalid",
  "signature-invalid": "authorization signature invalid",
  "metering-signature-invalid": "metering receipt signature invalid",
  "certificate-installation-refused": "contract installation refused",
  "certificate-update-refused": "contract update refused",
};

/** What the SECC reads from the output measurements. */
function measReadings(meas: EvseMeasurements): Partial<SeccReadings> {
  return {
    presentVoltageV: meas.voltageV,
    presentCurrentA: meas.currentA,
    // the SECC's meter counts both ways: charged = net + discharged (ISO 15118-20 MeterInfo)
    energyWh: meas.energyWh + (meas.dischargedWh ?? 0),
    dischargedWh: meas.dischargedWh ?? 0,
    isolation: meas.isolation,
    contactorsClosed: meas.contactorsClosed,
  };
}

/** Step the SECC with one event (after the measurements it has not seen yet, if any) and carry out its effects. */
export function secc(s: EvseDcState, ev: SeccEvent, fx: EvseDcEffect[]): EvseDcState {
  let sfx: SeccEffect[] = [];
  let st = s.secc;
  if (s.measPending) [st, sfx] = stepSecc(st, { kind: "port", readings: measReadings(s.meas), tMs: ev.tMs });
  const [next, efx] = stepSecc(st, ev);
  st = next;
  if (sfx.length > 0) efx.unshift(...sfx);
  let out: EvseDcState = { ...s, secc: st, measPending: false };
  for (const e of efx as SeccEffect[]) {
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
        else if (REFUSAL_STOP_REASONS[e.stopReason] && !out.safety.trip && !out.safety.contactorsCmd) {
          const code = /FAILED_\w+/.exec(e.detail)?.[0];
          const reason = `${REFUSAL_STOP_REASONS[e.stopReason]}${code ? ` (${code})` : ""}`;
          out = { ...out, stopReason: out.stopReason ?? reason, phase: setPhase(out, "ended", fx) };
        } else if (!out.safety.trip && e.stopReason !== "emergency") {
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
 * ISO 15118-2 / DIN 70121 CurrentDemand: a request above the EVSE maximum is clamped to
 * it and answered with EVSECurrent/VoltageLimitAchieved = true — never refused, never exceeded.
 */
function noteLimits(s: EvseDcState, wantA: number, fx: EvseDcEffect[]): EvseDcState {
  const dc = s.secc.readings.dc;
  const m = limitedModule(s);
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

/** Carry out one port command of the SECC (exported for the controller's tests). */
export function portCommand(
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
      if (c.currentA < 0) {
        // discharge set point (ISO 15118-20 BPT): within the module's discharge current and power ratings
        const m = limitedModule(s);
        const v = Math.max(s.meas.voltageV, m.minVoltageV);
        const i = Math.min(-c.currentA, m.maxDischargeCurrentA, m.maxDischargePowerW / v);
        fx.push({ kind: "module", op: "set", voltageV: Math.min(c.voltageV, m.maxVoltageV), currentA: -i });
        return { ...s, moduleOn: true };
      }
      {
        // In the charge loop the SECC caps the current by power at the EV's *target* voltage; the module
        // can do better at the voltage actually present, so re-derive the cap from the EV's request.
        const loop = s.secc.powerDelivery === "start";
        const want = loop ? Math.max(c.currentA, s.secc.ev.targetCurrentA) : c.currentA;
        const m = limitedModule(s);
        const vCap = loop ? Math.max(s.meas.voltageV, m.minVoltageV) : c.voltageV;
        const sp = clampSetPoint(m, c.voltageV, want);
        if (loop) sp.currentA = Math.min(want, m.maxCurrentA, m.maxPowerW / vCap);
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
        const r = energise(s.interlock, isAcMode(s.secc.ev.mode) ? "ac" : "dc");
        if (!r.ok) return trip(s, "interlock", r.reason, s.nowMs, fx);
        const [safety, sfx] = safetyContactors(s.safety, true);
        return applySafety({ ...s, interlock: r.state, safety }, sfx, fx);
      }
      const [safety, sfx] = safetyContactors(s.safety, false);
      return applySafety({ ...s, safety }, sfx, fx);
    }
  }
}
