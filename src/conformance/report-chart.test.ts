/** The timing chart of a case: a mark per message, the deviation line, response bars against their limit. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { defaultLimits } from "./profile.js";
import { tickStepMs, timingChartSvg } from "./report-chart.js";
import type { CaseTrace } from "./types.js";

const trace: CaseTrace = {
  protocol: "din",
  deviationAtMs: 40,
  durationMs: 1200,
  events: [
    { kind: "open", tMs: 2 },
    { kind: "tx", tMs: 10, name: "SessionSetupReq", bytes: 30 },
    { kind: "rx", tMs: 14, name: "SessionSetupRes", code: "OK_NewSessionEstablished", afterMs: 4 },
    { kind: "inlet", tMs: 20, currentA: 100, voltageV: 700 },
    { kind: "tx", tMs: 40, name: "CurrentDemandReq", bytes: 60, deviation: true, note: "SessionID changed" },
    { kind: "rx", tMs: 900, name: "CurrentDemandRes", code: "FAILED_UnknownSession", afterMs: 860 },
    { kind: "inlet", tMs: 950, currentA: 0, voltageV: 0 },
    { kind: "close", tMs: 1000, by: "remote" },
  ],
};

test("chart: one mark per message with its name and code, the deviation line, the inlet bar", () => {
  const svg = timingChartSvg(trace, defaultLimits());
  assert.match(svg, /^<svg [^>]*viewBox/);
  assert.match(svg, /<title>40 ms → CurrentDemandReq \[SessionID changed\]<\/title>/);
  assert.match(svg, /stroke="#c62828" stroke-width="2"><title>40 ms → CurrentDemandReq/, "deviation in red");
  assert.match(svg, /FAILED_UnknownSession after 860 ms/);
  assert.match(svg, /stroke="#ef6c00" stroke-width="2"><title>900 ms ← CurrentDemandRes/, "FAILED in orange");
  assert.match(svg, /<title>deviation at 40 ms<\/title>/);
  assert.match(svg, /inlet current ≥ 1 A from 20 ms to 950 ms/);
  assert.ok(!/<script/.test(svg));
});

test("chart: a response slower than its performance limit is a red bar, one within it green", () => {
  const limits = { ...defaultLimits(), performanceMs: { default: 100 } };
  const svg = timingChartSvg(trace, limits);
  assert.match(svg, /fill="#81c784"><title>SessionSetupRes OK_NewSessionEstablished: 4 ms \(limit 100 ms\)/);
  assert.match(svg, /fill="#c62828"><title>CurrentDemandRes FAILED_UnknownSession: 860 ms \(limit 100 ms\)/);
});

test("chart: nothing observed, no chart; text from the wire is escaped", () => {
  assert.equal(timingChartSvg({ ...trace, events: [] }), "");
  const svg = timingChartSvg({ ...trace, events: [{ kind: "rx-bad", tMs: 1, error: `<b>"x"</b>` }] });
  assert.ok(svg.includes("&lt;b&gt;&quot;x&quot;&lt;/b&gt;") && !svg.includes("<b>"));
});

test("tick step: 1, 2 or 5 × 10^n, at most about 8 ticks over any span", () => {
  fc.assert(
    fc.property(fc.double({ min: 0.5, max: 1e7, noNaN: true }), (span) => {
      const step = tickStepMs(span);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      assert.ok(
        [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6),
        `step ${step}`,
      );
      assert.ok(span / step <= 8 + 1e-9, `${span} / ${step}`);
    }),
  );
});
