/**
 * The OCPP 2.0.1 charging station as a pure step machine: `stepStation(state, event) → [state, effects]`.
 * Boot and registration (B01–B03), heartbeat (G02), connector status (G01), local authorisation (C01), the
 * transaction of the one EVSE with its TransactionEvents and meter values (E01–E07, E11, J02), remote
 * start and stop (F01–F04), smart charging (K01, K08, K10), device model variables (B05, B06), reset (B11,
 * B12), the SECC's V2G certificate: renewal (A02 / A03) and OCSP status (M06, certificates.ts). The transport is a port: `send` effects go to the CSMS and come back as `result` / `call-error`;
 * CSMS requests come in as `request` and leave as `reply`.
 */

import {
  certTick,
  onCertCallGone,
  onCertResult,
  onChainChecked,
  onCsr,
  onCsrFailed,
  onSeccCertificate,
} from "./certificates.js";
import {
  failCertificateCall,
  failEvCertificate,
  onEvCertificateRequest,
  onEvCertificateResult,
} from "./ev-certificate.js";
import { onRequest, reboot } from "./requests.js";
import { restoreCalls } from "./restore.js";
import {
  applyLimit,
  dropRefusedCall,
  enqueue,
  goOffline,
  pump,
  type StationState,
  sendStatus,
  sendTxEvent,
  startTx,
} from "./station-state.js";
import { ocppStopReason } from "./stop-reasons.js";
import type { IdToken, OcspRequestData, StationEffect, StationEvent, StopCause } from "./types.js";

export { createStation, type StationState, type StationTx } from "./station-state.js";

/** One step of the station. */
export function stepStation(s0: StationState, ev: StationEvent): [StationState, StationEffect[]] {
  const fx: StationEffect[] = [];
  let s: StationState = { ...s0, nowMs: Math.max(s0.nowMs, ev.tMs) };
  switch (ev.kind) {
    case "connected":
      s = onConnected(s, fx);
      break;
    case "disconnected":
      s = onCertCallGone(
        goOffline(failEvCertificate(s, `connection lost (${ev.reason})`, fx), ev.reason, fx),
        null,
        fx,
      );
      break;
    case "result":
      s = onResult(s, ev.id, ev.payload, fx);
      break;
    case "call-error":
      s = onCallError(s, ev.id, ev.code, ev.message, fx);
      break;
    case "request":
      s = onRequest(s, ev.reqId, ev.action, ev.payload, fx);
      break;
    case "tick":
      s = onTick(s, fx);
      break;
    case "plugged":
      s = onPlugged(s, fx);
      break;
    case "unplugged":
      s = sendStatus({ ...s, plugged: false, connector: "Available" }, fx);
      if (s.tx) s = endTx(s, { kind: "unplugged" }, fx);
      break;
    case "meter":
      s = { ...s, meter: ev.reading };
      break;
    case "charging":
      if (s.tx && s.tx.chargingState !== ev.state) {
        const tx = { ...s.tx, chargingState: ev.state };
        s = sendTxEvent({ ...s, tx }, tx, "Updated", "ChargingStateChanged", {}, fx)[0];
      }
      break;
    case "id-token":
      s = onIdToken(s, ev.idToken, fx, ev.hashData);
      break;
    case "session-end":
      if (s.tx) s = endTx(s, ev.cause, fx);
      break;
    case "ev-certificate-request":
      s = onEvCertificateRequest(s, ev, fx, "2.0.1", (st, action, payload) =>
        enqueue(st, action, payload, fx, { first: true }),
      );
      break;
    case "restored":
      s = restoreCalls(s, ev.calls, fx);
      break;
    case "secc-certificate":
      s = onSeccCertificate(s, ev.info, fx);
      break;
    case "csr":
      s = onCsr(s, ev.csr, fx);
      break;
    case "csr-failed":
      s = onCsrFailed(s, ev.error, fx);
      break;
    case "chain-checked":
      s = onChainChecked(s, ev, fx);
      break;
  }
  return [s, fx];
}

function bootPayload(s: StationState, reason: string): Record<string, unknown> {
  return { chargingStation: s.cfg.chargingStation, reason };
}

