/**
 * Per-session bookkeeping of `nacs decode --check` (one TCP connection carrying V2G messages): the state the
 * checker keeps, the field lookups in decoded bodies, the energy / peak-power tracking of the charge loop,
 * and the summary a session ends with. Pure code.
 */
import type { SessionSummary } from "./check-report.js";
import type { CaptureEvent } from "./events.js";
import { physicalOf } from "./fields.js";
import { bytesToHex } from "./keylog.js";
import type { V2gFamily } from "./v2g-schema.js";

export interface Pending {
  base: string;
  t: number;
  frame: number;
}

export interface SessionState {
  conn: number;
  family?: V2gFamily;
  namespace?: string;
  offer?: { ProtocolNamespace: string; SchemaID: number }[];
  schema?: string;
  connectT?: number;
  start?: number;
  end: number;
  messages: number;
  last: string;
  pending?: Pending;
  lastResT?: number;
  phaseStart: Map<string, number>;
  ongoingSince?: number;
  evccId?: string;
  evseId?: string;
  sessionId?: string;
  energyWh: number;
  energySeen: boolean;
  lastPowerT?: number;
  lastPowerW?: number;
  meterFirst?: number;
  meterLast?: number;
  peakPowerW?: number;
  peakCurrentA?: number;
  reasons: string[];
  stopped: boolean;
  setupDone: boolean;
  /** The capture began inside this session (no SYN seen, or its first message was a response). */
  midSession: boolean;
  /** Part of the session is missing from the capture (a TCP gap or file damage) since the last exchange. */
  gap: boolean;
  /** The EVSE's maxima from its last ChargeParameterDiscoveryRes (A, V). */
  maxCurrentA?: number;
  maxVoltageV?: number;
  /**
   * EVSECurrentRegulationTolerance of that response (A), when the EVSE advertised one: the present current
   * may exceed the maximum by this much (DIN SPEC 70121 / ISO 15118-2 DC_EVSEChargeParameter).
   */
  currentToleranceA?: number;
  /** ISO 15118-20 BPT: EVSEMaximumDischargeCurrent of the ChargeParameterDiscoveryRes (A, magnitude). */
  maxDischargeCurrentA?: number;
  /** Names of the two maximum fields as the messages call them. */
  maxFields?: [string, string];
}

/** A stop the EVSE announced in a response (EVSENotification StopCharging, a shutdown status code). */
export function noteEvseStop(s: SessionState, body: Record<string, unknown> | undefined): void {
  const notif = find(body, "EVSENotification");
  if (notif === "StopCharging" && !s.reasons.includes("EVSE: StopCharging"))
    s.reasons.push("EVSE: StopCharging");
  const status = find(body, "EVSEStatusCode") ?? find(body, "DC_EVSEStatusCode");
  if (
    typeof status === "string" &&
    /Shutdown|Malfunction|Interrupt/.test(status) &&
    !s.reasons.includes(`EVSE: ${status}`)
  )
    s.reasons.push(`EVSE: ${status}`);
}

/** A session seen for the first time at `t`. */
export function newSessionState(conn: number, t: number): SessionState {
  return {
    conn,
    end: t,
    messages: 0,
    last: "*start",
    phaseStart: new Map(),
    energyWh: 0,
    energySeen: false,
    reasons: [],
    stopped: false,
    setupDone: false,
    midSession: false,
    gap: false,
  };
}

/** The V2G family of a schema name (din, iso2, iso20-*). */
export function familyOf(schema: string | undefined): V2gFamily | undefined {
  if (!schema) return undefined;
  if (schema.startsWith("iso20")) return "iso20";
  return schema === "din" || schema === "iso2" ? schema : undefined;
}

function num(name: string, v: unknown): number | undefined {
  return physicalOf(name, v)?.value;
}

/** Depth-first search for the first field `name` in a decoded body. */
export function find(o: unknown, name: string, depth = 0): unknown {
  if (typeof o !== "object" || o === null || depth > 5 || o instanceof Uint8Array) return undefined;
  const r = o as Record<string, unknown>;
  if (name in r) return r[name];
  for (const v of Object.values(r)) {
    const x = find(v, name, depth + 1);
    if (x !== undefined) return x;
  }
  return undefined;
}

/** An id field (bytes or text) as text. */
export function idText(v: unknown): string | undefined {
  if (v instanceof Uint8Array) return bytesToHex(v);
  return typeof v === "string" ? v : undefined;
}

/** Meter reading, and energy and peak power / current integrated over the charge loop's present values. */
export function trackPower(
  s: SessionState,
  e: CaptureEvent,
  body: Record<string, unknown> | undefined,
): void {
  const v = num("EVSEPresentVoltage", find(body, "EVSEPresentVoltage"));
  const i = num("EVSEPresentCurrent", find(body, "EVSEPresentCurrent"));
  const meter = find(body, "MeterReading");
  const mWh =
    typeof meter === "number"
      ? meter
      : typeof meter === "bigint"
        ? Number(meter)
        : num("MeterReading", meter);
  if (mWh !== undefined) {
    s.meterFirst ??= mWh;
    s.meterLast = mWh;
  }
  if (v === undefined || i === undefined || !/CurrentDemand|ChargeLoop/.test(e.type)) return;
  const p = v * i;
  s.peakPowerW = Math.max(s.peakPowerW ?? 0, p);
  s.peakCurrentA = Math.max(s.peakCurrentA ?? 0, i);
  if (s.lastPowerT !== undefined && s.lastPowerW !== undefined) {
    const dt = Math.min(e.t - s.lastPowerT, 5); // a long silence is not charging
    s.energyWh += ((s.lastPowerW + p) / 2) * (dt / 3600);
    s.energySeen = true;
  }
  s.lastPowerT = e.t;
  s.lastPowerW = p;
}

