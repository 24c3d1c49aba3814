/**
 * `nacs decode --check`: a compliance report built from the decoded event stream —
 * message order against the standard's sequence, each response time against the EVCC timeout and the SECC
 * performance time, sequence / phase timeouts, a session summary (energy, peak power, duration, stop
 * reason), and known field quirks (Tesla's trailing byte and namespace offer, EVSEID `00`, 4-byte
 * SessionIDs), the ISO 15118-2 Plug & Charge signatures (check-signatures.ts) and metering receipts
 * (check-receipt.ts). Incremental: push events,
 * then finish. Pure code. The report's types are in check-report.ts,
 * the per-session bookkeeping in check-session.ts, the limits and sequence tables in check-limits.ts.
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
import { createReceiptChecker } from "./check-receipt.js";
import type { CheckFinding, CheckReport, SessionSummary } from "./check-report.js";
import {
  checkPresentLimits,
  familyOf,
  find,
  idText,
  newSessionState,
  noteEvseStop,
  type SessionState,
  summarizeSession,
  trackPower,
} from "./check-session.js";
import { createSignatureChecker, type SignatureCheckOptions } from "./check-signatures.js";
import type { CaptureEvent } from "./decoder.js";
import { messageBody } from "./fields.js";
import { bytesToHex } from "./keylog.js";

export type { CheckFinding, CheckReport, ResponseTimeStat, SessionSummary } from "./check-report.js";
export type { SignatureCheck, SignatureCheckOptions, SignatureOutcome } from "./check-signatures.js";

/** The incremental checker; see {@link createChecker}. */
export interface Checker {
  push(e: CaptureEvent): void;
  /** `startTime`: Unix s of the capture's first packet (chains are validated at the messages' times). */
  finish(capture?: { startTime?: number | undefined }): CheckReport;
}

/** Options of {@link createChecker}. */
export interface CheckerOptions {
  /** Plug & Charge signatures: certificates and trust anchors given by the user. */
  signatures?: SignatureCheckOptions;
}

