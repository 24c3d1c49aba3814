/**
 * The verdict of a case from its trace (pure): pass, fail naming the rule, the message, the field, what
 * was expected and what was seen, or inconclusive when the case could not be set up or never reached its
 * trigger. V2G is strictly request/response (one request, one response), so the n-th message of the SUT
 * answers the tester's n-th request.
 */

import { V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS } from "../v2g/session/timeouts.js";
import { judgeEvcc } from "./evcc/verdict.js";
import { judgeSdp, judgeSlac } from "./slac-verdict.js";
import type {
  CaseTrace,
  ConformanceCase,
  ConformanceProtocol,
  LimitRef,
  SutLimits,
  TraceEvent,
  Verdict,
} from "./types.js";
import { checkFields, fail } from "./verdict-parts.js";

type Rx = Extract<TraceEvent, { kind: "rx" }>;
type Tx = Extract<TraceEvent, { kind: "tx" }>;

/** The name of the SECC performance-time rule of a protocol. */
export function performanceRule(p: ConformanceProtocol): string {
  if (p === "iso20") return "ISO 15118-20 V2G_SECC_Msg_Performance_Time";
  return p === "din"
    ? "DIN 70121 V2G_SECC_Msg_Performance_Time"
    : "ISO 15118-2 V2G_SECC_Msg_Performance_Time";
}

/**
 * The charge-loop responses of the protocols and energy transfers: DIN 70121 / ISO 15118-2 DC
 * CurrentDemandRes, ISO 15118-2 AC ChargingStatusRes, ISO 15118-20 DC_ChargeLoopRes / AC_ChargeLoopRes.
 */
export const CHARGE_LOOP_RESPONSES: readonly string[] = [
  "CurrentDemandRes",
  "ChargingStatusRes",
  "DC_ChargeLoopRes",
  "AC_ChargeLoopRes",
];

/** A named limit in ms. */
export function limitMs(l: LimitRef, limits: SutLimits): number {
  if (typeof l === "number") return l;
  if (l === "sequenceTimeout") return limits.sequenceTimeoutMs;
  if (l === "chargeLoopTimeout") return limits.chargeLoopTimeoutMs;
  if (l === "iso20ChargeLoopSequenceTimeout")
    return limits.iso20ChargeLoopSequenceTimeoutMs ?? V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS;
  return limits.connectionLossOffMs;
}

/**
 * The performance limit of a response (ms): the protocol's own (`iso20:PowerDeliveryRes`) first, then the
 * response's, then the protocol's default (`iso20:default`), then `default`.
 */
export function performanceLimitMs(name: string, limits: SutLimits, protocol?: ConformanceProtocol): number {
  const pm = limits.performanceMs;
  const own = protocol ? pm[`${protocol}:${name}`] : undefined;
  const ownDefault = protocol ? pm[`${protocol}:default`] : undefined;
  return own ?? pm[name] ?? ownDefault ?? pm.default ?? Number.POSITIVE_INFINITY;
}

/** Requests the tester put on the wire (not the held ones). */
function sentRequests(t: CaseTrace): Tx[] {
  return t.events.filter((e): e is Tx => e.kind === "tx" && e.bytes > 0);
}

function responses(t: CaseTrace): Rx[] {
  return t.events.filter((e): e is Rx => e.kind === "rx");
}

/** Performance time of one response; a fail verdict or null. */
function checkPerformance(r: Rx, p: ConformanceProtocol, limits: SutLimits): Verdict | null {
  const lim = performanceLimitMs(r.name, limits, p);
  if (r.afterMs === null || r.afterMs <= lim + limits.toleranceMs) return null;
  return fail(
    performanceRule(p),
    r.name,
    "responseTime",
    `≤ ${lim} ms${limits.toleranceMs ? ` (+${limits.toleranceMs} ms tolerance)` : ""}`,
    `${r.afterMs.toFixed(1)} ms`,
  );
}

function firstClose(t: CaseTrace, after: number): Extract<TraceEvent, { kind: "close" }> | undefined {
  return t.events.find(
    (e): e is Extract<TraceEvent, { kind: "close" }> => e.kind === "close" && e.tMs >= after,
  );
}

function closeSeen(c: Extract<TraceEvent, { kind: "close" }> | undefined, from: number): string {
  if (!c) return "connection still open at the end of the case";
  return `closed by the ${c.by === "remote" ? "SECC" : "tester"} ${(c.tMs - from).toFixed(0)} ms later`;
}

/**
 * A TLS handshake the SECC must refuse: fail when it answered any V2G message on the connection; pass when
 * the connection failed at TLS or was closed by the SECC before any answer; inconclusive when the tester
 * never reached the SECC (no SDP answer) or could not present the credential.
 */
function judgeTlsRefused(c: ConformanceCase, t: CaseTrace): Verdict {
  const rule = c.requirement[0] ?? c.id;
  const answered = responses(t)[0];
  if (answered)
    return fail(
      rule,
      answered.name,
      "tlsHandshake",
      "handshake refused, no V2G message answered",
      `${answered.name} ${answered.code ?? ""}`.trim(),
    );
  const why = t.setupError ?? "";
  if (/tester:|credential|SDP|not ready/.test(why)) return { verdict: "inconclusive", why };
  const refused =
    /connect failed|TLS|tls|handshake|certificate|alert/.test(why) ||
    t.events.some((e) => e.kind === "close" && e.by === "remote");
  if (refused) return { verdict: "pass" };
  return { verdict: "inconclusive", why: why || "no TLS connection was attempted" };
}

