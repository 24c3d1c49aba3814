/**
 * The OCPP 1.6J charge point as a pure step machine: `stepStation16(state, event) → [state, effects]`, the
 * same events and effects as the 2.0.1 machine. Core profile: BootNotification (OCPP 1.6 §4.2), Heartbeat
 * (§4.6), StatusNotification of connector 1 (§4.9), Authorize (§4.1), StartTransaction (§4.8) with the
 * CSMS's transactionId, MeterValues during the transaction (§4.7), StopTransaction (§4.10) with meterStop,
 * the reason and transactionData; the CSMS's requests in requests.ts (§5). Transaction-related calls stay
 * queued across a connection loss (§3.7 / OCPP-J §4.1.1).
 */

import {
  failCertificateCall,
  failEvCertificate,
  onEvCertificateRequest,
  onEvCertificateResult,
  PNC16_VENDOR_ID,
  unwrapDataTransfer,
} from "../ev-certificate.js";
import { dropRefusedCall, goOffline, isoTime } from "../station-state.js";
import { ocpp16StopReason } from "../stop-reasons.js";
import type {
  ChargingState,
  IdToken,
  OcspRequestData,
  StationEffect,
  StationEvent,
  StopCause,
} from "../types.js";
import { onRequest16, reboot16 } from "./requests.js";
import { restoreCalls16 } from "./restore.js";
import {
  applyLimit16,
  enqueue16,
  meterValue16,
  pump16,
  type StationState16,
  type StationTx16,
  sendMeterValues16,
  setStatus16,
  startTx16,
} from "./state.js";
import type { ChargePointStatus16, ErrorCode16 } from "./types.js";

export { createStation16, type StationState16, type StationTx16 } from "./state.js";

/** One step of the charge point. */
export function stepStation16(s0: StationState16, ev: StationEvent): [StationState16, StationEffect[]] {
  const fx: StationEffect[] = [];
  let s: StationState16 = { ...s0, nowMs: Math.max(s0.nowMs, ev.tMs) };
  switch (ev.kind) {
    case "connected":
      s = onConnected(s, fx);
      break;
    case "disconnected":
      s = goOffline(failEvCertificate(s, `connection lost (${ev.reason})`, fx), ev.reason, fx);
      break;
    case "result":
      s = onResult(s, ev.id, ev.payload, fx);
      break;
    case "call-error":
      s = onCallError(s, ev.id, ev.code, ev.message, fx);
      break;
    case "request":
      s = onRequest16(s, ev.reqId, ev.action, ev.payload, fx);
      break;
    case "tick":
      s = onTick(s, fx);
      break;
    case "plugged":
      s = { ...s, plugged: true };
      s = s.authorizedTag !== null ? startTx16(s, s.authorizedTag, fx) : setStatus16(s, "Preparing", fx);
      break;
    case "unplugged":
      s = { ...s, plugged: false };
      if (s.tx) s = endTx16(s, { kind: "unplugged" }, fx);
      s = setStatus16({ ...s, authorizedTag: null }, "Available", fx);
      break;
    case "meter":
      s = { ...s, meter: ev.reading };
      break;
    case "charging":
      if (s.tx) s = setStatus16(s, chargingStatus(ev.state, s.tx), fx);
      if (s.tx && ev.state === "Charging" && !s.tx.charged) s = { ...s, tx: { ...s.tx, charged: true } };
      break;
    case "id-token":
      s = onIdToken(s, ev.idToken, fx, ev.hashData);
      break;
    case "session-end":
      if (s.tx) s = endTx16(s, ev.cause, fx);
      break;
    case "restored":
      s = restoreCalls16(s, ev.calls, ev.txIds ?? {}, fx);
      break;
    case "ev-certificate-request":
      s = onEvCertificateRequest(s, ev, fx, "1.6", (st, action, payload) =>
        enqueue16(st, action, payload, fx, { first: true }),
      );
      break;
  }
  return [s, fx];
}

/** §7.7: the status of a charging state during a transaction (not yet charged: still Preparing). */
function chargingStatus(state: ChargingState, tx: StationTx16): ChargePointStatus16 {
  switch (state) {
    case "Charging":
      return "Charging";
    case "SuspendedEV":
      return "SuspendedEV";
    case "SuspendedEVSE":
      return "SuspendedEVSE";
    default:
      return tx.charged ? "SuspendedEV" : "Preparing";
  }
}

/** §4.2: BootNotification.req (the 2.0.1 ChargingStationType fields under their 1.6 names). */
export function bootPayload16(s: StationState16): Record<string, unknown> {
  const c = s.cfg.chargingStation;
  return {
    chargePointVendor: c.vendorName,
    chargePointModel: c.model,
    ...(c.serialNumber !== undefined && { chargePointSerialNumber: c.serialNumber }),
    ...(c.firmwareVersion !== undefined && { firmwareVersion: c.firmwareVersion }),
  };
}

