/**
 * Reports of a conformance run: the `--json` summary, JUnit XML (`junit.xml`: one testsuite per protocol,
 * one testcase per case; a fail is a <failure>, an inconclusive case <skipped>), and one self-contained
 * HTML page (`report.html`: a row per case with its verdict, the requirement, and its message sequence
 * with times). Pure string building.
 */

import { timingChartSvg } from "./report-chart.js";
import type { CaseResult } from "./runner.js";
import type { SutLimits, TraceEvent, Verdict } from "./types.js";

/** One case in the `--json` summary. */
export interface CaseSummary {
  id: string;
  title: string;
  protocol: string;
  group: string;
  requirement: string[];
  verdict: Verdict["verdict"];
  details: Omit<Verdict, "verdict"> | null;
  knownDeviation?: string;
  durationMs: number;
  /** Response times of the SUT in this case (ms), by message. */
  responseTimesMs: Record<string, number[]>;
}

/** The `--json` summary. */
export interface RunSummary {
  sut: "secc" | "evcc";
  profile: string;
  total: number;
  passed: number;
  failed: number;
  inconclusive: number;
  durationMs: number;
  cases: CaseSummary[];
}

function responseTimes(events: readonly TraceEvent[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const e of events) {
    if (e.kind !== "rx" || e.afterMs === null) continue;
    const list = out[e.name] ?? [];
    list.push(e.afterMs);
    out[e.name] = list;
  }
  return out;
}

/** The `--json` summary of a run. */
export function summarize(
  results: readonly CaseResult[],
  profile: string,
  durationMs: number,
  sut: "secc" | "evcc" = "secc",
): RunSummary {
  const count = (v: string) => results.filter((r) => r.verdict.verdict === v).length;
  return {
    sut,
    profile,
    total: results.length,
    passed: count("pass"),
    failed: count("fail"),
    inconclusive: count("inconclusive"),
    durationMs: Math.round(durationMs),
    cases: results.map((r) => {
      const { verdict, ...details } = r.verdict;
      return {
        id: r.id,
        title: r.title,
        protocol: r.protocol,
        group: r.group,
        requirement: r.requirement,
        verdict,
        details: verdict === "pass" ? null : details,
        ...(r.knownDeviation && { knownDeviation: r.knownDeviation }),
        durationMs: r.durationMs,
        responseTimesMs: responseTimes(r.trace.events),
      };
    }),
  };
}

/**
 * The cases of a run that neither passed nor carry a known deviation, one line each (ID, verdict, details):
 * what a run against our own stack must not have.
 */
export function notPassed(s: Pick<RunSummary, "cases">): string[] {
  return s.cases
    .filter((c) => c.verdict !== "pass" && !c.knownDeviation)
    .map((c) => `${c.id} ${c.verdict}: ${JSON.stringify(c.details)}`);
}

/** Escape text for XML / HTML. */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );
}

/** One line of a trace event for reports. */
export function traceLine(e: TraceEvent): string {
  const t = `${e.tMs.toFixed(1).padStart(9)} ms`;
  switch (e.kind) {
    case "open":
      return `${t}  connection open`;
    case "tx":
      return `${t}  → ${e.name} (${e.bytes} B)${e.note ? ` [${e.note}]` : ""}`;
    case "rx":
      return `${t}  ← ${e.name}${e.code ? ` ${e.code}` : ""}${e.afterMs !== null ? ` after ${e.afterMs} ms` : ""}`;
    case "rx-bad":
      return `${t}  ← undecodable: ${e.error}`;
    case "close":
      return `${t}  connection closed by the ${e.by === "remote" ? "SUT" : e.by === "tester" ? "tester" : "tester's controller"}`;
    case "inlet":
      return `${t}  inlet ${e.currentA.toFixed(1)} A, ${e.voltageV.toFixed(0)} V`;
    case "ev-stop":
      return `${t}  tester's EV stopped: ${e.reason}`;
    case "board":
      return `${t}  tester's board: ${e.note}`;
    case "cp":
      return `${t}  CP state ${e.state}`;
    case "ev-sdp":
      return `${t}  ← SDP request${e.answered ? "" : " (left unanswered)"}`;
    case "evse-input":
      return `${t}  tester's EVSE: ${e.input}`;
    case "slac":
      return `${t}  ${e.dir === "tx" ? (e.held ? "✗" : "→") : "←"} ${e.name} ${e.src} → ${e.dst}${e.note ? ` [${e.note}]` : ""}`;
    case "sdp":
      return `${t}  ${e.dir === "tx" ? "→" : "←"} SDP ${e.dir === "tx" ? "request" : "response"} #${e.probe + 1} ${e.bytes}${e.error ? ` (${e.error})` : ""}`;
  }
}

/** The role under test of a result ("secc" / "evcc", from its case ID). */
const sutOf = (r: CaseResult): string => (r.id.startsWith("evcc-") ? "evcc" : "secc");

