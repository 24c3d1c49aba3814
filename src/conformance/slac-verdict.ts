/**
 * The verdict of a SLAC case (ISO 15118-3) and of an SDP case (ISO 15118-2 §7.10.1) from its trace (pure):
 * the checks on the SUT's SLAC frames as the tester's frame port saw them, and the SUT's answers to the
 * tester's SDP probes. A case whose tester never got as far as its first SLAC frame or SDP probe is
 * inconclusive; a SUT that never answers fails the check that needs the answer.
 */
import { nidFromNmk } from "../slac/keys.js";
import { hex } from "../slac/matching/messages.js";
import type {
  CaseTrace,
  ConformanceCase,
  SdpAnswer,
  SlacCheck,
  SlacFrameRef,
  SlacPeer,
  TraceEvent,
  Verdict,
} from "./types.js";
import { fail } from "./verdict-parts.js";
import { bytesOfHex } from "./wire-codec.js";

type SlacEv = Extract<TraceEvent, { kind: "slac" }>;
type SdpEv = Extract<TraceEvent, { kind: "sdp" }>;

/**
 * Allowance on SLAC response times measured at the tester's raw socket (scheduling of two processes on a
 * veth or a modem's own latency). Design choice (D).
 */
export const SLAC_TOLERANCE_MS = 100;

const nth = (n: number | undefined) => n ?? 1;
const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));

/** The value of `path` in a recorded frame: "src", "dst", or a field of the MME. */
function fieldOf(e: SlacEv, path: string): unknown {
  if (path === "src") return e.src;
  if (path === "dst") return e.dst;
  return e.fields[path];
}

