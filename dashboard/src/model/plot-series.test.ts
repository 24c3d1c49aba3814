import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { RecordEvent } from "../../../src/sim/record/types.js";
import { plotData, socRange } from "./plot-series.js";
import { applyEvents, createSessionModel } from "./session-model.js";

test("plot series: a plot per quantity with only the series that have data; power in kW", () => {
  const m = applyEvents(createSessionModel(), [
    { t: 1, type: "sample", v: 750, i: 300, p: 225000, soc: 70 },
    { t: 2, type: "sample", v: 751, i: 310, p: 232810, soc: 70.1, evTargetA: 320 },
  ] as RecordEvent[]);
  const [volt, cur, pow] = plotData(m.samples);
  assert.deepEqual(
    volt!.series.map((s) => s.key),
    ["v"],
  );
  assert.deepEqual(volt!.data, [
    [1, 2],
    [750, 751],
  ]);
  assert.deepEqual(
    cur!.series.map((s) => s.key),
    ["i", "evTargetA"],
  );
  assert.deepEqual(cur!.data[2], [null, 320]);
  assert.deepEqual(
    pow!.series.map((s) => [s.key, s.scale]),
    [
      ["p", "kW"],
      ["soc", "soc"],
    ],
  );
  assert.deepEqual(pow!.data[1], [225, 232.81]);
});

test("plot series: SOC axis scaled to the data, not 0–100 %", () => {
  assert.deepEqual(socRange([70, 71, null, 72]), [69.5, 72.5]);
  assert.deepEqual(socRange([20, 80]), [14, 86]);
  assert.deepEqual(socRange([99.8, 100]), [99.3, 100]);
  assert.deepEqual(socRange([null]), [0, 100]);
});

test("plot series: the SOC range holds every value, within 0–100 % (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }),
      (v) => {
        const [lo, hi] = socRange(v);
        assert.ok(lo >= 0 && hi <= 100 && lo < hi);
        for (const x of v) assert.ok(x >= lo && x <= hi);
      },
    ),
  );
});