function onConnected(s0: StationState16, fx: StationEffect[]): StationState16 {
  const s: StationState16 = { ...s0, online: true };
  fx.push({ kind: "log", level: "info", msg: "CSMS connected" });
  if (s.registration !== "Accepted") {
    if (!s.outbox.some((c) => c.action === "BootNotification"))
      return enqueue16(s, "BootNotification", bootPayload16(s), fx, { first: true })[0];
    return s;
  }
  // after a reconnection: the connector's status again (§4.9), unless one waits already; then what waited
  const s1 = pump16(s, fx);
  return s1.outbox.some((c) => c.action === "StatusNotification")
    ? s1
    : setStatus16(s1, s1.status, fx, s1.errorCode, true);
}

function onResult(
  s0: StationState16,
  id: string,
  p: Record<string, unknown>,
  fx: StationEffect[],
): StationState16 {
  const head = s0.outbox[0];
  if (!head || head.id !== id) {
    fx.push({ kind: "log", level: "warn", msg: `result for ${id}: not the call in flight` });
    return s0;
  }
  let s: StationState16 = { ...s0, outbox: s0.outbox.slice(1), inFlight: null };
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
        // §4.9: the connector's status once registered
        if (!s.outbox.some((c) => c.action === "StatusNotification"))
          s = setStatus16(s, s.status, fx, s.errorCode, true);
      } else {
        const retryS = Math.max(interval, s.cfg.bootRetryS);
        s = { ...s, bootRetryAtMs: s.nowMs + retryS * 1000 };
        fx.push({ kind: "log", level: "warn", msg: `BootNotification ${status}: again in ${retryS} s` });
      }
      break;
    }
    case "Authorize":
      s = onAuthorized(s, id, head.action, p, fx);
      break;
    case "DataTransfer":
      s = onAuthorized(s, id, head.action, p, fx);
      s = onEvCertificateResult(s, id, unwrapDataTransfer(p), fx);
      break;
    case "StartTransaction": {
      const txId = Number(p.transactionId);
      const local = head.txLocal ?? 0;
      s = { ...s, txIds: { ...s.txIds, [local]: txId } };
      if (s.tx?.local === local) s = { ...s, tx: { ...s.tx, transactionId: txId } };
      const status = (p.idTagInfo as { status?: string } | undefined)?.status;
      fx.push({ kind: "log", level: "info", msg: `StartTransaction: transactionId ${txId} (${status})` });
      if (status !== "Accepted" && s.tx?.local === local) {
        // §4.8: an idTag not Accepted: the charge point stops the energy transfer (StopTransaction DeAuthorized)
        fx.push({
          kind: "evse",
          command: { kind: "stop-charging", reason: `idTag ${status} (StartTransaction)` },
        });
        s = endTx16(s, { kind: "evse", reason: "deauthorized" }, fx, "DeAuthorized");
      }
      s = applyLimit16(s, fx);
      break;
    }
    default:
      break;
  }
  return pump16(s, fx);
}

/** A CALLERROR (or a failed send): dropped after a warning; a BootNotification is tried again later. */
function onCallError(
  s0: StationState16,
  id: string,
  code: string,
  message: string,
  fx: StationEffect[],
): StationState16 {
  const s = dropRefusedCall(failCertificateCall(s0, id, `${code} ${message}`, fx), id, code, message, fx);
  return s === s0 ? s0 : pump16(s, fx);
}

/** Boot retries, heartbeats (§4.6), MeterValues every MeterValueSampleInterval (§4.7), schedule periods. */
function onTick(s0: StationState16, fx: StationEffect[]): StationState16 {
  let s = s0;
  if (s.bootRetryAtMs !== null && s.nowMs >= s.bootRetryAtMs && s.online) {
    s = { ...s, bootRetryAtMs: null };
    if (!s.outbox.some((c) => c.action === "BootNotification"))
      s = enqueue16(s, "BootNotification", bootPayload16(s), fx, { first: true })[0];
  }
  const tx = s.tx;
  const every = s.cfg.txUpdatedIntervalS * 1000;
  if (tx && every > 0 && s.nowMs - tx.lastSampleMs >= every) s = sendMeterValues16(s, "Sample.Periodic", fx);
  if (
    s.online &&
    s.registration === "Accepted" &&
    s.inFlight === null &&
    s.outbox.length === 0 &&
    s.nowMs - s.lastSendMs >= s.heartbeatIntervalS * 1000
  )
    s = enqueue16(s, "Heartbeat", {}, fx)[0];
  return applyLimit16(s, fx);
}

/** §4.1: the driver's idTag (IdToken, CiString20) is authorised before the transaction starts. */
/**
 * §4.1 Authorize.req with the idTag; an ISO 15118 contract (eMAID with the OCSP hash data of its chain) goes
 * as the 2.0.1 AuthorizeRequest in a DataTransfer (Open Charge Alliance, "Using ISO 15118 Plug & Charge with
 * OCPP 1.6"), its answer the 2.0.1 AuthorizeResponse in the DataTransfer.conf data.
 */
