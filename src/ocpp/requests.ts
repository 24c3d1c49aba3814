/**
 * What the station does with each CALL from the CSMS (OCPP 2.0.1 Part 2): RequestStartTransaction (F01 /
 * F02), RequestStopTransaction (F03), SetChargingProfile (K01), ClearChargingProfile (K10), TriggerMessage
 * (F06), GetVariables / SetVariables (B06 / B05), Reset (B11 / B12), CertificateSigned (A03, answered once the
 * host verified the chain: certificates.ts). Every other request is answered in the same step (a `reply`
 * effect). Pure code.
 */
import { onCertificateSigned, triggerSignV2g } from "./certificates.js";
import { profileProblem } from "./profiles.js";
import {
  applyLimit,
  enqueue,
  isoTime,
  type StationState,
  sendStatus,
  sendTxEvent,
  startTx,
  txContext,
} from "./station-state.js";
import type { ChargingProfile, IdToken, StationEffect } from "./types.js";
import { getVariables, setVariables } from "./variables.js";

/** The CSMS-initiated messages this station implements (others are answered NotImplemented by the port). */
export const STATION_ACTIONS = [
  "RequestStartTransaction",
  "RequestStopTransaction",
  "SetChargingProfile",
  "ClearChargingProfile",
  "TriggerMessage",
  "GetVariables",
  "SetVariables",
  "Reset",
  "CertificateSigned",
] as const;

type Payload = Record<string, unknown>;

/** The session's stop reason after an accepted RequestStopTransaction (our text; OCPP: Remote). */
export const REMOTE_STOP_REASON = "remote stop (CSMS RequestStopTransaction)";

/** Handle one CSMS request (schema-valid: the port validated it). */
export function onRequest(
  s: StationState,
  reqId: string,
  action: string,
  p: Payload,
  fx: StationEffect[],
): StationState {
  const reply = (payload: Payload) => fx.push({ kind: "reply", reqId, payload });
  switch (action) {
    case "RequestStopTransaction":
      return requestStop(s, String(p.transactionId), reply, fx);
    case "RequestStartTransaction":
      return requestStart(s, p, reply, fx);
    case "SetChargingProfile":
      return setProfile(s, Number(p.evseId), p.chargingProfile as ChargingProfile, reply, fx);
    case "ClearChargingProfile":
      return clearProfiles(s, p, reply, fx);
    case "TriggerMessage":
      return trigger(s, String(p.requestedMessage), reply, fx);
    case "GetVariables":
      reply(getVariables(s, p));
      return s;
    case "SetVariables": {
      const [s1, r] = setVariables(s, p);
      reply(r);
      return s1;
    }
    case "CertificateSigned":
      return onCertificateSigned(s, reqId, p, reply, fx);
    case "Reset":
      return reset(
        s,
        p.type === "Immediate" ? "Immediate" : "OnIdle",
        p.evseId as number | undefined,
        reply,
        fx,
      );
    default:
      // the port registers only STATION_ACTIONS; anything else is a bug of the caller
      reply({ status: "Rejected", statusInfo: { reasonCode: "UnknownAction" } });
      fx.push({ kind: "log", level: "warn", msg: `request ${action}: not implemented` });
      return s;
  }
}

/**
 * F03 / F04: stop the running transaction the CSMS names; over ISO 15118 / DIN 70121 the EVSE asks the EV to
 * stop (EVSENotification StopCharging) and the EV ends its charge loop.
 */
function requestStop(s: StationState, id: string, reply: (p: Payload) => void, fx: StationEffect[]) {
  if (!s.tx || s.tx.transactionId !== id) {
    reply({
      status: "Rejected",
      statusInfo: { reasonCode: "TxNotFound", additionalInfo: `no transaction ${id}` },
    });
    return s;
  }
  reply({ status: "Accepted" });
  fx.push({ kind: "evse", command: { kind: "stop-charging", reason: REMOTE_STOP_REASON } });
  fx.push({ kind: "log", level: "info", msg: `RequestStopTransaction ${id}: stopping` });
  return { ...s, tx: { ...s.tx, remoteStop: true } };
}

/**
 * F01 / F02: a remote start authorises the waiting transaction (cable plugged first), or starts one that
 * the plug-in then joins; a TxProfile in the request is installed for it (K05).
 */
function requestStart(s0: StationState, p: Payload, reply: (p: Payload) => void, fx: StationEffect[]) {
  const idToken = p.idToken as IdToken;
  const remoteStartId = Number(p.remoteStartId);
  if (p.evseId !== undefined && p.evseId !== s0.cfg.evseId) {
    reply({ status: "Rejected", statusInfo: { reasonCode: "UnknownEvse" } });
    return s0;
  }
  if (s0.tx?.authorized) {
    reply({
      status: "Rejected",
      transactionId: s0.tx.transactionId,
      statusInfo: { reasonCode: "TxInProgress" },
    });
    return s0;
  }
  let s = s0;
  if (s.tx) {
    const tx = { ...s.tx, idToken, authorized: true, remoteStartId };
    s = sendTxEvent({ ...s, tx }, tx, "Updated", "RemoteStart", { idToken }, fx)[0];
  } else s = startTx(s, "RemoteStart", "Idle", { idToken, remoteStartId }, fx);
  const tx = s.tx!;
  // the port sends replies before the CALLs queued in the same step (the response, then the event)
  reply({ status: "Accepted", transactionId: tx.transactionId });
  fx.push({ kind: "evse", command: { kind: "authorization", result: "accepted" } });
  const profile = p.chargingProfile as ChargingProfile | undefined;
  if (profile && profile.chargingProfilePurpose === "TxProfile") {
    const problem = profileProblem(s.cfg.evseId, profile, s.cfg.evseId, txContext(s));
    if (problem)
      fx.push({ kind: "log", level: "warn", msg: `RequestStartTransaction profile: ${problem.text}` });
    else s = install(s, s.cfg.evseId, { ...profile, transactionId: tx.transactionId }, fx);
  }
  return s;
}

