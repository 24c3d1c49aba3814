/**
 * State of the OCPP 2.0.1 charging-station machine, and the helpers the step functions share: the outbox
 * (one CALL in flight at a time, OCPP 2.0.1 Part 4 OCPP-J "synchronicity"), TransactionEvent construction
 * (E01–E07, J02) and the composite-limit update (K01 / K08). Pure code.
 */
import type { StationCerts } from "./certificates.js";
import {
  COMPOSITE_HORIZON_S,
  compositeLimitW,
  compositeSchedule,
  scheduleLimitAt,
  type TxContext,
} from "./profiles.js";
import type {
  ChargingState,
  ConnectorStatus,
  IdToken,
  InstalledProfile,
  MeterReading,
  OcppCall,
  SchedulePeriod,
  StationConfig,
  StationEffect,
  StoppedReason,
  TriggerReason,
} from "./types.js";

/** The transaction of the station's one EVSE. */
export interface StationTx {
  transactionId: string;
  startedMs: number;
  /** seqNo of the next TransactionEvent of this transaction (0 for Started). */
  seqNo: number;
  idToken: IdToken | null;
  authorized: boolean;
  remoteStartId: number | null;
  chargingState: ChargingState;
  /** A RequestStopTransaction was accepted (F03): the end is reported as Remote. */
  remoteStop: boolean;
  /** A Reset Immediate stopped it (B12): the end is reported as ImmediateReset. */
  resetStop: boolean;
  /** When the last meter values were sent (ms). */
  lastSampleMs: number;
}

/** The whole station state. */
export interface StationState {
  readonly cfg: StationConfig;
  readonly nowMs: number;
  readonly online: boolean;
  /** BootNotification registration status (B01–B03); "none" before the first answer. */
  readonly registration: "none" | "Accepted" | "Pending" | "Rejected";
  readonly bootRetryAtMs: number | null;
  readonly heartbeatIntervalS: number;
  /** When the last CALL was sent (ms), for the heartbeat. */
  readonly lastSendMs: number;
  readonly nextCallNo: number;
  readonly txCount: number;
  /** CALLs waiting, in order; the head is in flight when `inFlight` is its id. */
  readonly outbox: readonly OcppCall[];
  readonly inFlight: string | null;
  readonly connector: ConnectorStatus;
  readonly plugged: boolean;
  readonly meter: MeterReading;
  readonly tx: StationTx | null;
  /** The Authorize CALL waiting for its answer, and its token (C01). */
  readonly authorizing: { callId: string; idToken: IdToken } | null;
  readonly profiles: readonly InstalledProfile[];
  /** The composite limit last given to the EVSE (W; null = none). */
  readonly limitW: number | null;
  /** What the composite schedule last given to the EVSE was made of (K15); null before the first. */
  readonly scheduleOf: ScheduleKey | null;
  /** A Reset waits for the transaction to end (B12). */
  readonly resetPending: boolean;
  /** The Get15118EVCertificate call waiting for its answer, and the SECC's request id (M01 / M02). */
  readonly evCertificate: { callId: string; id: number } | null;
  /** The SECC's V2G certificate: renewal (A02 / A03) and OCSP status (M06); absent = none yet. */
  readonly certs?: StationCerts;
}

/** A station that has not connected yet. */
export function createStation(cfg: StationConfig, nowMs: number): StationState {
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
    connector: "Available",
    plugged: false,
    meter: { energyWh: 0, powerW: 0 },
    tx: null,
    authorizing: null,
    profiles: [],
    limitW: null,
    scheduleOf: null,
    resetPending: false,
    evCertificate: null,
  };
}

/** RFC 3339 timestamp of the OCPP clock (OCPP 2.0.1 Part 2 §2 dateTime: UTC, with milliseconds). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** What the outbox helpers need of a station state (OCPP 2.0.1 and 1.6 alike). */
export interface OutboxState {
  readonly nowMs: number;
  readonly online: boolean;
  readonly registration: "none" | "Accepted" | "Pending" | "Rejected";
  readonly lastSendMs: number;
  readonly nextCallNo: number;
  readonly outbox: readonly OcppCall[];
  readonly inFlight: string | null;
}