/** The verdict of a SLAC case: every check in order, the first failing one is reported. */
export function judgeSlac(c: ConformanceCase, t: CaseTrace, checks: readonly SlacCheck[]): Verdict {
  const rule = c.requirement[0] ?? c.id;
  const slac = t.events.filter((e): e is SlacEv => e.kind === "slac");
  const mac = { tester: t.slac?.testerMac ?? "", "second-ev": t.slac?.secondEvMac ?? "" };
  const sent = slac.filter((e) => e.dir === "tx" && !e.held);
  if (!sent.some((e) => e.src === mac.tester))
    return { verdict: "inconclusive", why: t.setupError ?? "the tester's EV sent no SLAC frame" };
  const rx = slac.filter((e) => e.dir === "rx");
  const to = (peer: SlacPeer | undefined) => rx.filter((e) => e.dst === mac[peer ?? "tester"]);
  const pick = (frame: string, occurrence: number | undefined, peer: SlacPeer | undefined) =>
    to(peer).filter((e) => e.name === frame)[nth(occurrence) - 1];
  const txOf = (ref: SlacFrameRef) =>
    sent.filter((e) => e.src === mac.tester && e.name === ref.frame)[nth(ref.occurrence) - 1];
  const missing = (frame: string, occurrence: number | undefined, peer: SlacPeer | undefined) =>
    fail(
      rule,
      frame,
      "message",
      `${frame} #${nth(occurrence)} to the ${peer === "second-ev" ? "second EV" : "tester's EV"}`,
      `${to(peer).filter((e) => e.name === frame).length} received${t.setupError ? ` (${t.setupError})` : ""}`,
    );

  for (const k of checks) {
    switch (k.kind) {
      case "field": {
        const r = pick(k.frame, k.occurrence, k.to);
        if (!r) return missing(k.frame, k.occurrence, k.to);
        const v = fieldOf(r, k.path);
        if (!k.oneOf.some((x) => JSON.stringify(x) === JSON.stringify(v)))
          return fail(rule, k.frame, k.path, k.oneOf.map((x) => JSON.stringify(x)).join(" or "), show(v));
        break;
      }
      case "echo": {
        const r = pick(k.frame, k.occurrence, k.to);
        if (!r) return missing(k.frame, k.occurrence, k.to);
        const from = mac[k.to ?? "tester"];
        const req = sent.filter((e) => e.src === from && e.name === k.of.frame && e.tMs <= r.tMs).at(-1);
        if (!req)
          return {
            verdict: "inconclusive",
            why: `no ${k.of.frame} of the tester before ${k.frame}`,
          };
        const want = fieldOf(req, k.of.path);
        const v = fieldOf(r, k.path);
        if (JSON.stringify(want) !== JSON.stringify(v))
          return fail(rule, k.frame, k.path, `${show(want)} (${k.of.frame} ${k.of.path})`, show(v));
        break;
      }
      case "length": {
        const r = pick(k.frame, k.occurrence, k.to);
        if (!r) return missing(k.frame, k.occurrence, k.to);
        const v = fieldOf(r, k.path);
        const len = typeof v === "string" ? v.length / 2 : Array.isArray(v) ? v.length : undefined;
        if (len !== k.length) return fail(rule, k.frame, k.path, `${k.length} bytes`, `${len ?? "(absent)"}`);
        break;
      }
      case "within": {
        const a = txOf(k.after);
        if (!a) return { verdict: "inconclusive", why: `the tester never sent ${k.after.frame}` };
        const r = pick(k.frame, k.occurrence, k.to);
        if (!r) return missing(k.frame, k.occurrence, k.to);
        const dt = r.tMs - a.tMs;
        if (dt > k.withinMs + SLAC_TOLERANCE_MS)
          return fail(
            rule,
            k.frame,
            "responseTime",
            `≤ ${k.withinMs} ms after ${k.after.frame} #${nth(k.after.occurrence)} (+${SLAC_TOLERANCE_MS} ms tolerance)`,
            `${dt.toFixed(1)} ms`,
          );
        break;
      }
      case "none": {
        const a = txOf(k.from);
        if (!a) return { verdict: "inconclusive", why: `the tester never sent ${k.from.frame}` };
        const until = k.until ? (txOf(k.until)?.tMs ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
        const r = to(k.to).find((e) => e.name === k.frame && e.tMs >= a.tMs && e.tMs < until);
        if (r)
          return fail(
            rule,
            k.frame,
            "message",
            `no ${k.frame} after ${k.from.frame} #${nth(k.from.occurrence)}${k.until ? ` before ${k.until.frame} #${nth(k.until.occurrence)}` : ""}`,
            `${k.frame} ${(r.tMs - a.tMs).toFixed(0)} ms later${r.fields.runId ? ` (RunID ${String(r.fields.runId)})` : ""}`,
          );
        break;
      }
      case "nid-of-nmk": {
        const r = pick(k.frame, k.occurrence, "tester");
        if (!r) return missing(k.frame, k.occurrence, "tester");
        const nmk = r.fields.nmk;
        const nid = r.fields.nid;
        let want = "(no NMK)";
        try {
          if (typeof nmk === "string") want = hex(nidFromNmk(bytesOfHex(nmk)));
        } catch {
          // a malformed NMK: reported below
        }
        if (nid !== want) return fail(rule, k.frame, "nid", `${want} (NID from the NMK)`, show(nid));
        break;
      }
      case "matched": {
        const cnf = to("tester").find((e) => e.name === "CM_SLAC_MATCH.CNF");
        const v2g = t.events.some((e) => e.kind === "rx" && e.name === "supportedAppProtocolRes");
        if (!cnf || !v2g)
          return fail(
            rule,
            "CM_SLAC_MATCH.CNF",
            "matching",
            "CM_SLAC_MATCH.CNF to the tester's EV, then a V2G session",
            !cnf
              ? `no CM_SLAC_MATCH.CNF (last from the SUT: ${rx.at(-1)?.name ?? "nothing"})`
              : `no V2G session after the match${t.setupError ? ` (${t.setupError})` : ""}`,
          );
        break;
      }
    }
  }
  return { verdict: "pass" };
}

/** The verdict of an SDP case: each probe answered (with what the SUT offers) or not, as expected. */
export function judgeSdp(c: ConformanceCase, t: CaseTrace, answers: readonly SdpAnswer[]): Verdict {
  const rule = c.requirement[0] ?? c.id;
  const sdp = t.events.filter((e): e is SdpEv => e.kind === "sdp");
  const offered = t.sdp;
  if (!offered || !sdp.some((e) => e.dir === "tx"))
    return { verdict: "inconclusive", why: t.setupError ?? "the tester sent no SDP probe" };
  for (const [i, want] of answers.entries()) {
    const msg = `SDP response to request #${i + 1}`;
    if (!sdp.some((e) => e.dir === "tx" && e.probe === i))
      return { verdict: "inconclusive", why: `SDP request #${i + 1} was not sent` };
    const got = sdp.filter((e) => e.dir === "rx" && e.probe === i);
    if (want === "silent") {
      if (got[0]) return fail(rule, msg, "message", "no response", `a response (${got[0].bytes})`);
      continue;
    }
    if (want === "offered" && got.length === 0)
      return fail(rule, msg, "message", "an SDP response", "no response");
    for (const r of got) {
      if (r.error) return fail(rule, msg, "datagram", "an SDP response", `undecodable: ${r.error}`);
      if (r.security !== offered.security)
        return fail(
          rule,
          msg,
          "Security",
          `0x${offered.security.toString(16).padStart(2, "0")} (what the SECC offers)`,
          `0x${(r.security ?? 0).toString(16).padStart(2, "0")}`,
        );
      if (r.transport !== offered.transport)
        return fail(
          rule,
          msg,
          "TransportProtocol",
          `0x${offered.transport.toString(16).padStart(2, "0")} (TCP)`,
          `0x${(r.transport ?? 0).toString(16).padStart(2, "0")}`,
        );
    }
  }
  return { verdict: "pass" };
}