/** Create an incremental checker. */
export function createChecker(opts: CheckerOptions = {}): Checker {
  const findings: CheckFinding[] = [];
  const sig = createSignatureChecker(opts.signatures);
  const receipts = createReceiptChecker();
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

  /** Notices about the capture file: damage skipped (every open session may miss messages), link types. */
  function onCapture(e: CaptureEvent): void {
    if (e.type === "CaptureDamage" || e.type === "CaptureTruncated") {
      for (const s of sessions.values()) s.gap = true;
      add(
        {
          severity: "warning",
          code: e.type === "CaptureDamage" ? "CAPTURE_DAMAGED" : "CAPTURE_TRUNCATED",
          message: e.error?.message ?? e.type,
        },
        e,
      );
    } else if (e.type === "UnknownLinkType") {
      add({ severity: "warning", code: "UNKNOWN_LINK_TYPE", message: e.warnings?.join("; ") ?? e.type }, e);
    }
  }

  function session(conn: number, t: number): SessionState {
    let s = sessions.get(conn);
    if (!s) {
      s = newSessionState(conn, t);
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
        s.gap
          ? {
              severity: "info",
              code: "NO_RESPONSE",
              message: `${s.pending.base}Req: no response seen before ${base}Req, but part of the session is missing from the capture`,
            }
          : {
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
      const expected = allowed.map((a) => `${a}Req`).join(" | ") || "nothing";
      const joined = s.last === "*start" && s.midSession;
      add(
        joined || s.gap
          ? {
              severity: "info",
              code: "ORDER",
              message: joined
                ? `${base}Req first: the capture began mid-session`
                : `${base}Req after ${s.last}Req (expected ${expected}): part of the session is missing from the capture`,
            }
          : {
              severity: "error",
              code: "ORDER",
              message: `${base}Req after ${s.last}Req: expected ${expected}`,
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
        quirk(e, "TESLA_NAMESPACE", `the EV offers ${TESLA_NAMESPACE} (Tesla; per pyPLC)`, "info");
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
    const first = !p && s.last === "*start";
    if (!p || p.base !== base) {
      if (first) s.midSession = true;
      const message = `${base}Res without a pending ${base}Req${p ? ` (pending: ${p.base}Req)` : ""}`;
      add(
        first || s.gap
          ? {
              severity: "info",
              code: "UNEXPECTED_RESPONSE",
              message: `${message}: ${first ? "the capture began mid-session" : "part of the session is missing from the capture"}`,
            }
          : { severity: "error", code: "UNEXPECTED_RESPONSE", message },
        e,
      );
    } else {
      s.gap = false;
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
    if (rc === "Failed_NoNegotiation") {
      // the SECC's correct answer when it supports none of the offered protocols: a configuration
      // mismatch, not a fault of either side (ISO 15118-2 / DIN 70121 supportedAppProtocolRes)
      const offer = (s.offer ?? []).map((a) => a.ProtocolNamespace).join(", ") || "(offer not seen)";
      addGrouped(
        "NNoNegotiation",
        {
          severity: "warning",
          code: "NO_COMMON_PROTOCOL",
          message: `supportedAppProtocolRes Failed_NoNegotiation: the SECC supports none of the EV's protocols (${offer})`,
        },
        e,
      );
      s.reasons.push("no common protocol (Failed_NoNegotiation)");
    } else if (typeof rc === "string" && /^FAILED|Failed/.test(rc)) {
      addGrouped(
        `F${base}${rc}`,
        first
          ? {
              severity: "info",
              code: "FAILED",
              message: `${base}Res ResponseCode=${rc} answers a request from before the capture began`,
            }
          : { severity: "error", code: "FAILED", message: `${base}Res ResponseCode=${rc}` },
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
    noteEvseStop(s, body);
    trackPower(s, e, body);
    for (const o of checkPresentLimits(s, e.type, body)) {
      addGrouped(
        `L${o.field}`,
        {
          severity: "error",
          code: "OVER_LIMIT",
          message: `${e.type} #${e.frame}: ${o.field} ${o.value} ${o.unit} is above the EVSE's ${o.limitField} ${o.limit} ${o.unit} (ChargeParameterDiscoveryRes)`,
        },
        e,
      );
    }
  }

  return {
    push(e) {
      lastT = Math.max(lastT, e.t);
      if (e.layer === "capture") {
        onCapture(e);
        return;
      }
      if (e.conn === undefined) return;
      if (e.layer === "tcp") {
        const s = sessions.get(e.conn);
        if (e.type === "TcpConnect" || e.type === "TcpConnection") {
          const ns = session(e.conn, e.t);
          ns.connectT = e.t;
          if (e.type === "TcpConnection") ns.midSession = true;
        } else if (e.type === "gap" && s) s.gap = true;
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
      for (const f of sig.push(e, s.messages)) {
        if (f.code === "SIGNATURE_STRAY") addGrouped(f.code, f, e);
        else add(f, e);
      }
      const body = messageBody(e.type, e.message);
      const receipt = receipts.push(e.conn, e.type, body);
      if (receipt) add(receipt, e);
      if (e.type === "supportedAppProtocolReq") s.offer = (body?.AppProtocol as SessionState["offer"]) ?? [];
      if (e.type === "supportedAppProtocolRes") {
        s.namespace = s.offer?.find((a) => a.SchemaID === body?.SchemaID)?.ProtocolNamespace;
      }
      const m = /^(.*)(Req|Res)$/.exec(e.type);
      if (!m) return;
      if (m[2] === "Req") onRequest(s, e, m[1]!, body);
      else onResponse(s, e, m[1]!, body);
    },
    finish(capture) {
      const out: SessionSummary[] = [];
      for (const s of sessions.values()) {
        if (s.messages === 0) continue;
        if (s.pending) {
          const p = s.pending;
          const limit = p.base === "supportedAppProtocol" ? 2 : evccTimeoutS(s.family ?? "iso2", p.base);
          const left = lastT - p.t;
          const due = left > limit && !s.gap;
          findings.push({
            severity: due ? "error" : "info",
            code: "NO_RESPONSE",
            message: due
              ? `${p.base}Req got no response within its ${limit} s timeout (the capture goes on ${left.toFixed(1)} s)`
              : `${p.base}Req: no response in the capture, which ends ${left.toFixed(3)} s later${s.gap ? " and misses part of the session" : ` (within its ${limit} s timeout)`}`,
            t: p.t,
            frame: p.frame,
            conn: s.conn,
          });
        }
        if (!s.stopped) s.reasons.push(`capture ends during ${s.last}${s.last === "*start" ? "" : "Req"}`);
        out.push(summarizeSession(s));
      }
      const responseTimes = [...rt].map(([message, r]) => ({
        message: `${message}Res`,
        count: r.count,
        maxS: r.max,
        meanS: r.sum / r.count,
        limitS: r.limit,
        over: r.over,
      }));
      const signed = sig.finish(capture?.startTime);
      findings.push(...signed.findings);
      const counts = { errors: 0, warnings: 0, infos: 0 };
      for (const f of findings)
        counts[f.severity === "error" ? "errors" : f.severity === "warning" ? "warnings" : "infos"] +=
          f.count ?? 1;
      return { sessions: out, responseTimes, findings, counts, signatures: signed.signatures };
    },
  };
}

/** Build the report of a whole event list. */
export function buildCheckReport(
  events: Iterable<CaptureEvent>,
  opts: CheckerOptions & { startTime?: number } = {},
): CheckReport {
  const c = createChecker(opts);
  for (const e of events) c.push(e);
  return c.finish({ startTime: opts.startTime });
}