/** Queue a CALL (at the end, or first) and send what may be sent. Returns the new state and the call's id. */
export function enqueue<S extends OutboxState>(
  s0: S,
  action: string,
  payload: Record<string, unknown>,
  fx: StationEffect[],
  opts: { txRelated?: boolean; first?: boolean; txLocal?: number } = {},
  send: (s: S, fx: StationEffect[]) => S = pump,
): [S, string] {
  const id = `${action}-${s0.nextCallNo}`;
  const call: OcppCall = {
    id,
    action,
    payload,
    txRelated: opts.txRelated ?? false,
    ...(opts.txLocal !== undefined && { txLocal: opts.txLocal }),
  };
  // "first": ahead of everything waiting (behind the one in flight)
  const at = opts.first ? (s0.inFlight === null ? 0 : 1) : s0.outbox.length;
  const outbox = [...s0.outbox.slice(0, at), call, ...s0.outbox.slice(at)];
  return [send({ ...s0, nextCallNo: s0.nextCallNo + 1, outbox }, fx), id];
}

/**
 * Send the head of the outbox when connected and nothing is in flight. Before the CSMS accepted the
 * BootNotification only BootNotification goes out (B02 / B03: Pending and Rejected hold other messages).
 */
export function pump<S extends OutboxState>(s: S, fx: StationEffect[]): S {
  if (!s.online || s.inFlight !== null) return s;
  const head = s.outbox[0];
  if (!head) return s;
  if (s.registration !== "Accepted" && head.action !== "BootNotification") return s;
  fx.push({ kind: "send", call: head });
  return { ...s, inFlight: head.id, lastSendMs: s.nowMs };
}

/**
 * The connection to the CSMS is lost: what is not transaction-related is stale by the next connection;
 * transaction messages stay queued (OCPP 2.0.1 E11, OCPP 1.6 §3.7), and so does the Authorize the driver
 * and the EV wait on (sent again when the link is back).
 */
export function goOffline<S extends OutboxState & { readonly authorizing: { callId: string } | null }>(
  s: S,
  reason: string,
  fx: StationEffect[],
): S {
  fx.push({ kind: "log", level: "warn", msg: `CSMS connection lost: ${reason}` });
  return {
    ...s,
    online: false,
    inFlight: null,
    outbox: s.outbox.filter((c) => c.txRelated || c.id === s.authorizing?.callId),
  };
}

/**
 * A CALLERROR (or a failed send) for the call at the head of the outbox: the call is dropped after a
 * warning (sending it again would be refused again); a BootNotification is tried again after
 * `cfg.bootRetryS`; a refused Authorize is a rejection for the EVSE. The caller sends what is next.
 */
export function dropRefusedCall<
  S extends OutboxState & {
    readonly authorizing: { callId: string } | null;
    readonly bootRetryAtMs: number | null;
    readonly cfg: { readonly bootRetryS: number };
  },
>(s0: S, id: string, code: string, message: string, fx: StationEffect[]): S {
  const head = s0.outbox[0];
  if (!head || head.id !== id) return s0;
  fx.push({ kind: "log", level: "warn", msg: `${head.action} refused: ${code} ${message}` });
  let s: S = { ...s0, outbox: s0.outbox.slice(1), inFlight: null };
  if (head.action === "BootNotification") s = { ...s, bootRetryAtMs: s.nowMs + s.cfg.bootRetryS * 1000 };
  if (head.action === "Authorize" && s.authorizing?.callId === id) {
    s = { ...s, authorizing: null };
    fx.push({ kind: "evse", command: { kind: "authorization", result: "rejected" } });
  }
  return s;
}

/** The transaction as the profile code sees it. */
export function txContext(s: StationState): TxContext | null {
  return s.tx && { transactionId: s.tx.transactionId, startedMs: s.tx.startedMs };
}