function failureText(v: Verdict): string {
  if (v.verdict === "fail")
    return `${v.rule}: ${v.message}: ${v.field}: expected ${v.expected}, seen ${v.seen}`;
  if (v.verdict === "inconclusive") return v.why;
  return "";
}

/** JUnit XML of a run. */
export function junitXml(results: readonly CaseResult[]): string {
  const protocols = [...new Set(results.map((r) => r.protocol))];
  const suites = protocols.map((p) => {
    const rs = results.filter((r) => r.protocol === p);
    const secs = (ms: number) => (ms / 1000).toFixed(3);
    const cases = rs.map((r) => {
      const name = escapeXml(`${r.id}: ${r.title}`);
      const trace = escapeXml(r.trace.events.map(traceLine).join("\n"));
      const body =
        r.verdict.verdict === "fail"
          ? `<failure message="${escapeXml(failureText(r.verdict))}" type="${escapeXml(r.verdict.rule)}">${escapeXml(failureText(r.verdict))}</failure>`
          : r.verdict.verdict === "inconclusive"
            ? `<skipped message="${escapeXml(`inconclusive: ${r.verdict.why}`)}"/>`
            : "";
      return `    <testcase classname="nacs.conformance.${sutOf(r)}.${p}.${r.group}" name="${name}" time="${secs(r.durationMs)}">${body}<system-out>${trace}</system-out></testcase>`;
    });
    const failures = rs.filter((r) => r.verdict.verdict === "fail").length;
    const skipped = rs.filter((r) => r.verdict.verdict === "inconclusive").length;
    const time = secs(rs.reduce((a, r) => a + r.durationMs, 0));
    return `  <testsuite name="${rs[0] ? sutOf(rs[0]) : "secc"}-${p}" tests="${rs.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="nacs conformance">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** What the HTML report adds to each case beyond its trace. */
export interface HtmlReportOptions {
  /** The SUT's limits: the timing chart marks each response's performance limit. */
  limits?: SutLimits;
  /** The case's capture (pcapng), embedded as a download link; undefined: none. */
  pcapOf?: (r: CaseResult) => Uint8Array | undefined;
}

/** Base64 of `bytes` (btoa: in browsers and Node 20). */
function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 0x8000)));
  return btoa(s);
}

/** File name of a case's pcapng (the case ID with characters a file name should not hold replaced). */
export function casePcapName(r: Pick<CaseResult, "id">): string {
  return `${r.id.replace(/[^A-Za-z0-9._-]/g, "_")}.pcapng`;
}

/**
 * A self-contained HTML report (inline CSS and SVG, no scripts, no external resources): a row per case with
 * its verdict, the requirement, its timing chart and message sequence, and its pcapng as a download.
 */
export function htmlReport(
  results: readonly CaseResult[],
  summary: RunSummary,
  o: HtmlReportOptions = {},
): string {
  const rows = results
    .map((r) => {
      const v = r.verdict.verdict;
      const details = failureText(r.verdict);
      const trace = escapeXml(r.trace.events.map(traceLine).join("\n"));
      const pcap = o.pcapOf?.(r);
      const download = pcap
        ? `<br><a download="${escapeXml(casePcapName(r))}" href="data:application/vnd.tcpdump.pcap;base64,${base64(pcap)}">pcapng (${pcap.length} B)</a>`
        : "";
      return `<tr class="${v}"><td><code>${escapeXml(r.id)}</code></td><td>${escapeXml(r.title)}</td><td>${escapeXml(r.requirement.join(", "))}</td><td class="v">${v}${r.knownDeviation ? `<br><small>known deviation: ${escapeXml(r.knownDeviation)}</small>` : ""}</td><td>${escapeXml(details)}</td><td>${(r.durationMs / 1000).toFixed(1)} s</td><td><details><summary>${r.trace.events.length} events</summary>${timingChartSvg(r.trace, o.limits)}<pre>${trace}</pre></details>${download}</td></tr>`;
    })
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>nacs conformance: ${escapeXml(summary.profile)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
tr.pass td.v{background:#d9f2d9}tr.fail td.v{background:#f7d4d4}tr.inconclusive td.v{background:#f5ecc8}
pre{margin:0;font-size:12px}svg.chart{display:block;margin:4px 0}
</style></head><body>
<h1>nacs conformance — ${summary.sut === "evcc" ? "EVCC (car)" : "SECC"} under test: ${escapeXml(summary.profile)}</h1>
<p>${summary.total} cases: ${summary.passed} passed, ${summary.failed} failed, ${summary.inconclusive} inconclusive, in ${(summary.durationMs / 1000).toFixed(1)} s.</p>
<table><thead><tr><th>Case</th><th>Title</th><th>Requirement</th><th>Verdict</th><th>Details</th><th>Time</th><th>Timing chart, message sequence, capture</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
