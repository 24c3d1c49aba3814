/**
 * Protocol-neutral SECC behaviour, called by the DIN 70121 and ISO 15118-2 handlers, which only
 * map typed message bodies to and from these numbers. DIN SPEC 70121 §9.1 / ISO 15118-2 §8.8.3 (DC sequence),
 * ISO 15118-2 §8.8.4 (AC), the schemas' status enums, IEC 61851-23 (DC physical phases).
 */
import { CABLE_CHECK_CURRENT_LIMIT_A, cableCheckVoltage, PRECHARGE_CURRENT_LIMIT_A } from "./dc-physics.js";
import { renegotiateIfStale } from "./power-schedule.js";
import { clearTimer, type EnergyTransferMode, isAcMode, type SeccState, setTimer } from "./secc-state.js";
import { isZeroId, newSessionId, sameId } from "./session-id.js";
import type { SeccEffect } from "./types.js";

/** DC_EVSEStatusCode (DIN 70121 / ISO 15118-2 schema). */
export type DcEvseStatusCode =
  | "EVSE_NotReady"
  | "EVSE_Ready"
  | "EVSE_Shutdown"
  | "EVSE_UtilityInterruptEvent"
  | "EVSE_IsolationMonitoringActive"
  | "EVSE_EmergencyShutdown"
  | "EVSE_Malfunction";

/** The status code the EVSE truthfully is in: faults first, then a pending stop, isolation test, readiness. */
export function dcStatusCode(s: SeccState): DcEvseStatusCode {
  const f = s.readings.fault;
  if (s.emergency || f === "emergency-shutdown") return "EVSE_EmergencyShutdown";
  if (f === "malfunction") return "EVSE_Malfunction";
  if (f === "utility-interrupt") return "EVSE_UtilityInterruptEvent";
  if (f === "shutdown" || legacyNotification(s) === "StopCharging") return "EVSE_Shutdown";
  if (s.readings.isolation.state === "running") return "EVSE_IsolationMonitoringActive";
  if (s.cableCheck && !s.cableCheck.isolationStarted) return "EVSE_NotReady";
  return "EVSE_Ready";
}

/** NotificationMaxDelay (s) to announce: the configured delay while a notification is pending, else 0. */
export function notificationMaxDelay(s: SeccState): number {
  if (s.notification === "Pause") return s.cfg.pauseNotificationMaxDelayS;
  return s.notification === "None" ? 0 : s.cfg.notificationMaxDelayS;
}

/** EVSENotification of DIN 70121 / ISO 15118-2, which have no Pause (an EVSE pause is StopCharging there). */
function legacyNotification(s: SeccState): "None" | "StopCharging" | "ReNegotiation" {
  return s.notification === "Pause" ? "StopCharging" : s.notification;
}

/** DC_EVSEStatus (DIN and ISO-2 share the shape; DIN has no No_IMD, so the optional field is left out). */
export function dcEvseStatus(s: SeccState) {
  const level = s.readings.isolation.level;
  const code = dcStatusCode(s);
  const delay = notificationMaxDelay(s);
  const notification = legacyNotification(s);
  // two literals, not `{ ...status, EVSEIsolationStatus }`: a literal that starts with a spread and adds
  // keys gets a new V8 hidden class per call (testing/hidden-class.ts)
  if (level === "No_IMD" && s.protocol === "din")
    return { EVSEStatusCode: code, NotificationMaxDelay: delay, EVSENotification: notification };
  return {
    EVSEStatusCode: code,
    NotificationMaxDelay: delay,
    EVSENotification: notification,
    EVSEIsolationStatus: level,
  };
}

/** AC_EVSEStatus of ISO 15118-2. */
export function acEvseStatus(s: SeccState) {
  return {
    NotificationMaxDelay: notificationMaxDelay(s),
    EVSENotification: legacyNotification(s),
    RCD: s.readings.ac.rcdTripped,
  };
}

/**
 * SessionSetup: a new SessionID, or (ISO-2, ISO-20) the paused one when the EV presents it (OK_OldSessionJoined).
 * Clears the CommunicationSetup timer.
 */