function install(s: StationState, evseId: number, profile: ChargingProfile, fx: StationEffect[]) {
  // a profile with the same id replaces the installed one (K01)
  const kept = s.profiles.filter((x) => x.profile.id !== profile.id);
  return applyLimit({ ...s, profiles: [...kept, { evseId, receivedMs: s.nowMs, profile }] }, fx);
}

/** K01: install the profile if it fits this station, and give the EVSE the new composite limit. */
function setProfile(
  s: StationState,
  evseId: number,
  profile: ChargingProfile,
  reply: (p: Payload) => void,
  fx: StationEffect[],
) {
  const problem = profileProblem(evseId, profile, s.cfg.evseId, txContext(s));
  if (problem) {
    reply({
      status: "Rejected",
      statusInfo: { reasonCode: problem.reasonCode, additionalInfo: problem.text },
    });
    fx.push({
      kind: "log",
      level: "warn",
      msg: `SetChargingProfile ${profile.id} rejected: ${problem.text}`,
    });
    return s;
  }
  reply({ status: "Accepted" });
  return install(s, evseId, profile, fx);
}

/** K10: remove by id, or by the criteria (evseId, purpose, stackLevel); Unknown when nothing matched. */
function clearProfiles(s: StationState, p: Payload, reply: (p: Payload) => void, fx: StationEffect[]) {
  const id = p.chargingProfileId as number | undefined;
  const c = (p.chargingProfileCriteria ?? {}) as {
    evseId?: number;
    chargingProfilePurpose?: string;
    stackLevel?: number;
  };
  const match = (x: StationState["profiles"][number]) =>
    id !== undefined
      ? x.profile.id === id
      : (c.evseId === undefined || x.evseId === c.evseId) &&
        (c.chargingProfilePurpose === undefined ||
          x.profile.chargingProfilePurpose === c.chargingProfilePurpose) &&
        (c.stackLevel === undefined || x.profile.stackLevel === c.stackLevel);
  const kept = s.profiles.filter((x) => !match(x));
  if (kept.length === s.profiles.length) {
    reply({ status: "Unknown" });
    return s;
  }
  reply({ status: "Accepted" });
  return applyLimit({ ...s, profiles: kept }, fx);
}

/** F06: send the requested message now (after the reply). */
function trigger(s: StationState, what: string, reply: (p: Payload) => void, fx: StationEffect[]) {
  switch (what) {
    case "Heartbeat":
      reply({ status: "Accepted" });
      return enqueue(s, "Heartbeat", {}, fx)[0];
    case "StatusNotification":
      reply({ status: "Accepted" });
      return sendStatus(s, fx);
    case "MeterValues":
      reply({ status: "Accepted" });
      return enqueue(
        s,
        "MeterValues",
        {
          evseId: s.cfg.evseId,
          meterValue: [
            {
              timestamp: isoTime(s.nowMs),
              sampledValue: [
                {
                  value: Math.round(s.meter.energyWh * 1000) / 1000,
                  context: "Trigger",
                  measurand: "Energy.Active.Import.Register",
                  unitOfMeasure: { unit: "Wh" },
                },
              ],
            },
          ],
        },
        fx,
      )[0];
    case "SignV2GCertificate":
      return triggerSignV2g(s, reply, fx);
    case "TransactionEvent":
      if (!s.tx) {
        reply({ status: "Rejected", statusInfo: { reasonCode: "TxNotFound" } });
        return s;
      }
      reply({ status: "Accepted" });
      return sendTxEvent(s, s.tx, "Updated", "Trigger", { meterContext: "Trigger" }, fx)[0];
    default:
      reply({ status: "NotImplemented" });
      return s;
  }
}

/** The session's stop reason after an accepted Reset Immediate during a transaction (our text). */
export const RESET_STOP_REASON = "reset (CSMS Reset Immediate)";

/**
 * B11 / B12: without a transaction the station reboots now (a new BootNotification, reason RemoteReset);
 * with one, Immediate stops it first (stoppedReason ImmediateReset) and OnIdle waits for its end
 * (Scheduled). A reset of one EVSE is not supported (Rejected).
 */
function reset(
  s: StationState,
  type: "Immediate" | "OnIdle",
  evseId: number | undefined,
  reply: (p: Payload) => void,
  fx: StationEffect[],
): StationState {
  if (evseId !== undefined) {
    reply({
      status: "Rejected",
      statusInfo: { reasonCode: "UnsupportedRequest", additionalInfo: "EVSE reset" },
    });
    return s;
  }
  if (!s.tx) {
    reply({ status: "Accepted" });
    return reboot(s, fx);
  }
  if (type === "OnIdle") {
    reply({ status: "Scheduled" });
    return { ...s, resetPending: true };
  }
  reply({ status: "Accepted" });
  fx.push({ kind: "evse", command: { kind: "stop-charging", reason: RESET_STOP_REASON } });
  return { ...s, resetPending: true, tx: { ...s.tx, resetStop: true } };
}

/** The station starts again: registered anew (B01, reason RemoteReset); profiles and queued events kept. */
export function reboot(s: StationState, fx: StationEffect[]): StationState {
  fx.push({ kind: "log", level: "info", msg: "reset: booting again" });
  return enqueue(
    { ...s, registration: "none", resetPending: false },
    "BootNotification",
    { chargingStation: s.cfg.chargingStation, reason: "RemoteReset" },
    fx,
    { first: true },
  )[0];
}
