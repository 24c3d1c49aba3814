/**
 * The verdict of a case with the car under test (`--sut evcc`) from its trace (pure). The trace's `rx`
 * events are the car's requests, its `tx` events the tester's responses; `close` by "remote" is the car
 * closing the connection, `cp` the CP state the tester's EVSE reads (IEC 61851-1: B = S2 open, C = S2
 * closed), `inlet` the tester's output current crossing 1 A, `sdp` the car's SDP requests.
 */
import type { CaseTrace, ConformanceCase, FieldCheck, SutLimits, TraceEvent, Verdict } from "../types.js";
import { limitMs } from "../verdict.js";
import { checkFields, fail } from "../verdict-parts.js";

type Rx = Extract<TraceEvent, { kind: "rx" }>;
type Close = Extract<TraceEvent, { kind: "close" }>;

/** Requests of the car's charge loop (DC / AC). */
export const CHARGE_LOOP_REQUESTS = ["CurrentDemandReq", "ChargingStatusReq"];

const requests = (t: CaseTrace): Rx[] => t.events.filter((e): e is Rx => e.kind === "rx");

function firstClose(t: CaseTrace, after: number): Close | undefined {
  return t.events.find((e): e is Close => e.kind === "close" && e.tMs >= after);
}

function closeSeen(c: Close | undefined, from: number): string {
  if (!c) return "connection still open at the end of the case";
  const who = c.by === "remote" ? "the car" : c.by === "tester" ? "the tester" : "the tester's SECC";
  return `closed by ${who} ${(c.tMs - from).toFixed(0)} ms later`;
}

/** The fields of a request checked; a fail verdict or null. */
const checkRequestFields = (rule: string, r: Rx, fields: readonly FieldCheck[] | undefined): Verdict | null =>
  checkFields(rule, r.name, r.body ?? {}, fields);

/** The verdict of EVCC case `c` on trace `t`. */
export function judgeEvcc(c: ConformanceCase, t: CaseTrace, limits: SutLimits): Verdict {
  if (t.setupError) return { verdict: "inconclusive", why: t.setupError };
  const rule = c.requirement[0] ?? c.id;
  const bad = t.events.find((e) => e.kind === "rx-bad");
  if (bad?.kind === "rx-bad")
    return fail(rule, "undecodable message from the car", "EXI", "a V2G message", bad.error);
  const rxs = requests(t);
  if (c.tester.kind !== "normal" && t.deviationAtMs === null)
    return {
      verdict: "inconclusive",
      why: `the session never reached ${c.tester.at.message} #${c.tester.at.occurrence ?? 1} (the deviation's trigger)`,
    };
  const dev = t.deviationAtMs ?? 0;
  const tol = limits.toleranceMs;
  const e = c.expect;
  switch (e.kind) {
    case "ev-session-ok": {
      const names = new Set(rxs.map((r) => r.name));
      if (!CHARGE_LOOP_REQUESTS.some((n) => names.has(n)))
        return fail(
          rule,
          "CurrentDemandReq",
          "message",
          "a charge loop",
          `last: ${rxs.at(-1)?.name ?? "nothing"}`,
        );
      if (!names.has("SessionStopReq"))
        return fail(
          rule,
          "SessionStopReq",
          "message",
          "SessionStopReq",
          `last: ${rxs.at(-1)?.name ?? "nothing"}`,
        );
      return { verdict: "pass" };
    }
    case "ev-request": {
      const next = rxs.find((r) => r.tMs > dev);
      const want = e.requests.join(" or ");
      if (!next) return fail(rule, "(next request)", "message", want, closeSeen(firstClose(t, dev), dev));
      if (!e.requests.includes(next.name)) return fail(rule, next.name, "message", want, next.name);
      return checkRequestFields(rule, next, e.fields) ?? { verdict: "pass" };
    }
    case "ev-ends": {
      const allow = e.allow ?? ["SessionStopReq"];
      const other = rxs.find((r) => r.tMs > dev && !allow.includes(r.name));
      if (other)
        return fail(
          rule,
          other.name,
          "message",
          `no request${allow.length ? ` but ${allow.join(", ")}` : ""}: the session ends`,
          other.name,
        );
      const base = rxs.filter((r) => r.tMs <= dev).at(-1)?.tMs ?? dev;
      const within = limitMs(e.withinMs, limits);
      const cl = firstClose(t, dev);
      // the car may end with SessionStop: then the SECC closing after SessionStopRes is the end as well
      const said = rxs.some((r) => r.tMs > dev && r.name === "SessionStopReq");
      if (cl?.by !== "tester") {
        if (!cl || (cl.by !== "remote" && !said && !e.anyClose) || cl.tMs - base > within + tol)
          return fail(
            rule,
            "(connection)",
            "connection",
            `closed by the car within ${within} ms`,
            closeSeen(cl, base),
          );
        if (e.notBeforeMs !== undefined) {
          const min = limitMs(e.notBeforeMs, limits);
          if (cl.tMs - base < min - tol)
            return fail(
              rule,
              "(connection)",
              "connection",
              `not closed before ${min} ms`,
              closeSeen(cl, base),
            );
        }
      }
      // S2: the CP state in C at the deviation must leave C (B, or A unplugged) in time
      const cps = t.events.filter((x): x is Extract<TraceEvent, { kind: "cp" }> => x.kind === "cp");
      if (cps.filter((x) => x.tMs <= dev).at(-1)?.state === "C") {
        const open = cps.find((x) => x.tMs > dev && x.state !== "C");
        if (!open || open.tMs - base > within + tol)
          return fail(
            rule,
            "(pilot)",
            "S2",
            `open (CP state B) within ${within} ms`,
            open ? `CP ${open.state} after ${(open.tMs - base).toFixed(0)} ms` : "CP still in state C",
          );
      }
      const inlet = t.events.filter((x): x is Extract<TraceEvent, { kind: "inlet" }> => x.kind === "inlet");
      const on = inlet.filter((x) => x.tMs <= dev).at(-1);
      if (on && on.currentA >= 1) {
        const off = inlet.find((x) => x.tMs > dev && x.currentA < 1);
        if (!off || off.tMs - base > within + tol)
          return fail(
            rule,
            "(output)",
            "inletCurrent",
            `below 1 A within ${within} ms`,
            off
              ? `below 1 A after ${(off.tMs - base).toFixed(0)} ms`
              : "still flowing at the end of the case",
          );
      }
      return { verdict: "pass" };
    }
    case "ev-sdp-retry": {
      const sdp = t.events.filter((x) => x.kind === "ev-sdp").length;
      const sap = rxs.some((r) => r.name === "supportedAppProtocolReq");
      if (sdp < e.minRequests || !sap)
        return fail(
          rule,
          "SDP",
          "SDP",
          `≥ ${e.minRequests} SDP requests, then the V2G session`,
          `${sdp} SDP request${sdp === 1 ? "" : "s"}${sap ? "" : ", no V2G session"}`,
        );
      return { verdict: "pass" };
    }
    case "ev-refuses-tls": {
      if (!t.events.some((x) => x.kind === "ev-sdp"))
        return { verdict: "inconclusive", why: "the car sent no SDP request" };
      const first = rxs[0];
      if (first)
        return fail(
          rule,
          first.name,
          "TLS",
          "no V2G message over a connection whose server certificate does not chain to the car's root",
          `${first.name} sent`,
        );
      return { verdict: "pass" };
    }
    default:
      return { verdict: "inconclusive", why: `${e.kind}: not an expectation of a car under test` };
  }
}