export function onSessionSetup(
  s: SeccState,
  reqId: Uint8Array,
  fx: SeccEffect[],
): { state: SeccState; code: "OK_NewSessionEstablished" | "OK_OldSessionJoined" } {
  let st = clearTimer(s, "communication-setup", fx);
  if (st.protocol !== "din" && st.paused && !isZeroId(reqId) && sameId(reqId, st.paused.sessionId)) {
    st = { ...st, sessionId: st.paused.sessionId, paused: null };
    return { state: st, code: "OK_OldSessionJoined" };
  }
  const { id, rng } = newSessionId(st.rng, st.cfg.sessionIdLength);
  return { state: { ...st, sessionId: id, rng, paused: null }, code: "OK_NewSessionEstablished" };
}

/**
 * Payment options offered in ServiceDiscoveryRes: the configured ones, plus Contract when Plug & Charge is
 * configured and the connection is TLS (ISO 15118-2 offers Contract only on a TLS session; `pnc.withoutTls`
 * is the lab switch for the simulator, which models no TLS).
 */
export function offeredPaymentOptions(s: SeccState): ("ExternalPayment" | "Contract")[] {
  const out = [...s.cfg.paymentOptions];
  const pnc = s.cfg.pnc;
  if (s.protocol === "iso2" && pnc && (s.connTls !== null || pnc.withoutTls) && !out.includes("Contract"))
    out.push("Contract");
  return out;
}

/** PaymentSelection: the option must be offered and the charge service (ServiceID 1) selected. */
export function paymentSelectionCode(
  s: SeccState,
  option: string,
  serviceIds: readonly number[],
): "OK" | "FAILED_PaymentSelectionInvalid" | "FAILED_ServiceSelectionInvalid" {
  if (!offeredPaymentOptions(s).includes(option as "ExternalPayment"))
    return "FAILED_PaymentSelectionInvalid";
  if (!serviceIds.includes(CHARGE_SERVICE_ID)) return "FAILED_ServiceSelectionInvalid";
  return "OK";
}

/**
 * A selected ServiceID that ServiceDiscoveryRes did not offer (`offered`): the selection is invalid,
 * FAILED_ServiceSelectionInvalid (ISO 15118-2 / DIN 70121 PaymentServiceSelectionRes /
 * ServicePaymentSelectionRes ResponseCode). Null when every selected ID was offered.
 */
export function unofferedService(serviceIds: readonly number[], offered: readonly number[]): number | null {
  return serviceIds.find((id) => !offered.includes(id)) ?? null;
}

/** ServiceID of the charge service (DIN 70121 / ISO 15118-2 ServiceDiscoveryRes ChargeService: 1). */
export const CHARGE_SERVICE_ID = 1;

/** Authorization (EIM): Ongoing while the payment port is pending; FAILED when rejected. */
export function onAuthorization(s: SeccState): { processing: "Finished" | "Ongoing"; failed: boolean } {
  const a = s.readings.authorization;
  return { processing: a === "pending" ? "Ongoing" : "Finished", failed: a === "rejected" };
}

/** ChargeParameterDiscovery: the requested mode must be offered; Ongoing until the schedule is ready. */
export function onChargeParameters(
  s: SeccState,
  ev: {
    mode: EnergyTransferMode;
    maxVoltageV: number;
    maxCurrentA: number;
    maxPowerW: number;
    socPercent?: number;
  },
): { state: SeccState; processing: "Finished" | "Ongoing"; modeOk: boolean; wrongParameter: string | null } {
  const modeOk = s.cfg.energyModes.includes(ev.mode);
  const processing = s.readings.scheduleReady ? "Finished" : "Ongoing";
  const state: SeccState = {
    ...s,
    ev: { ...s.ev, ...ev, socPercent: ev.socPercent ?? s.ev.socPercent },
    renegotiating: s.powerDelivery === "renegotiate" || s.renegotiating,
  };
  return { state, processing, modeOk, wrongParameter: modeOk ? wrongChargeParameter(s, ev) : null };
}

/**
 * Tolerance of a supply's voltage around its nominal value, ±10 % (IEC 60038): an AC EV whose maximum is
 * within it of the nominal voltage (e.g. 230 V at a 240 V supply) can be served.
 */
export const AC_SUPPLY_TOLERANCE = 0.1;

