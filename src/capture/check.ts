/**
 * `nacs decode --check` (issue 7 §3): a compliance report built from the decoded event stream —
 * message order against the standard's sequence, each response time against the EVCC timeout and the SECC
 * performance time, sequence / phase timeouts, a session summary (energy, peak power, duration, stop
 * reason), and known field quirks (Tesla's trailing byte and namespace offer, EVSEID `00`, 4-byte
 * SessionIDs). Incremental: push events, then finish. Pure code.
 */
import {
  EVCC_CABLE_CHECK_TIMEOUT_S,
  EVCC_COMMUNICATION_SETUP_TIMEOUT_S,
  EVCC_ONGOING_TIMEOUT_S,
  EVCC_PRECHARGE_TIMEOUT_S,
  evccTimeoutS,
  NEXT_REQUESTS,
  NORMAL_STOP_AFTER,
  SECC_SEQUENCE_TIMEOUT_S,
  SESSION_ID_LENGTH,
  seccPerformanceS,
  TESLA_NAMESPACE,
} from "./check-limits.js";
import type { CaptureEvent } from "./decoder.js";
import { messageBody, physicalOf } from "./fields.js";
import { bytesToHex } from "./keylog.js";
import type { V2gFamily } from "./v2g-schema.js";

/** One finding of the report. */
export interface CheckFinding {
  severity: "error" | "warning" | "info";
  code: string;
  message: string;
  t?: number;
  frame?: number;
  conn?: number;
  /** How many times it happened (t/frame: the first time); 1 when absent. */
  count?: number;
}

/** Response-time statistics per message. */
export interface ResponseTimeStat {
  message: string;
  count: number;
  maxS: number;
  meanS: number;
  limitS: number;
  over: number;
}

/** Summary of one V2G session (one TCP connection carrying V2G messages). */
export interface SessionSummary {
  conn: number;
  schema?: string;
  namespace?: string;
  start: number;
  end: number;
  durationS: number;
  messages: number;
  evccId?: string;
  evseId?: string;
  sessionId?: string;
  energyWh?: number;
  peakPowerW?: number;
  peakCurrentA?: number;
  stopReason: string;
}

/** The whole report. */
export interface CheckReport {
  sessions: SessionSummary[];
  responseTimes: ResponseTimeStat[];
  findings: CheckFinding[];
  counts: { errors: number; warnings: number; infos: number };
}

interface Pending {
  base: string;
  t: number;
  frame: number;
}

interface SessionState {
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
}

/** The incremental checker; see {@link createChecker}. */
export interface Checker {
  push(e: CaptureEvent): void;
  finish(): CheckReport;
}

function familyOf(schema: string | undefined): V2gFamily | undefined {
  if (!schema) return undefined;
  if (schema.startsWith("iso20")) return "iso20";
  return schema === "din" || schema === "iso2" ? schema : undefined;
}

function num(name: string, v: unknown): number | undefined {
  return physicalOf(name, v)?.value;
}

/** Depth-first search for the first field `name` in a decoded body. */
function find(o: unknown, name: string, depth = 0): unknown {
  if (typeof o !== "object" || o === null || depth > 5 || o instanceof Uint8Array) return undefined;
  const r = o as Record<string, unknown>;
  if (name in r) return r[name];
  for (const v of Object.values(r)) {
    const x = find(v, name, depth + 1);
    if (x !== undefined) return x;
  }
  return undefined;
}

function idText(v: unknown): string | undefined {
  if (v instanceof Uint8Array) return bytesToHex(v);
  return typeof v === "string" ? v : undefined;
}