function onIdToken(
  s: StationState16,
  idToken: IdToken,
  fx: StationEffect[],
  hashData?: readonly OcspRequestData[],
): StationState16 {
  if (s.tx || s.authorizing || s.authorizedTag !== null) return s;
  const [s1, callId] =
    idToken.type === "eMAID"
      ? enqueue16(
          s,
          "DataTransfer",
          {
            vendorId: PNC16_VENDOR_ID,
            messageId: "Authorize",
            data: JSON.stringify({
              idToken,
              ...(hashData?.length && { iso15118CertificateHashData: hashData }),
            }),
          },
          fx,
          { first: true },
        )
      : enqueue16(s, "Authorize", { idTag: idToken.idToken.slice(0, 20) }, fx, { first: true });
  return { ...s1, authorizing: { callId, idToken } };
}

/** The idTagInfo of an answer to Authorize, or to the PnC Authorize in a DataTransfer (refused: Invalid). */
function idTagInfoOf(action: string, p: Record<string, unknown>): { status: string } {
  if (action !== "DataTransfer") return p.idTagInfo as { status: string };
  const inner = unwrapDataTransfer(p);
  const info =
    typeof inner === "string" ? undefined : (inner.idTokenInfo as { status?: unknown } | undefined);
  return { status: typeof info?.status === "string" ? info.status : "Invalid" };
}

function onAuthorized(
  s0: StationState16,
  id: string,
  action: string,
  p: Record<string, unknown>,
  fx: StationEffect[],
): StationState16 {
  const pending = s0.authorizing;
  if (!pending || pending.callId !== id) return s0;
  const s: StationState16 = { ...s0, authorizing: null };
  const status = idTagInfoOf(action, p).status;
  const ok = status === "Accepted";
  fx.push({ kind: "evse", command: { kind: "authorization", result: ok ? "accepted" : "rejected" } });
  fx.push({
    kind: "log",
    level: ok ? "info" : "warn",
    msg: `Authorize ${pending.idToken.idToken}: ${status}`,
  });
  if (!ok) return s;
  const tag = pending.idToken.idToken.slice(0, 20);
  return s.plugged && !s.tx ? startTx16(s, tag, fx) : { ...s, authorizedTag: tag };
}

/** The StatusNotification errorCode of a safety trip (§7.6 ChargePointErrorCode). */
const TRIP_ERRORS: Readonly<Record<string, ErrorCode16>> = {
  "emergency-stop": "OtherError",
  isolation: "GroundFailure",
  "over-current": "OverCurrentFailure",
  "over-voltage": "OverVoltage",
  "comm-loss": "EVCommunicationError",
  "comm-timeout": "EVCommunicationError",
  "connection-lost": "EVCommunicationError",
  "board-lost": "InternalError",
};

/** The errorCode a trip is reported with (Faulted), or null when it is no fault of the charge point. */
export function tripErrorCode16(fault: string): ErrorCode16 | null {
  if (fault === "cp-lost" || fault === "pp-unlatched" || fault === "ev-stop-cp") return null;
  return TRIP_ERRORS[fault] ?? "OtherError";
}

/**
 * §4.10: StopTransaction.req with meterStop (the EVSE meter, Wh), the mapped reason and transactionData
 * (the Begin and End samples); then Finishing (plugged), Faulted (a trip) or Available. TxProfiles end
 * with their transaction (§3.13.1).
 */
export function endTx16(
  s0: StationState16,
  cause: StopCause,
  fx: StationEffect[],
  forced?: "DeAuthorized",
): StationState16 {
  const tx = s0.tx!;
  const reason =
    forced ??
    (tx.resetStop === "Hard"
      ? "HardReset"
      : tx.resetStop === "Soft"
        ? "SoftReset"
        : ocpp16StopReason(cause, tx.remoteStop));
  const end = meterValue16(s0.meter, "Transaction.End", s0.nowMs);
  let s: StationState16 = enqueue16(
    s0,
    "StopTransaction",
    {
      meterStop: Math.round(s0.meter.energyWh),
      timestamp: isoTime(s0.nowMs),
      idTag: tx.idTag,
      reason,
      transactionData: [tx.beginSample, end],
    },
    fx,
    { txRelated: true, txLocal: tx.local },
  )[0];
  fx.push({
    kind: "log",
    level: "info",
    msg: `transaction ${tx.transactionId ?? tx.local} ended: ${reason}`,
  });
  const errorCode = cause.kind === "trip" ? tripErrorCode16(cause.fault) : null;
  const profiles = s.profiles.filter((x) => x.profile.chargingProfilePurpose !== "TxProfile");
  s = { ...s, tx: null, profiles };
  if (errorCode) s = setStatus16(s, "Faulted", fx, errorCode);
  else s = setStatus16(s, s.plugged ? "Finishing" : "Available", fx);
  s = applyLimit16(s, fx);
  return s.resetPending ? reboot16(s, fx) : s;
}