/**
 * Why the EV's charge parameters cannot be served by this charger, or null: the EV's maximum voltage below
 * the charger's minimum (DC) or below the supply's nominal voltage (AC). The SECC answers such parameters with
 * the response code ISO 15118-2 and DIN SPEC 70121 define for them, FAILED_WrongChargeParameter, and ends
 * the session.
 */
export function wrongChargeParameter(
  s: SeccState,
  ev: { mode: EnergyTransferMode; maxVoltageV: number },
): string | null {
  if (isAcMode(ev.mode)) {
    const v = s.readings.ac.nominalVoltageV;
    return ev.maxVoltageV > 0 && ev.maxVoltageV < v * (1 - AC_SUPPLY_TOLERANCE)
      ? `EV maximum ${ev.maxVoltageV} V below the supply's nominal ${v} V`
      : null;
  }
  const min = s.readings.dc.minVoltageV;
  return ev.maxVoltageV < min ? `EV maximum ${ev.maxVoltageV} V below the charger's minimum ${min} V` : null;
}

/** True for CP states in which the EV asks for power (IEC 61851-1 states C and D). */
export function cpReady(s: SeccState): boolean {
  return s.cp === "C" || s.cp === "D";
}

/**
 * CableCheck (voltage per IEC 61851-23:2023 CC.4.1.2, 2 A per EVerest EvseManager): wait for CP C/D (timer
 * `cp-detect`), then close the contactors, set the cable-check voltage at 2 A and start the isolation
 * monitor; Ongoing until it reports; Fault ⇒ FAILED.
 */
export function onCableCheck(
  s: SeccState,
  tMs: number,
  fx: SeccEffect[],
): { state: SeccState; processing: "Finished" | "Ongoing"; failed: boolean } {
  let st = s;
  const cc = st.cableCheck ?? { startedAtMs: tMs, isolationStarted: false, voltageV: 0 };
  if (!cc.isolationStarted) {
    if (!cpReady(st)) {
      st = { ...st, cableCheck: cc };
      if (st.timers["cp-detect"] === undefined)
        st = setTimer(st, "cp-detect", tMs + st.cfg.cpStateDetectionTimeoutMs, fx);
      return { state: st, processing: "Ongoing", failed: false };
    }
    st = clearTimer(st, "cp-detect", fx);
    const v = cableCheckVoltage(st.ev.maxVoltageV || st.readings.dc.maxVoltageV, st.readings.dc.maxVoltageV);
    fx.push({ kind: "port-command", command: { port: "contactors", op: "close" } });
    fx.push({
      kind: "port-command",
      command: { port: "power-stage", op: "set", voltageV: v, currentA: CABLE_CHECK_CURRENT_LIMIT_A },
    });
    fx.push({ kind: "port-command", command: { port: "isolation", op: "start", voltageV: v } });
    st = {
      ...st,
      cableCheck: { startedAtMs: cc.startedAtMs, isolationStarted: true, voltageV: v },
      contactors: "closed",
      readings: { ...st.readings, isolation: { state: "running", level: "Invalid" } },
    };
    return { state: st, processing: "Ongoing", failed: false };
  }
  if (st.readings.isolation.state !== "done") return { state: st, processing: "Ongoing", failed: false };
  fx.push({ kind: "port-command", command: { port: "power-stage", op: "off" } });
  return { state: st, processing: "Finished", failed: st.readings.isolation.level === "Fault" };
}

/**
 * PreCharge: regulate to the EV's target voltage with at most 2 A (EVerest EvseManager's cable-check limit).
 */
export function onPreCharge(s: SeccState, targetV: number, targetI: number, fx: SeccEffect[]): SeccState {
  const v = Math.min(targetV, s.readings.dc.maxVoltageV);
  const i = Math.min(Math.max(targetI, 0), PRECHARGE_CURRENT_LIMIT_A);
  fx.push({ kind: "port-command", command: { port: "power-stage", op: "set", voltageV: v, currentA: i } });
  return { ...s, ev: { ...s.ev, targetVoltageV: targetV, targetCurrentA: targetI } };
}

