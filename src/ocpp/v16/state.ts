/**
 * State of the OCPP 1.6J charge-point machine and the helpers its step functions share: the outbox (one
 * CALL in flight, OCPP-J 1.6 §4.1.1 synchronicity; the 2.0.1 helpers, typed for both), the CSMS's
 * transactionId filled into the calls of a transaction when they are sent, meter values (the 2.0.1
 * sampled values in the 1.6 shape: value a string, unit a string), StatusNotification, and the composite
 * limit of the installed profiles (the 2.0.1 arithmetic). Pure code.
 */
import { compositeLimitW } from "../profiles.js";
import {
  enqueue as enqueueAny,
  isoTime,
  pump as pumpAny,
  type ScheduleKey,
  sampledValues,
  setLimit,
  setSchedule,
} from "../station-state.js";
import type { IdToken, InstalledProfile, MeterReading, OcppCall, StationEffect } from "../types.js";
import type { ChargePointStatus16, ErrorCode16, StationConfig16 } from "./types.js";

/** The transaction of connector 1 (OCPP 1.6 §3.7 transaction-related messages). */
export interface StationTx16 {
  /** The station's own number of the transaction (1, 2, …). */
  local: number;
  /** StartTransaction.conf transactionId; null until it came. */
  transactionId: number | null;
  idTag: string;
  /** Always true: a 1.6 transaction starts only with an authorised idTag (§4.8). */
  authorized: true;
  startedMs: number;
  meterStartWh: number;
  /** The Transaction.Begin sample (sent again in StopTransaction transactionData). */
  beginSample: Record<string, unknown>;
  charged: boolean;
  remoteStop: boolean;
  /** A Reset stopped it (§5.14): the reason is HardReset / SoftReset. */
  resetStop: "Hard" | "Soft" | null;
  lastSampleMs: number;
}

/** The whole charge-point state. */
export interface StationState16 {
  readonly cfg: StationConfig16;
  readonly nowMs: number;
  readonly online: boolean;
  readonly registration: "none" | "Accepted" | "Pending" | "Rejected";
  readonly bootRetryAtMs: number | null;
  readonly heartbeatIntervalS: number;
  readonly lastSendMs: number;
  readonly nextCallNo: number;
  readonly txCount: number;
  readonly outbox: readonly OcppCall[];
  readonly inFlight: string | null;
  readonly status: ChargePointStatus16;
  readonly errorCode: ErrorCode16;
  readonly plugged: boolean;
  readonly meter: MeterReading;
  readonly tx: StationTx16 | null;
  /** CSMS transactionIds by the station's numbers (kept for calls still queued after the end). */
  readonly txIds: Readonly<Record<number, number>>;
  /** An idTag accepted (Authorize, or RemoteStartTransaction) waiting for the plug-in to start. */
  readonly authorizedTag: string | null;
  /** A TxProfile of RemoteStartTransaction waiting for the transaction (§5.11). */
  readonly pendingTxProfile: InstalledProfile | null;
  readonly authorizing: { callId: string; idToken: IdToken } | null;
  readonly profiles: readonly InstalledProfile[];
  readonly limitW: number | null;
  /** What the composite schedule last given to the EVSE was made of (the 2.0.1 K15 mapping). */
  readonly scheduleOf: ScheduleKey | null;
  readonly resetPending: "Hard" | "Soft" | null;
  /** The DataTransfer carrying Get15118EVCertificate waiting for its answer, and the SECC's request id. */
  readonly evCertificate: { callId: string; id: number } | null;
}

/** A charge point that has not connected yet. */
export function createStation16(cfg: StationConfig16, nowMs: number): StationState16 {
  return {
    cfg,
    nowMs,
    online: false,
    registration: "none",
    bootRetryAtMs: null,
    heartbeatIntervalS: cfg.heartbeatIntervalS,
    lastSendMs: nowMs,
    nextCallNo: 1,
    txCount: 0,
    outbox: [],
    inFlight: null,
    status: "Available",
    errorCode: "NoError",
    plugged: false,
    meter: { energyWh: 0, powerW: 0 },
    tx: null,
    txIds: {},
    authorizedTag: null,
    pendingTxProfile: null,
    authorizing: null,
    profiles: [],
    limitW: null,
    scheduleOf: null,
    resetPending: null,
    evCertificate: null,
  };
}

/**
 * Send the head of the outbox (2.0.1 rules), its transactionId filled in from StartTransaction.conf. A
 * call of a transaction whose StartTransaction was refused is dropped (it has no transactionId to name).
 */
export function pump16(s0: StationState16, fx: StationEffect[]): StationState16 {
  let s = s0;
  for (;;) {
    const head = s.outbox[0];
    if (!s.online || s.inFlight !== null || !head || head.txLocal === undefined) break;
    // StartTransaction carries its transaction's number (for its result), not a transactionId
    if (head.action === "StartTransaction" || head.payload.transactionId !== undefined) break;
    const id = s.txIds[head.txLocal];
    if (id === undefined) {
      // the StartTransaction is ahead of the calls of its transaction: only a refused one gets here
      fx.push({
        kind: "log",
        level: "warn",
        msg: `${head.action}: transaction has no transactionId, dropped`,
      });
      s = { ...s, outbox: s.outbox.slice(1) };
      continue;
    }
    s = {
      ...s,
      outbox: [{ ...head, payload: { ...head.payload, transactionId: id } }, ...s.outbox.slice(1)],
    };
    break;
  }
  return pumpAny(s, fx);
}

