import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { layoutLabels, niceStep, plotSvg, timeLabel } from "./plot.js";
import type { RecordEvent } from "./types.js";

test("niceStep gives 1/2/5 × 10^n steps with about 8 ticks", () => {
  assert.equal(niceStep(35), 5);
  assert.equal(niceStep(690), 100);
  assert.equal(niceStep(22_400), 5000);
  fc.assert(
    fc.property(fc.double({ min: 0.5, max: 1e6, noNaN: true }), (span) => {
      const s = niceStep(span);
      const mant = s / 10 ** Math.floor(Math.log10(s));
      assert.ok(
        [1, 2, 5, 10].some((m) => Math.abs(mant - m) < 1e-9),
        `step ${s}`,
      );
      assert.ok(span / s <= 8 + 1e-9 && span / s > 1.5, `span ${span} step ${s}`);
    }),
  );
});

test("timeLabel switches units with the span", () => {
  assert.equal(timeLabel(5, 35), "5 s");
  assert.equal(timeLabel(125, 690), "2:05");
  assert.equal(timeLabel(5400, 22_400), "1:30 h");
});

test("layoutLabels never lets two labels in one row overlap (while rows remain)", () => {
  const labels = [
    { x: 100, text: "cable-check" },
    { x: 110, text: "pre-charge" },
    { x: 112, text: "charging" },
    { x: 400, text: "stopping" },
  ];
  assert.deepEqual(layoutLabels(labels), [0, 1, 2, 0]);
});

test("plotSvg marks every phase and trip and scales the time axis to the session", () => {
  const events: RecordEvent[] = [
    { t: 0, type: "cp", state: "A" },
    { t: 1, type: "phase", phase: "cable-check" },
    { t: 2, type: "sample", v: 400, i: 100, p: 40_000, soc: 20 },
    { t: 30, type: "trip", reason: "over-current" },
    { t: 31, type: "sample", v: 0, i: 0, p: 0, soc: 21 },
  ] as RecordEvent[];
  const svg = plotSvg(events);
  assert.match(svg, />cable-check</);
  assert.match(svg, />trip: over-current</);
  assert.match(svg, />30 s</);
  assert.match(svg, /0 … 31 s/);
});

test("plotSvg: current and power of a discharging (BPT) session get a signed axis with a zero line", () => {
  const events: RecordEvent[] = [
    { t: 0, type: "sample", v: 700, i: 0, p: 0, soc: 80 },
    { t: 10, type: "sample", v: 690, i: -300, p: -207_000, soc: 79 },
    { t: 20, type: "sample", v: 690, i: -300, p: -207_000, soc: 78 },
  ] as RecordEvent[];
  const svg = plotSvg(events);
  // current axis −500 … 1 A, power axis −250 … 1 kW; the curves go below the zero line, not flat on it
  assert.match(svg, />-500</);
  assert.match(svg, />-250</);
  const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
  const ys = (d: string) => [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
  const current = ys(paths[1]!);
  assert.ok(current[1]! > current[0]!, `the discharge current is drawn below zero: ${current}`);
  // a charge-only session keeps its 0-based axes
  assert.doesNotMatch(
    plotSvg([{ t: 0, type: "sample", v: 400, i: 100, p: 40_000, soc: 20 }] as RecordEvent[]),
    />-\d/,
  );
});
