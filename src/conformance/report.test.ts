/** Reports: the `--json` summary, JUnit XML (fail → <failure>, inconclusive → <skipped>), self-contained HTML. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { casePcapName, escapeXml, htmlReport, junitXml, notPassed, summarize } from "./report.js";
import type { CaseResult } from "./runner.js";

const result = (
  id: string,
  verdict: CaseResult["verdict"],
  protocol: "din" | "iso2" = "din",
): CaseResult => ({
  id,
  title: `title <${id}> & more`,
  protocol,
  group: "sequence",
  requirement: ["[V2G-DC-252]"],
  verdict,
  durationMs: 1234,
  trace: {
    protocol,
    events: [
      { kind: "tx", tMs: 1, name: "SessionSetupReq", bytes: 30 },
      { kind: "rx", tMs: 2.5, name: "SessionSetupRes", code: "OK_NewSessionEstablished", afterMs: 1.5 },
    ],
    deviationAtMs: null,
    durationMs: 1234,
  },
});
const results = [
  result("a", { verdict: "pass" }),
  result("b", { verdict: "fail", rule: "R", message: "M", field: "F", expected: "E<1>", seen: "S&2" }),
  result("c", { verdict: "inconclusive", why: "no SDP answer" }, "iso2"),
];

test("summary: counts, details of what did not pass, response times by message", () => {
  const s = summarize(results, "lab", 5000);
  assert.deepEqual([s.total, s.passed, s.failed, s.inconclusive], [3, 1, 1, 1]);
  assert.equal(s.cases[0]?.details, null);
  assert.deepEqual(s.cases[1]?.details, {
    rule: "R",
    message: "M",
    field: "F",
    expected: "E<1>",
    seen: "S&2",
  });
  assert.deepEqual(s.cases[0]?.responseTimesMs, { SessionSetupRes: [1.5] });
});

test("JUnit XML: a suite per protocol, a failure and a skipped case, text escaped", () => {
  const x = junitXml(results);
  assert.match(x, /<testsuite name="secc-din" tests="2" failures="1" errors="0" skipped="0"/);
  assert.match(x, /<testsuite name="secc-iso2" tests="1" failures="0" errors="0" skipped="1"/);
  assert.match(x, /<failure message="R: M: F: expected E&lt;1&gt;, seen S&amp;2"/);
  assert.match(x, /<skipped message="inconclusive: no SDP answer"\/>/);
  assert.ok(!x.includes("<a>") && x.includes("title &lt;a&gt; &amp; more"));
});

test("HTML: one row per case with its message sequence; no scripts or external resources", () => {
  const h = htmlReport(results, summarize(results, "lab", 5000));
  assert.equal(h.match(/<tr class="(pass|fail|inconclusive)">/g)?.length, 3);
  assert.match(h, /SessionSetupRes OK_NewSessionEstablished after 1\.5 ms/);
  assert.ok(!/<script|<link|src=/.test(h));
  assert.equal(escapeXml(`<&>"'`), "&lt;&amp;&gt;&quot;&apos;");
});

test("HTML: each case's timing chart, and its pcapng embedded as a download that decodes back", () => {
  const pcap = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) & 0xff);
  const h = htmlReport(results, summarize(results, "lab", 5000), {
    pcapOf: (r) => (r.id === "b" ? pcap : undefined),
  });
  assert.equal(h.match(/<svg [^>]*class="chart"/g)?.length, 3, "a chart per case");
  const links = [
    ...h.matchAll(/<a download="([^"]+)" href="data:application\/vnd\.tcpdump\.pcap;base64,([^"]+)"/g),
  ];
  assert.deepEqual(
    links.map((m) => m[1]),
    ["b.pcapng"],
  );
  assert.deepEqual(new Uint8Array(Buffer.from(links[0]?.[2] ?? "", "base64")), pcap);
  assert.equal(casePcapName({ id: "secc-din-seq-001@iso2/x" }), "secc-din-seq-001_iso2_x.pcapng");
});

test("notPassed: fails and inconclusive cases as lines, known deviations and passes left out", () => {
  const s = summarize(results, "lab", 5000);
  assert.deepEqual(notPassed(s), [
    'b fail: {"rule":"R","message":"M","field":"F","expected":"E<1>","seen":"S&2"}',
    'c inconclusive: {"why":"no SDP answer"}',
  ]);
  const known = { ...s, cases: s.cases.map((c) => ({ ...c, knownDeviation: "documented" })) };
  assert.deepEqual(notPassed(known), []);
});