/** Queue a CALL (1.6 pump). */
export function enqueue16(
  s: StationState16,
  action: string,
  payload: Record<string, unknown>,
  fx: StationEffect[],
  opts: { txRelated?: boolean; first?: boolean; txLocal?: number } = {},
): [StationState16, string] {
  return enqueueAny(s, action, payload, fx, opts, pump16);
}

/** A MeterValue (§7.33) of one reading: the 2.0.1 sampled values with value and unit as 1.6 strings. */
export function meterValue16(m: MeterReading, context: string, tMs: number): Record<string, unknown> {
  return {
    timestamp: isoTime(tMs),
    sampledValue: sampledValues(m, context).map((v) => {
      const { unitOfMeasure, value, ...rest } = v as { unitOfMeasure: { unit: string }; value: number };
      return { ...rest, value: String(value), unit: unitOfMeasure.unit };
    }),
  };
}

/** Queue a StatusNotification of connector 1 (§4.9) when the status (or error) changes, or `force`. */
export function setStatus16(
  s0: StationState16,
  status: ChargePointStatus16,
  fx: StationEffect[],
  errorCode: ErrorCode16 = "NoError",
  force = false,
): StationState16 {
  if (!force && s0.status === status && s0.errorCode === errorCode) return s0;
  const s = { ...s0, status, errorCode };
  return enqueue16(
    s,
    "StatusNotification",
    { connectorId: s.cfg.connectorId, errorCode, status, timestamp: isoTime(s.nowMs) },
    fx,
  )[0];
}

/** The transaction as the 2.0.1 profile code sees it (its id the CSMS's, as a string). */
export function txContext16(s: StationState16): { transactionId: string; startedMs: number } | null {
  return (
    s.tx && { transactionId: String(s.tx.transactionId ?? `local-${s.tx.local}`), startedMs: s.tx.startedMs }
  );
}

/**
 * Give the EVSE the composite limit (§3.13.2 stacking, §3.13.3 combining, the 2.0.1 arithmetic) if it
 * changed, and the composite schedule when the profiles or the transaction changed.
 */
export function applyLimit16(s: StationState16, fx: StationEffect[]): StationState16 {
  const tx = txContext16(s);
  const s1 = setSchedule(s, s.profiles, s.cfg.connectorId, tx, fx);
  return setLimit(s1, compositeLimitW(s.profiles, s.cfg.connectorId, s.nowMs, tx), fx);
}

/** §4.7: MeterValues.req of connector 1 (with the transaction's id when one runs). */
export function sendMeterValues16(s: StationState16, context: string, fx: StationEffect[]): StationState16 {
  const tx = s.tx;
  const payload = { connectorId: s.cfg.connectorId, meterValue: [meterValue16(s.meter, context, s.nowMs)] };
  if (!tx) return enqueue16(s, "MeterValues", payload, fx)[0];
  const s1 = { ...s, tx: { ...tx, lastSampleMs: s.nowMs } };
  return enqueue16(s1, "MeterValues", payload, fx, { txRelated: true, txLocal: tx.local })[0];
}

/**
 * §4.8: plugged and authorised: StartTransaction.req (meterStart: the EVSE meter, Wh), then the
 * Transaction.Begin sample as MeterValues; a TxProfile of the remote start is installed for it.
 */
export function startTx16(s0: StationState16, idTag: string, fx: StationEffect[]): StationState16 {
  const local = s0.txCount + 1;
  const beginSample = meterValue16(s0.meter, "Transaction.Begin", s0.nowMs);
  const tx: StationTx16 = {
    local,
    transactionId: null,
    idTag,
    authorized: true,
    startedMs: s0.nowMs,
    meterStartWh: Math.round(s0.meter.energyWh),
    beginSample,
    charged: false,
    remoteStop: false,
    resetStop: null,
    lastSampleMs: s0.nowMs,
  };
  let s: StationState16 = { ...s0, txCount: local, tx, authorizedTag: null };
  s = enqueue16(
    s,
    "StartTransaction",
    { connectorId: s.cfg.connectorId, idTag, meterStart: tx.meterStartWh, timestamp: isoTime(s.nowMs) },
    fx,
    { txRelated: true, txLocal: local },
  )[0];
  s = enqueue16(s, "MeterValues", { connectorId: s.cfg.connectorId, meterValue: [beginSample] }, fx, {
    txRelated: true,
    txLocal: local,
  })[0];
  s = setStatus16(s, "Preparing", fx);
  if (s.pendingTxProfile) s = { ...s, profiles: [...s.profiles, s.pendingTxProfile], pendingTxProfile: null };
  fx.push({ kind: "log", level: "info", msg: `transaction ${local} started (idTag ${idTag})` });
  return applyLimit16(s, fx);
}
