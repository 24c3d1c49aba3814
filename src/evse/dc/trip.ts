/**
 * Safety helpers of the EVSE DC controller: carrying out the supervisor's effects (`applySafety`), the two
 * halves of a trip around the end of the V2G session (`tripSupervisor`, `tripPilot`; the whole trip is
 * `trip` in secc-glue.ts, since it also drives the SECC), and the reset for the next EV. Pure code: each
 * takes the state and returns the new one, pushing effects to `fx`.
 */
import { DUTY_F } from "../../pilot/index.js";
import { createSecc } from "../../v2g/index.js";
import {
  SAFETY_STOP_REASONS,
  type SafetyEffect,
  type SafetyFault,
  safetyReset,
  safetyTrip,
} from "../safety/index.js";
import { deEnergise } from "./interlock.js";
import { type EvseDcState, evseLive, setDuty, setPhase } from "./state.js";
import { EVSE_TRIP_F_HOLD_MS, type EvseDcEffect } from "./types.js";

/**
 * Ready for the next EV after a session: clear a trip (`safetyReset`; latching faults only with `operator`),
 * a fresh SECC, no stop reason. Only with nothing energised.
 */
export function resetAfterTrip(s: EvseDcState, operator: boolean, fx: EvseDcEffect[]): EvseDcState {
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

/**
 * First half of a trip (the supervisor must not be tripped yet): the supervisor trips, the `trip` effect
 * names the fault, the stop reason is kept (the first one wins), the charge-loop watchdog is dropped.
 */
export function tripSupervisor(
  s0: EvseDcState,
  fault: SafetyFault,
  detail: string,
  t: number,
  fx: EvseDcEffect[],
): EvseDcState {
  const [safety, sfx] = safetyTrip(s0.safety, fault, detail, t);
  const reason = SAFETY_STOP_REASONS[fault];
  fx.push({ kind: "trip", fault, reason, detail });
  return applySafety({ ...s0, safety, stopReason: s0.stopReason ?? reason, watchdogAtMs: null }, sfx, fx);
}

/** Last half of a trip: F on the pilot (unless the pilot is lost), held for a while, and the phase ends. */
export function tripPilot(s0: EvseDcState, fault: SafetyFault, t: number, fx: EvseDcEffect[]): EvseDcState {
  let s = s0;
  if (fault !== "cp-lost" && s.cp !== "A") {
    s = setDuty(s, DUTY_F, fx);
    fx.push({ kind: "set-timer", id: "evse:f-hold", atMs: t + EVSE_TRIP_F_HOLD_MS });
  }
  return { ...s, phase: setPhase(s, "ended", fx) };
}

/**
 * Carry out the supervisor's effects: output off (the power module; with AC pins the relay is the output),
 * contactor or relay commands (opening de-energises the pins).
 */
export function applySafety(s0: EvseDcState, sfx: SafetyEffect[], fx: EvseDcEffect[]): EvseDcState {
  let s = s0;
  for (const e of sfx) {
    if (e.kind === "output-off") {
      // AC pins: there is no power module; the output goes off with the relay, which the supervisor opens
      // in this same step (it breaks under load after a trip).
      if (s.cfg.pins !== "ac") fx.push({ kind: "module", op: "off", emergency: true });
      s = { ...s, moduleOn: false };
    } else if (e.kind === "contactors") {
      fx.push({ kind: "contactors", closed: e.closed });
      if (!e.closed) s = { ...s, interlock: deEnergise(s.interlock) };
    } else fx.push(e);
  }
  return s;
}