/** The verdict of case `c` on trace `t` with the SUT's limits. */
export function judge(c: ConformanceCase, t: CaseTrace, limits: SutLimits): Verdict {
  if (c.sut === "evcc") return judgeEvcc(c, t, limits);
  if (c.expect.kind === "tls-refused") return judgeTlsRefused(c, t);
  // below V2G (slac-verdict.ts): a SUT that does not match is a fail of its SLAC check, not a setup error
  if (c.expect.kind === "slac") return judgeSlac(c, t, c.expect.checks);
  if (c.expect.kind === "sdp") return judgeSdp(c, t, c.expect.answers);
  if (t.setupError) return { verdict: "inconclusive", why: t.setupError };
  const rule = c.requirement[0] ?? c.id;
  const bad = t.events.find((e) => e.kind === "rx-bad");
  if (bad && bad.kind === "rx-bad")
    return fail(rule, "undecodable message from the SUT", "EXI", "a V2G message", bad.error);
  const rxs = responses(t);
  if (c.tester.kind !== "normal" && t.deviationAtMs === null)
    return {
      verdict: "inconclusive",
      why: `the session never reached ${c.tester.at.message} #${c.tester.at.occurrence ?? 1} (the deviation's trigger)`,
    };
  const e = c.expect;
  switch (e.kind) {
    case "session-ok": {
      for (const r of rxs) {
        if (r.code !== undefined && !r.code.startsWith("OK"))
          return fail(rule, r.name, "ResponseCode", "OK", r.code);
        const slow = checkPerformance(r, t.protocol, limits);
        if (slow) return slow;
      }
      const names = new Set(rxs.map((r) => r.name));
      const loop = CHARGE_LOOP_RESPONSES.find((n) => names.has(n));
      const loopNeed = t.protocol === "iso20" ? "DC_ChargeLoopRes or AC_ChargeLoopRes" : "CurrentDemandRes";
      for (const need of [loop ?? loopNeed, "SessionStopRes"])
        if (!names.has(need))
          return fail(
            rule,
            need,
            "message",
            `${need} in the session`,
            `last: ${rxs.at(-1)?.name ?? "nothing"}`,
          );
      return { verdict: "pass" };
    }
    case "response": {
      const txs = sentRequests(t);
      const idx = txs.findIndex((x) => x.deviation);
      const r = idx >= 0 ? rxs[idx] : undefined;
      const from = txs[idx]?.tMs ?? t.deviationAtMs ?? 0;
      if (!r) return fail(rule, e.response, "message", e.response, closeSeen(firstClose(t, from), from));
      if (r.name !== e.response) return fail(rule, e.response, "message", e.response, r.name);
      if (r.code === undefined || !e.codes.includes(r.code))
        return fail(rule, r.name, "ResponseCode", e.codes.join(" or "), r.code ?? "(none)");
      const slow = checkPerformance(r, t.protocol, limits);
      if (slow) return slow;
      const wrongField = checkFields(rule, r.name, r.body ?? {}, e.fields);
      if (wrongField) return wrongField;
      if (e.thenClose) {
        const cl = firstClose(t, r.tMs);
        const within = limitMs(e.thenClose.withinMs, limits);
        if (!cl || cl.by !== "remote" || cl.tMs - r.tMs > within + limits.toleranceMs)
          return fail(
            rule,
            r.name,
            "connection",
            `closed by the SECC within ${within} ms`,
            closeSeen(cl, r.tMs),
          );
      }
      return { verdict: "pass" };
    }
    case "closes": {
      const dev = t.deviationAtMs ?? 0;
      const before = rxs.filter((r) => r.tMs <= dev);
      const base = before.at(-1)?.tMs ?? dev;
      const answered = rxs.find((r) => r.tMs > dev);
      if (answered)
        return fail(
          rule,
          answered.name,
          "message",
          "no response",
          `${answered.name} ${answered.code ?? ""}`.trim(),
        );
      const within = limitMs(e.withinMs, limits);
      const cl = firstClose(t, dev);
      if (!cl || cl.by !== "remote" || cl.tMs - base > within + limits.toleranceMs)
        return fail(
          rule,
          "(connection)",
          "connection",
          `closed by the SECC within ${within} ms`,
          closeSeen(cl, base),
        );
      if (e.notBeforeMs !== undefined) {
        const min = limitMs(e.notBeforeMs, limits);
        if (cl.tMs - base < min - limits.toleranceMs)
          return fail(rule, "(connection)", "connection", `not closed before ${min} ms`, closeSeen(cl, base));
      }
      return { verdict: "pass" };
    }
    case "output-off": {
      const dev = t.deviationAtMs ?? 0;
      const inlet = t.events.filter((x): x is Extract<TraceEvent, { kind: "inlet" }> => x.kind === "inlet");
      const on = inlet.filter((x) => x.tMs <= dev).at(-1);
      if (!on || on.currentA < 1)
        return { verdict: "inconclusive", why: "no current flowed when the tester deviated" };
      const off = inlet.find((x) => x.tMs > dev && x.currentA < 1);
      const within = limitMs(e.withinMs, limits);
      if (!off || off.tMs - dev > within + limits.toleranceMs)
        return fail(
          rule,
          "(output)",
          "inletCurrent",
          `below 1 A within ${within} ms`,
          off ? `below 1 A after ${(off.tMs - dev).toFixed(0)} ms` : "still flowing at the end of the case",
        );
      return { verdict: "pass" };
    }
    default:
      // a car's expectations (judgeEvcc), SLAC and SDP (slac-verdict.ts): judged above
      return { verdict: "inconclusive", why: `${e.kind}: not an expectation judged here` };
  }
}