/** Create an incremental checker. */
export function createChecker(): Checker {
  const findings: CheckFinding[] = [];
  const sessions = new Map<number, SessionState>();
  const rt = new Map<string, { count: number; sum: number; max: number; limit: number; over: number }>();
  const seen = new Set<string>();
  let lastT = 0;

  const add = (f: CheckFinding, e?: CaptureEvent): void => {
    if (e) {
      f.t = e.t;
      f.frame = e.frame;
      if (e.conn !== undefined) f.conn = e.conn;
    }
    findings.push(f);
  };
  const grouped = new Map<string, CheckFinding>();
  /** Report repeated findings of one kind once, counting them (first occurrence kept). */
  const addGrouped = (
    key: string,
    f: CheckFinding,
    e: CaptureEvent,
    worse?: (old: CheckFinding) => boolean,
  ): void => {
    const k = `${key}#${e.conn}`;
    const old = grouped.get(k);
    if (!old) {
      grouped.set(k, f);
      add(f, e);
      return;
    }
    old.count = (old.count ?? 1) + 1;
    if (worse?.(old)) old.message = f.message;
  };
  /** Report a quirk once per code and connection. */
  const quirk = (
    e: CaptureEvent,
    code: string,
    message: string,
    severity: CheckFinding["severity"] = "warning",
  ): void => {
    const k = `${code}#${e.conn}`;
    if (seen.has(k)) return;
    seen.add(k);
    add({ severity, code, message }, e);
  };

  function session(conn: number, t: number): SessionState {
    let s = sessions.get(conn);
    if (!s) {
      s = {
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
      };
      sessions.set(conn, s);
    }
    return s;
  }

  function onRequest(
    s: SessionState,
    e: CaptureEvent,
    base: string,
    body: Record<string, unknown> | undefined,
  ): void {
    if (s.pending) {
      add(
        {
          severity: "error",
          code: "NO_RESPONSE",
          message: `${s.pending.base}Req got no response before ${base}Req`,
        },
        e,
      );
    }
    if (s.lastResT !== undefined && e.t - s.lastResT > SECC_SEQUENCE_TIMEOUT_S) {
      add(
        {
          severity: "error",
          code: "SEQUENCE_TIMEOUT",
          message: `${(e.t - s.lastResT).toFixed(1)} s before ${base}Req: over V2G_SECC_Sequence_Timeout ${SECC_SEQUENCE_TIMEOUT_S} s`,
        },
        e,
      );
    }
    const table = NEXT_REQUESTS[s.family === "iso20" ? "iso20" : "din_iso2"];
    const allowed = table[s.last];
    if (base === "SessionStop" && !NORMAL_STOP_AFTER.has(s.last) && s.last !== "*start") {
      add(
        {
          severity: "warning",
          code: "EARLY_STOP",
          message: `SessionStopReq after ${s.last}Req: the session ends before charging completed`,
        },
        e,
      );
    } else if (allowed && !allowed.includes(base) && table[base] !== undefined) {
      add(
        {
          severity: "error",
          code: "ORDER",
          message: `${base}Req after ${s.last}Req: expected ${allowed.map((a) => `${a}Req`).join(" | ") || "nothing"}`,
        },
        e,
      );
    }
    if (base !== s.last) s.phaseStart.set(base, e.t);
    s.last = base;
    s.pending = { base, t: e.t, frame: e.frame };
    if (base === "SessionStop") {
      const cs = body?.ChargingSession;
      s.reasons.push(`SessionStopReq${typeof cs === "string" ? ` (${cs})` : ""}`);
      s.stopped = true;
    }
    const err = find(body, "EVErrorCode");
    if (typeof err === "string" && err !== "NO_ERROR" && err !== "NoData")
      s.reasons.push(`EV error ${err} in ${base}Req`);
    if (find(body, "ChargingComplete") === true && !s.reasons.includes("EV: ChargingComplete"))
      s.reasons.push("EV: ChargingComplete");
    if (base === "SessionSetup") s.evccId = idText(body?.EVCCID) ?? s.evccId;
    if (base === "supportedAppProtocol") {
      const offer = (body?.AppProtocol as { ProtocolNamespace?: string }[] | undefined) ?? [];
      if (offer.some((a) => a.ProtocolNamespace === TESLA_NAMESPACE)) {
        quirk(e, "TESLA_NAMESPACE", `the EV offers ${TESLA_NAMESPACE} (Tesla; digest §3.3)`, "info");
      }
    }
  }

  function onResponse(
    s: SessionState,
    e: CaptureEvent,
    base: string,
    body: Record<string, unknown> | undefined,
  ): void {
    const p = s.pending;
    if (!p || p.base !== base) {
      add(
        {
          severity: "error",
          code: "UNEXPECTED_RESPONSE",
          message: `${base}Res without a pending ${base}Req${p ? ` (pending: ${p.base}Req)` : ""}`,
        },
        e,
      );
    } else {
      const dt = e.t - p.t;
      const fam = s.family ?? "iso2";
      const limit = base === "supportedAppProtocol" ? 2 : evccTimeoutS(fam, base);
      const perf = seccPerformanceS(base);
      const st = rt.get(base) ?? { count: 0, sum: 0, max: 0, limit, over: 0 };
      st.count++;
      st.sum += dt;
      st.max = Math.max(st.max, dt);
      if (dt > limit) {
        st.over++;
        addGrouped(
          `T${base}`,
          {
            severity: "error",
            code: "RESPONSE_TIMEOUT",
            message: `${base}Res after ${(dt * 1000).toFixed(1)} ms: over the EV's ${limit * 1000} ms message timeout`,
          },
          e,
        );
      } else if (dt > perf && base !== "supportedAppProtocol") {
        addGrouped(
          `S${base}`,
          {
            severity: "warning",
            code: "SLOW_RESPONSE",
            message: `${base}Res after ${(dt * 1000).toFixed(1)} ms: over the SECC performance time ${perf * 1000} ms`,
          },
          e,
        );
      }
      rt.set(base, st);
    }
    s.pending = undefined;
    s.lastResT = e.t;
    const rc = body?.ResponseCode;
    if (typeof rc === "string" && /^FAILED|Failed/.test(rc)) {
      addGrouped(
        `F${base}${rc}`,
        { severity: "error", code: "FAILED", message: `${base}Res ResponseCode=${rc}` },
        e,
      );
      s.reasons.push(`EVSE answered ${rc} to ${base}Req`);
    }
    const proc = body?.EVSEProcessing;
    if (typeof proc === "string" && proc.startsWith("Ongoing")) {
      s.ongoingSince ??= e.t;
      if (e.t - s.ongoingSince > EVCC_ONGOING_TIMEOUT_S)
        quirk(
          e,
          "ONGOING_TIMEOUT",
          `EVSEProcessing=Ongoing for over ${EVCC_ONGOING_TIMEOUT_S} s (V2G_EVCC_Ongoing_Timeout)`,
          "error",
        );
    } else s.ongoingSince = undefined;
    const phase = s.phaseStart.get(base);
    if (phase !== undefined && proc === "Finished") {
      if (/CableCheck/.test(base) && e.t - phase > EVCC_CABLE_CHECK_TIMEOUT_S) {
        add(
          {
            severity: "error",
            code: "CABLECHECK_TIMEOUT",
            message: `cable check took ${(e.t - phase).toFixed(1)} s: over ${EVCC_CABLE_CHECK_TIMEOUT_S} s`,
          },
          e,
        );
      }
    }
    if (
      /PreCharge/.test(base) &&
      phase !== undefined &&
      e.t - phase > EVCC_PRECHARGE_TIMEOUT_S[s.family ?? "iso2"]
    ) {
      quirk(
        e,
        "PRECHARGE_TIMEOUT",
        `pre-charge running for over ${EVCC_PRECHARGE_TIMEOUT_S[s.family ?? "iso2"]} s (V2G_EVCC_PreCharge_Timeout)`,
        "error",
      );
    }
    if (base === "SessionSetup") {
      s.setupDone = true;
      s.evseId = idText(body?.EVSEID);
      const sid = (e.message as { Header?: { SessionID?: unknown } } | undefined)?.Header?.SessionID;
      if (sid instanceof Uint8Array) {
        s.sessionId = bytesToHex(sid);
        if (sid.length !== SESSION_ID_LENGTH)
          quirk(
            e,
            "SESSION_ID_LENGTH",
            `SessionID ${bytesToHex(sid)} has ${sid.length} bytes: the standard uses ${SESSION_ID_LENGTH}`,
          );
      }
      const evseId = body?.EVSEID;
      if ((evseId instanceof Uint8Array && evseId.length === 1 && evseId[0] === 0) || evseId === "00") {
        quirk(e, "EVSEID_00", "EVSEID is 00 (placeholder, no real EVSE ID)");
      }
      if (s.connectT !== undefined && e.t - s.connectT > EVCC_COMMUNICATION_SETUP_TIMEOUT_S) {
        add(
          {
            severity: "error",
            code: "COMM_SETUP_TIMEOUT",
            message: `SessionSetupRes ${(e.t - s.connectT).toFixed(1)} s after TCP connect: over ${EVCC_COMMUNICATION_SETUP_TIMEOUT_S} s`,
          },
          e,
        );
      }
    }
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
    power(s, e, body);
  }

  function power(s: SessionState, e: CaptureEvent, body: Record<string, unknown> | undefined): void {
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

  return {
    push(e) {
      lastT = Math.max(lastT, e.t);
      if (e.conn === undefined) return;
      if (e.layer === "tcp") {
        const s = sessions.get(e.conn);
        if (e.type === "TcpConnect" || e.type === "TcpConnection") session(e.conn, e.t).connectT = e.t;
        else if (s && (e.type === "TcpReset" || e.type === "TcpClose") && !s.stopped && s.messages > 0) {
          s.reasons.push(
            `connection ${e.type === "TcpReset" ? "reset" : "closed"} by the ${e.from === "unknown" ? "peer" : e.from.toUpperCase()} after ${s.last}${s.last === "*start" ? "" : "Req"}`,
          );
          s.stopped = true;
        }
        return;
      }
      if (e.layer !== "v2g") return;
      const s = session(e.conn, e.t);
      s.messages++;
      s.start ??= e.t;
      s.end = e.t;
      if (e.error) {
        addGrouped(
          `U${e.type}`,
          { severity: "error", code: "UNDECODABLE", message: `${e.type}: ${e.error.message}` },
          e,
        );
        return;
      }
      if (e.schema && e.schema !== "apphand") {
        s.schema = e.schema;
        s.family = familyOf(e.schema);
      }
      if (e.warnings?.some((w) => /after End-Document/.test(w))) {
        quirk(
          e,
          "TRAILING_BYTES",
          `${e.type} (${e.from.toUpperCase()}) has bytes after the EXI end (Tesla's trailing byte)`,
        );
      }
      const body = messageBody(e.type, e.message);
      if (e.type === "supportedAppProtocolReq") s.offer = (body?.AppProtocol as SessionState["offer"]) ?? [];
      if (e.type === "supportedAppProtocolRes") {
        s.namespace = s.offer?.find((a) => a.SchemaID === body?.SchemaID)?.ProtocolNamespace;
      }
      const m = /^(.*)(Req|Res)$/.exec(e.type);
      if (!m) return;
      if (m[2] === "Req") onRequest(s, e, m[1]!, body);
      else onResponse(s, e, m[1]!, body);
    },
    finish() {
      const out: SessionSummary[] = [];
      for (const s of sessions.values()) {
        if (s.messages === 0) continue;
        if (s.pending) {
          findings.push({
            severity: "error",
            code: "NO_RESPONSE",
            message: `${s.pending.base}Req got no response (capture ends)`,
            t: s.pending.t,
            frame: s.pending.frame,
            conn: s.conn,
          });
        }
        if (!s.stopped) s.reasons.push(`capture ends during ${s.last}${s.last === "*start" ? "" : "Req"}`);
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
        out.push(sum);
      }
      const responseTimes = [...rt].map(([message, r]) => ({
        message: `${message}Res`,
        count: r.count,
        maxS: r.max,
        meanS: r.sum / r.count,
        limitS: r.limit,
        over: r.over,
      }));
      const counts = { errors: 0, warnings: 0, infos: 0 };
      for (const f of findings)
        counts[f.severity === "error" ? "errors" : f.severity === "warning" ? "warnings" : "infos"] +=
          f.count ?? 1;
      return { sessions: out, responseTimes, findings, counts };
    },
  };
}

/** Build the report of a whole event list. */
export function buildCheckReport(events: Iterable<CaptureEvent>): CheckReport {
  const c = createChecker();
  for (const e of events) c.push(e);
  return c.finish();
}