/** B01: the first thing on a connection is the BootNotification, until the CSMS accepted one. */
function onConnected(s0: StationState, fx: StationEffect[]): StationState {
  let s: StationState = { ...s0, online: true };
  fx.push({ kind: "log", level: "info", msg: "CSMS connected" });
  if (s.registration !== "Accepted") {
    if (!s.outbox.some((c) => c.action === "BootNotification"))
      s = enqueue(s, "BootNotification", bootPayload(s, "PowerUp"), fx, { first: true })[0];
    return s;
  }
  // after a reconnection: the connector's status again (G01), then what waited (E11)
  return sendStatus(s, fx);
}

function onResult(
  s0: StationState,
  id: string,
  p: Record<string, unknown>,
  fx: StationEffect[],
): StationState {
  const head = s0.outbox[0];
  if (!head || head.id !== id) {
    fx.push({ kind: "log", level: "warn", msg: `result for ${id}: not the call in flight` });
    return s0;
  }
  let s: StationState = { ...s0, outbox: s0.outbox.slice(1), inFlight: null };
  switch (head.action) {
    case "BootNotification": {
      const status = p.status as "Accepted" | "Pending" | "Rejected";
      const interval = Number(p.interval);
      s = { ...s, registration: status };
      if (status === "Accepted") {
        s = { ...s, bootRetryAtMs: null, heartbeatIntervalS: interval > 0 ? interval : s.heartbeatIntervalS };
        fx.push({
          kind: "log",
          level: "info",
          msg: `BootNotification accepted; heartbeat ${s.heartbeatIntervalS} s`,
        });
        // B01: the status of every connector once registered
        if (!s.outbox.some((c) => c.action === "StatusNotification")) s = sendStatus(s, fx);
        // M06: the SECC leaf's OCSP status at start-up
        s = certTick(s, fx);
      } else {
        const retryS = Math.max(interval, s.cfg.bootRetryS);
        s = { ...s, bootRetryAtMs: s.nowMs + retryS * 1000 };
        fx.push({ kind: "log", level: "warn", msg: `BootNotification ${status}: again in ${retryS} s` });
      }
      break;
    }
    case "Authorize":
      s = onAuthorized(s, id, p, fx);
      break;
    case "Get15118EVCertificate":
      s = onEvCertificateResult(s, id, p, fx);
      break;
    case "TransactionEvent": {
      const info = p.idTokenInfo as { status?: string } | undefined;
      if (info?.status !== undefined && info.status !== "Accepted")
        fx.push({ kind: "log", level: "warn", msg: `TransactionEvent: idTokenInfo ${info.status}` });
      break;
    }
    default:
      s = onCertResult(s, head.action, id, p, fx) ?? s;
      break;
  }
  return pump(s, fx);
}

/**
 * A CALLERROR (or a failed send). A TransactionEvent the CSMS refused is dropped after a warning (sending
 * it again would be refused again; E13 allows a bounded retry, not done yet); a BootNotification is
 * retried after `bootRetryS`.
 */
function onCallError(
  s0: StationState,
  id: string,
  code: string,
  message: string,
  fx: StationEffect[],
): StationState {
  const s = dropRefusedCall(failCertificateCall(s0, id, `${code} ${message}`, fx), id, code, message, fx);
  return s === s0 ? s0 : pump(onCertCallGone(s, id, fx), fx);
}

/** Boot retries, heartbeats (G02), periodic meter values (J02), schedule periods (K08). */
function onTick(s0: StationState, fx: StationEffect[]): StationState {
  let s = s0;
  if (s.bootRetryAtMs !== null && s.nowMs >= s.bootRetryAtMs && s.online) {
    s = { ...s, bootRetryAtMs: null };
    if (!s.outbox.some((c) => c.action === "BootNotification"))
      s = enqueue(s, "BootNotification", bootPayload(s, "PowerUp"), fx, { first: true })[0];
  }
  const tx = s.tx;
  const every = s.cfg.txUpdatedIntervalS * 1000;
  if (tx && every > 0 && s.nowMs - tx.lastSampleMs >= every)
    s = sendTxEvent(s, tx, "Updated", "MeterValuePeriodic", { meterContext: "Sample.Periodic" }, fx)[0];
  if (
    s.online &&
    s.registration === "Accepted" &&
    s.inFlight === null &&
    s.outbox.length === 0 &&
    s.nowMs - s.lastSendMs >= s.heartbeatIntervalS * 1000
  )
    s = enqueue(s, "Heartbeat", {}, fx)[0];
  return applyLimit(certTick(s, fx), fx);
}