/**
 * Give the EVSE the composite limit of the installed profiles if it changed (K01, K08), and the composite
 * schedule when the profiles or the transaction changed (K15).
 */
export function applyLimit(s: StationState, fx: StationEffect[]): StationState {
  const tx = txContext(s);
  const s1 = setSchedule(s, s.profiles, s.cfg.evseId, tx, fx);
  return setLimit(s1, compositeLimitW(s.profiles, s.cfg.evseId, s.nowMs, tx), fx);
}

/** The profiles and the transaction the last composite schedule was made of, and what the EVSE was given. */
export interface ScheduleKey {
  readonly profiles: readonly InstalledProfile[];
  readonly txId: string | null;
  /** The schedule the EVSE has (its periods from `atMs`), null = none. */
  readonly sent: { readonly atMs: number; readonly periods: readonly SchedulePeriod[] } | null;
}

/**
 * Hand the EVSE the composite schedule of the next 24 h (`set-power-schedule`, K08 / K15) when what it is made
 * of changed (another set of profiles — they are replaced, never changed in place — or another transaction)
 * and it limits differently from now on than the one the EVSE has. Time alone does not change it.
 */
export function setSchedule<S extends { readonly scheduleOf: ScheduleKey | null; readonly nowMs: number }>(
  s: S,
  profiles: readonly InstalledProfile[],
  evseId: number,
  tx: TxContext | null,
  fx: StationEffect[],
): S {
  const txId = tx?.transactionId ?? null;
  const was = s.scheduleOf;
  if (was && was.profiles === profiles && was.txId === txId) return s;
  const periods = compositeSchedule(profiles, evseId, s.nowMs, tx);
  const next = periods.some((p) => p.limitW !== null) ? { atMs: s.nowMs, periods } : null;
  const old = was?.sent ?? null;
  if (sameFromNow(old, next, s.nowMs)) return { ...s, scheduleOf: { profiles, txId, sent: old } };
  fx.push({ kind: "evse", command: { kind: "set-power-schedule", periods: next?.periods ?? null } });
  return { ...s, scheduleOf: { profiles, txId, sent: next } };
}

/** Whether two schedules limit the same from `nowMs` until the first of them ends (24 h from its start). */
function sameFromNow(a: ScheduleKey["sent"], b: ScheduleKey["sent"], nowMs: number): boolean {
  if (a === null || b === null) return a === b;
  const endMs = Math.min(a.atMs, b.atMs) + COMPOSITE_HORIZON_S * 1000;
  const at = (x: NonNullable<ScheduleKey["sent"]>, t: number) =>
    scheduleLimitAt(x.periods, (t - x.atMs) / 1000);
  const instants = [nowMs, ...[a, b].flatMap((x) => x.periods.map((p) => x.atMs + p.startS * 1000))];
  return instants.filter((t) => t >= nowMs && t < endMs).every((t) => at(a, t) === at(b, t));
}

/**
 * Hand a composite limit to the EVSE (its run-time power limit) when it differs from the one it has; both
 * OCPP versions' stations use it.
 */
export function setLimit<S extends { readonly limitW: number | null }>(
  s: S,
  composite: { limitW: number | null; ids: readonly (string | number)[] },
  fx: StationEffect[],
): S {
  const { limitW, ids } = composite;
  if (limitW === s.limitW) return s;
  // the EVSE controller takes a limit > 0: a 0 W period holds the output at (practically) nothing
  const maxPowerW = limitW === null ? null : Math.max(limitW, 1);
  fx.push({ kind: "evse", command: { kind: "set-power-limit", maxPowerW } });
  fx.push({
    kind: "log",
    level: "info",
    msg:
      limitW === null
        ? "charging profiles: no limit"
        : `charging profiles ${ids.join(", ")}: composite limit ${limitW} W`,
  });
  return { ...s, limitW };
}

