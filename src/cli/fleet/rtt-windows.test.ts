import assert from "node:assert/strict";
import { test } from "node:test";
import { createRttWindows, mergeRttWindows, RTT_WINDOW_MS } from "./rtt-windows.js";

test("round-trip windows: samples fall into the window of their time; two workers' windows merge (counts and vehicles in the loop summed)", () => {
  let t = 1_000_000;
  const a = createRttWindows(1_000_000, () => t);
  const b = createRttWindows(1_000_000, () => t);
  for (let k = 1; k <= 100; k++) a.add(k, 10); // window 0: 1…100 ms
  t += RTT_WINDOW_MS * 2 + 5;
  a.add(500, 30); // window 2
  b.add(300, 20);
  b.add(700, 25);
  const ws = mergeRttWindows([a.toJson(), b.toJson()]);
  assert.deepEqual(
    ws.map((w) => [w.fromS, w.inLoop, w.count]),
    [
      [0, 10, 100],
      [(2 * RTT_WINDOW_MS) / 1000, 55, 3],
    ],
  );
  // within the histograms' 1 %: p50 of 1…100 is 50, p99 99; the max is exact
  assert.ok(Math.abs(ws[0]!.p50 - 50) <= 0.5 && Math.abs(ws[0]!.p99 - 99) <= 1, JSON.stringify(ws[0]));
  assert.equal(ws[1]!.max, 700);
  assert.ok(Math.abs(ws[1]!.p50 - 500) <= 5);
});

test("round-trip windows: a bad histogram from a worker names its window", () => {
  assert.throws(
    () => mergeRttWindows([[{ index: 4, inLoopMax: 1, histogram: { unit: "ms" } as never }]]),
    /rttWindows\[4\]\.histogram/,
  );
});