/** E02: cable plugged in first starts the transaction (or joins the remotely started one, F02). */
function onPlugged(s0: StationState, fx: StationEffect[]): StationState {
  let s = sendStatus({ ...s0, plugged: true, connector: "Occupied" }, fx);
  if (s.tx) {
    const tx = { ...s.tx, chargingState: "EVConnected" as const };
    s = sendTxEvent({ ...s, tx }, tx, "Updated", "CablePluggedIn", {}, fx)[0];
  } else s = startTx(s, "CablePluggedIn", "EVConnected", {}, fx);
  return applyLimit(s, fx);
}

/**
 * C01 / C08: the driver's token (RFID: external identification means for ISO 15118) is authorised with the
 * CSMS before the EVSE lets the EV charge.
 */
function onIdToken(
  s: StationState,
  idToken: IdToken,
  fx: StationEffect[],
  hashData?: readonly OcspRequestData[],
): StationState {
  if (s.tx?.authorized || s.authorizing) return s;
  if (!s.online) return onIdTokenOffline(s, idToken, fx);
  // the driver and the EV wait on this one: ahead of the queued events
  const payload = { idToken, ...(hashData?.length && { iso15118CertificateHashData: hashData }) };
  const [s1, callId] = enqueue(s, "Authorize", payload, fx, { first: true });
  return { ...s1, authorizing: { callId, idToken } };
}

/**
 * C15: the CSMS is unreachable and the token is unknown (no local list nor cache): accepted only with
 * OfflineTxForUnknownIdEnabled; the Authorized TransactionEvent then waits in the queue (marked offline).
 */
function onIdTokenOffline(s: StationState, idToken: IdToken, fx: StationEffect[]): StationState {
  const ok = s.cfg.offlineTxForUnknownIdEnabled === true;
  fx.push({ kind: "evse", command: { kind: "authorization", result: ok ? "accepted" : "rejected" } });
  fx.push({
    kind: "log",
    level: ok ? "info" : "warn",
    msg: `${idToken.idToken} presented offline: ${ok ? "accepted locally" : "rejected"} (OfflineTxForUnknownIdEnabled ${ok})`,
  });
  if (!ok || !s.tx || s.tx.authorized) return s;
  const tx = { ...s.tx, idToken, authorized: true };
  return sendTxEvent({ ...s, tx }, tx, "Updated", "Authorized", { idToken }, fx)[0];
}

function onAuthorized(
  s0: StationState,
  id: string,
  p: Record<string, unknown>,
  fx: StationEffect[],
): StationState {
  const pending = s0.authorizing;
  if (!pending || pending.callId !== id) return s0;
  let s: StationState = { ...s0, authorizing: null };
  const status = (p.idTokenInfo as { status: string }).status;
  const ok = status === "Accepted";
  fx.push({ kind: "evse", command: { kind: "authorization", result: ok ? "accepted" : "rejected" } });
  fx.push({
    kind: "log",
    level: ok ? "info" : "warn",
    msg: `Authorize ${pending.idToken.idToken}: ${status}`,
  });
  if (ok && s.tx && !s.tx.authorized) {
    const tx = { ...s.tx, idToken: pending.idToken, authorized: true };
    s = sendTxEvent({ ...s, tx }, tx, "Updated", "Authorized", { idToken: pending.idToken }, fx)[0];
  }
  return s;
}

/** E06 / F03: the Ended event with the final meter reading and the mapped stop reason. */
function endTx(s0: StationState, cause: StopCause, fx: StationEffect[]): StationState {
  const tx0 = s0.tx!;
  const { stoppedReason, triggerReason } = tx0.resetStop
    ? { stoppedReason: "ImmediateReset" as const, triggerReason: "ResetCommand" as const }
    : ocppStopReason(cause, tx0.remoteStop);
  const tx = { ...tx0, chargingState: s0.plugged ? ("EVConnected" as const) : ("Idle" as const) };
  const [s1] = sendTxEvent(
    { ...s0, tx },
    tx,
    "Ended",
    triggerReason,
    { meterContext: "Transaction.End", stoppedReason },
    fx,
  );
  fx.push({
    kind: "log",
    level: "info",
    msg: `transaction ${tx.transactionId} ended: ${stoppedReason} (${triggerReason})`,
  });
  // TxProfiles end with their transaction (K01)
  const profiles = s1.profiles.filter((x) => x.profile.chargingProfilePurpose !== "TxProfile");
  const s2 = applyLimit({ ...s1, tx: null, profiles }, fx);
  return s2.resetPending ? reboot(s2, fx) : s2;
}