/** SampledValueType list of one meter reading (J02: Energy.Active.Import.Register, power, SoC). */
export function sampledValues(m: MeterReading, context: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [
    {
      value: round(m.energyWh, 3),
      context,
      measurand: "Energy.Active.Import.Register",
      unitOfMeasure: { unit: "Wh" },
    },
    { value: round(m.powerW, 1), context, measurand: "Power.Active.Import", unitOfMeasure: { unit: "W" } },
  ];
  if (m.socPercent !== undefined)
    out.push({
      value: round(m.socPercent, 2),
      context,
      measurand: "SoC",
      location: "EV",
      unitOfMeasure: { unit: "Percent" },
    });
  return out;
}

/** What one TransactionEvent carries besides its type and trigger. */
export interface TxEventExtra {
  meterContext?: string;
  idToken?: IdToken;
  stoppedReason?: StoppedReason;
}

/**
 * Queue a TransactionEvent of the running transaction (seqNo incremented); `offline` when made while not
 * connected (E11 Connection Loss During Transaction).
 */
export function sendTxEvent(
  s: StationState,
  tx: StationTx,
  eventType: "Started" | "Updated" | "Ended",
  triggerReason: TriggerReason,
  extra: TxEventExtra,
  fx: StationEffect[],
): [StationState, StationTx] {
  const payload: Record<string, unknown> = {
    eventType,
    timestamp: isoTime(s.nowMs),
    triggerReason,
    seqNo: tx.seqNo,
    transactionInfo: {
      transactionId: tx.transactionId,
      chargingState: tx.chargingState,
      ...(extra.stoppedReason && { stoppedReason: extra.stoppedReason }),
      ...(tx.remoteStartId !== null && { remoteStartId: tx.remoteStartId }),
    },
    evse: { id: s.cfg.evseId, connectorId: s.cfg.connectorId },
    ...(extra.idToken && { idToken: extra.idToken }),
    ...(extra.meterContext && {
      meterValue: [{ timestamp: isoTime(s.nowMs), sampledValue: sampledValues(s.meter, extra.meterContext) }],
    }),
    ...(!s.online && { offline: true }),
  };
  const tx1: StationTx = {
    ...tx,
    seqNo: tx.seqNo + 1,
    ...(extra.meterContext && { lastSampleMs: s.nowMs }),
  };
  const [s1] = enqueue({ ...s, tx: tx1 }, "TransactionEvent", payload, fx, { txRelated: true });
  return [s1, tx1];
}

/** Queue a StatusNotification of the connector (G01). */
export function sendStatus(s: StationState, fx: StationEffect[]): StationState {
  return enqueue(
    s,
    "StatusNotification",
    {
      timestamp: isoTime(s.nowMs),
      connectorStatus: s.connector,
      evseId: s.cfg.evseId,
      connectorId: s.cfg.connectorId,
    },
    fx,
  )[0];
}

/** Start a transaction (E01 / E02 / F01) and queue its Started event. */
export function startTx(
  s0: StationState,
  trigger: TriggerReason,
  chargingState: ChargingState,
  extra: { idToken?: IdToken; remoteStartId?: number },
  fx: StationEffect[],
): StationState {
  const n = s0.txCount + 1;
  const tx: StationTx = {
    transactionId: `${s0.cfg.transactionPrefix}-${n}`,
    startedMs: s0.nowMs,
    seqNo: 0,
    idToken: extra.idToken ?? null,
    authorized: extra.idToken !== undefined,
    remoteStartId: extra.remoteStartId ?? null,
    chargingState,
    remoteStop: false,
    resetStop: false,
    lastSampleMs: s0.nowMs,
  };
  const s = { ...s0, txCount: n };
  const [s1] = sendTxEvent(
    s,
    tx,
    "Started",
    trigger,
    { meterContext: "Transaction.Begin", ...(extra.idToken && { idToken: extra.idToken }) },
    fx,
  );
  fx.push({ kind: "log", level: "info", msg: `transaction ${tx.transactionId} started (${trigger})` });
  return s1;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