/** The summary of a finished session (its stop reasons already complete). */
export function summarizeSession(s: SessionState): SessionSummary {
  const sum: SessionSummary = {
    conn: s.conn,
    start: s.start ?? s.end,
    end: s.end,
    durationS: s.end - (s.start ?? s.end),
    messages: s.messages,
    stopReason: s.reasons.join("; "),
  };
  if (s.schema) sum.schema = s.schema;
  if (s.namespace) sum.namespace = s.namespace;
  if (s.evccId) sum.evccId = s.evccId;
  if (s.evseId) sum.evseId = s.evseId;
  if (s.sessionId) sum.sessionId = s.sessionId;
  if (s.meterFirst !== undefined && s.meterLast !== undefined && s.meterLast > s.meterFirst)
    sum.energyWh = s.meterLast - s.meterFirst;
  else if (s.energySeen) sum.energyWh = Math.round(s.energyWh * 10) / 10;
  if (s.peakPowerW !== undefined) sum.peakPowerW = Math.round(s.peakPowerW);
  if (s.peakCurrentA !== undefined) sum.peakCurrentA = s.peakCurrentA;
  return sum;
}

/** A present value above the EVSE's advertised maximum: the field, its value and the limit. */
export interface OverLimit {
  field: string;
  value: number;
  unit: string;
  limit: number;
  limitField: string;
}

/**
 * The EVSE's maximum current and voltage as advertised in ChargeParameterDiscoveryRes
 * (DIN 70121 / ISO 15118-2 DC_EVSEChargeParameter: EVSEMaximumCurrentLimit, EVSEMaximumVoltageLimit;
 * ISO 15118-20 DC_ChargeParameterDiscoveryRes: EVSEMaximumChargeCurrent, EVSEMaximumVoltage), and the present
 * values of later responses (EVSEPresentCurrent / EVSEPresentVoltage of CurrentDemandRes, PreChargeRes,
 * CableCheckRes, WeldingDetectionRes, DC_ChargeLoopRes, …) checked against them.
 */
export function checkPresentLimits(
  s: SessionState,
  type: string,
  body: Record<string, unknown> | undefined,
): OverLimit[] {
  if (/ChargeParameterDiscoveryRes$/.test(type)) {
    const i =
      num("EVSEMaximumCurrentLimit", find(body, "EVSEMaximumCurrentLimit")) ??
      num("EVSEMaximumChargeCurrent", find(body, "EVSEMaximumChargeCurrent"));
    const v =
      num("EVSEMaximumVoltageLimit", find(body, "EVSEMaximumVoltageLimit")) ??
      num("EVSEMaximumVoltage", find(body, "EVSEMaximumVoltage"));
    if (i !== undefined) s.maxCurrentA = i;
    if (v !== undefined) s.maxVoltageV = v;
    // BPT: discharge limits are positive (Josev, EVerest) or negative (dSPACE) depending on the stack
    const d = num("EVSEMaximumDischargeCurrent", find(body, "EVSEMaximumDischargeCurrent"));
    if (d !== undefined) s.maxDischargeCurrentA = Math.abs(d);
    s.currentToleranceA = num("EVSECurrentRegulationTolerance", find(body, "EVSECurrentRegulationTolerance"));
    s.maxFields = [
      find(body, "EVSEMaximumCurrentLimit") !== undefined
        ? "EVSEMaximumCurrentLimit"
        : "EVSEMaximumChargeCurrent",
      find(body, "EVSEMaximumVoltageLimit") !== undefined ? "EVSEMaximumVoltageLimit" : "EVSEMaximumVoltage",
    ];
    return [];
  }
  const out: OverLimit[] = [];
  const i = num("EVSEPresentCurrent", find(body, "EVSEPresentCurrent"));
  const v = num("EVSEPresentVoltage", find(body, "EVSEPresentVoltage"));
  const [fi, fv] = s.maxFields ?? ["EVSEMaximumCurrentLimit", "EVSEMaximumVoltageLimit"];
  const tol = s.currentToleranceA ?? 0;
  if (i !== undefined && s.maxCurrentA !== undefined && i > s.maxCurrentA + tol)
    out.push({
      field: "EVSEPresentCurrent",
      value: i,
      unit: "A",
      limit: s.maxCurrentA + tol,
      limitField: tol > 0 ? `${fi} + EVSECurrentRegulationTolerance (${s.maxCurrentA} + ${tol})` : fi,
    });
  // a negative present current is a discharge (ISO 15118-20 BPT): against the EVSE's discharge maximum
  const dMax = s.maxDischargeCurrentA;
  if (i !== undefined && i < 0 && dMax !== undefined && -i > dMax + tol)
    out.push({
      field: "EVSEPresentCurrent (discharge)",
      value: -i,
      unit: "A",
      limit: dMax + tol,
      limitField:
        tol > 0
          ? `EVSEMaximumDischargeCurrent + EVSECurrentRegulationTolerance (${dMax} + ${tol})`
          : "EVSEMaximumDischargeCurrent",
    });
  if (v !== undefined && s.maxVoltageV !== undefined && v > s.maxVoltageV)
    out.push({ field: "EVSEPresentVoltage", value: v, unit: "V", limit: s.maxVoltageV, limitField: fv });
  return out;
}