/**
 * PowerDelivery (DIN 70121 / ISO 15118-2 DC and AC sequences): start (DC: current flows with CurrentDemand;
 * AC: close the contactors once CP is C/D), stop (DC: ramp to 0 A and keep the contactors for
 * WeldingDetection; AC: open), renegotiate (ISO-2: back to ChargeParameterDiscovery). A pending notification
 * is answered by stop/renegotiate.
 */
export function onPowerDelivery(
  s: SeccState,
  progress: "start" | "stop" | "renegotiate",
  ac: boolean,
  fx: SeccEffect[],
): SeccState {
  let st: SeccState = {
    ...s,
    powerDelivery: progress,
    renegotiating: progress === "start" ? false : s.renegotiating,
  };
  if (progress === "start") {
    if (ac && cpReady(st) && st.contactors === "open") {
      fx.push({ kind: "port-command", command: { port: "contactors", op: "close" } });
      st = { ...st, contactors: "closed" };
    }
    // a backend schedule that came after the EV's schedule was sent: renegotiate from the loop's start
    return renegotiateIfStale(st, fx);
  }
  st = clearTimer({ ...st, notification: "None" }, "notification", fx);
  if (progress === "stop") {
    if (ac) {
      fx.push({ kind: "port-command", command: { port: "contactors", op: "open" } });
      st = { ...st, contactors: "open" };
    } else fx.push({ kind: "port-command", command: { port: "power-stage", op: "off" } });
  }
  return st;
}

/**
 * CurrentDemand outcome: what the stage was told and which EVSE limits bind (DIN 70121 / ISO 15118-2
 * CurrentDemandRes).
 */
export interface CurrentDemandOutcome {
  state: SeccState;
  voltageLimitAchieved: boolean;
  currentLimitAchieved: boolean;
  powerLimitAchieved: boolean;
}

/**
 * CurrentDemand: clamp the EV's targets to the EVSE limits and command the power stage. A negative target
 * current is a discharge (ISO 15118-20 BPT): clamped to the EVSE's discharge current and power, never beyond.
 */
export function onCurrentDemand(
  s: SeccState,
  req: {
    targetVoltageV: number;
    targetCurrentA: number;
    socPercent: number;
    maxVoltageV?: number;
    maxCurrentA?: number;
    maxPowerW?: number;
  },
  fx: SeccEffect[],
): CurrentDemandOutcome {
  const dc = s.readings.dc;
  const v = Math.min(req.targetVoltageV, dc.maxVoltageV);
  const discharge = req.targetCurrentA < 0;
  const iPowerCap = (discharge ? dc.maxDischargePowerW : dc.maxPowerW) / Math.max(v, 1);
  const iMax = discharge ? dc.maxDischargeCurrentA : dc.maxCurrentA;
  const want = Math.abs(req.targetCurrentA);
  const i = Math.max(0, Math.min(want, iMax, iPowerCap)) * (discharge ? -1 : 1);
  fx.push({ kind: "port-command", command: { port: "power-stage", op: "set", voltageV: v, currentA: i } });
  const ev = {
    ...s.ev,
    targetVoltageV: req.targetVoltageV,
    targetCurrentA: req.targetCurrentA,
    socPercent: req.socPercent,
    maxVoltageV: req.maxVoltageV ?? s.ev.maxVoltageV,
    maxCurrentA: req.maxCurrentA ?? s.ev.maxCurrentA,
    maxPowerW: req.maxPowerW ?? s.ev.maxPowerW,
  };
  return {
    state: { ...s, ev },
    voltageLimitAchieved: req.targetVoltageV > dc.maxVoltageV,
    currentLimitAchieved: want > iMax,
    powerLimitAchieved: want > iPowerCap && iPowerCap < iMax,
  };
}

/**
 * SessionStop: remember the session for a later OK_OldSessionJoined when paused (ISO-2, ISO-20); the caller
 * ends the session (power off, contactors open, close) after sending the response.
 */
export function onSessionStop(
  s: SeccState,
  pause: boolean,
): { state: SeccState; reason: "terminated" | "paused" } {
  const keep =
    pause && s.protocol && s.protocol !== "din" && s.sessionId
      ? { sessionId: s.sessionId, protocol: s.protocol, ...(s.iso20 && { iso20: s.iso20 }) }
      : null;
  return { state: { ...s, paused: keep }, reason: keep ? "paused" : "terminated" };
}
