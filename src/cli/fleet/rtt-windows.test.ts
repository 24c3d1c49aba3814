import assert from "node:assert/strict";
import { test } from "node:test";
import {
  createRttWindows,
  FLEET_LATE_LOOP_MS,
  fleetLateLoop,
  formatRttWindows,
  mergeRttWindows,
  RTT_WINDOW_MS,
} from "./rtt-windows.js";

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
    ws.map((w) => [w.fromS, w.inLoop, w.count, w.failed]),
    [
      [0, 10, 100, 0],
      [(2 * RTT_WINDOW_MS) / 1000, 55, 3, 0],
    ],
  );
  // within the histograms' 1 %: p50 of 1…100 is 50, p99 99; the max is exact
  assert.ok(Math.abs(ws[0]!.p50 - 50) <= 0.5 && Math.abs(ws[0]!.p99 - 99) <= 1, JSON.stringify(ws[0]));
  assert.equal(ws[1]!.max, 700);
  assert.ok(Math.abs(ws[1]!.p50 - 500) <= 5);
});

test("round-trip windows: a bad histogram from a worker names its window", () => {
  assert.throws(
    () => mergeRttWindows([[{ index: 4, inLoopMax: 1, loopDelayMs: 0, histogram: { unit: "ms" } as never }]]),
    /rttWindows\[4\]\.histogram/,
  );
});

test("fleet timeline: the loop delay of a window is its worst worker's worst sample; failures fall in the window of their time, one with no round trips too", () => {
  let t = 0;
  const a = createRttWindows(0, () => t);
  const b = createRttWindows(0, () => t);
  a.add(1, 5);
  a.loopDelay(3);
  b.loopDelay(40);
  a.loopDelay(7);
  t = RTT_WINDOW_MS + 1; // window 1: only loop delays
  a.loopDelay(300);
  b.loopDelay(2);
  const ws = mergeRttWindows(
    [a.toJson(), b.toJson()],
    [RTT_WINDOW_MS + 5, RTT_WINDOW_MS * 2 - 1, 3 * RTT_WINDOW_MS + 7, -20],
  );
  assert.deepEqual(
    ws.map((w) => [w.fromS, w.count, w.failed, w.loopDelayMs]),
    [
      [0, 1, 1, 40], // a failure learnt of before the start counts in the first window
      [RTT_WINDOW_MS / 1000, 0, 2, 300],
      [(3 * RTT_WINDOW_MS) / 1000, 0, 1, 0], // failures only
    ],
  );
  assert.deepEqual(fleetLateLoop(ws), {
    thresholdMs: FLEET_LATE_LOOP_MS,
    windows: 1,
    failed: 2,
    maxLoopDelayMs: 300,
  });
});

test("fleet timeline text: the worst round-trip window, the windows most failures fell in, and a warning when they fell where the fleet was late", () => {
  const w = (fromS: number, p99: number, failed: number, loopDelayMs: number, count = 10) => ({
    fromS,
    inLoop: 100,
    failed,
    loopDelayMs,
    count,
    p50: 1,
    p90: 2,
    p99,
    max: p99,
  });
  const calm = formatRttWindows([w(0, 5, 0, 3), w(10, 9, 0, 4)]);
  assert.match(calm, /worst p99 9 ms at 10–20 s \(100 in the loop/);
  assert.doesNotMatch(calm, /failures by 10 s|WARNING/);
  // a window with no round trips (only failures) is never the worst one
  const late = formatRttWindows([
    w(0, 5, 1, 3),
    w(10, 9, 2, 4),
    w(20, 40, 900, FLEET_LATE_LOOP_MS + 10),
    w(30, 0, 50, 900, 0),
  ]);
  assert.match(late, /worst p99 40 ms at 20–30 s/);
  assert.match(
    late,
    /failures by 10 s +2 at 10–20 s \(event-loop delay 4 ms\), 900 at 20–30 s \(event-loop delay 135 ms\), 50 at 30–40 s/,
  );
  assert.match(
    late,
    /WARNING: 950 of the 953 failures fell where this fleet's own event loop was 125 ms or more late \(up to 900 ms\)/,
  );
  // the EVSE fleet's timeline: its SECC responses, and the warning says the chargers answered late
  const evse = formatRttWindows([w(0, 0.2, 4, FLEET_LATE_LOOP_MS)], "evse");
  assert.match(
    evse,
    /SECC loop resp\. by 10 s worst p99 0\.2 ms at 0–10 s \(100 in the loop; --json: seccWindows\)/,
  );
  assert.match(evse, /WARNING: 4 of the 4 failures .* did not keep up with its chargers/);
  // failures where the fleet kept up: no warning
  assert.doesNotMatch(formatRttWindows([w(0, 5, 7, FLEET_LATE_LOOP_MS - 1)]), /WARNING/);
});
