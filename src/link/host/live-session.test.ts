import assert from "node:assert/strict";
import { test } from "node:test";
import { LIVE_SESSION_SAMPLES_PER_MESSAGE, LiveSession } from "./live-session.js";

test("LiveSession: msg records only when wanted; counts and phases either way", () => {
  const wire = { payloadType: 0x8001, bytes: Uint8Array.of(0x80, 0x9a) };
  const run = (recordMessages: boolean) => {
    const records: { type: string; fields?: Record<string, unknown> }[] = [];
    const s = new LiveSession(
      "evcc",
      () => 0,
      (type, fields) => records.push({ type, fields }),
      "dc",
      recordMessages,
    );
    s.message("SessionSetupReq", "tx", wire);
    s.message("SessionSetupRes", "rx", wire);
    s.message("CableCheckReq", "tx", wire);
    return { records, counts: s.counts };
  };
  const on = run(true);
  assert.deepEqual(
    on.records.filter((r) => r.type === "msg").map((r) => r.fields),
    [
      { dir: "tx", name: "SessionSetupReq", payloadType: 0x8001, bytes: "809A" },
      { dir: "rx", name: "SessionSetupRes", payloadType: 0x8001, bytes: "809A" },
      { dir: "tx", name: "CableCheckReq", payloadType: 0x8001, bytes: "809A" },
    ],
  );
  const off = run(false);
  assert.equal(off.records.filter((r) => r.type === "msg").length, 0);
  // the phase records (which the EV host turns into onSessionPhase) still come
  assert.deepEqual(
    off.records.map((r) => r.type),
    on.records.filter((r) => r.type !== "msg").map((r) => r.type),
  );
  assert.ok(off.records.some((r) => r.type === "phase"));
  assert.deepEqual(off.counts, on.counts);
  assert.equal(off.counts.CableCheckReq, 1);
});

test("LiveSession: response times of a long session stay bounded; count and max exact, median and p99 within 1 %", () => {
  const s = new LiveSession(
    "evcc",
    () => 0,
    () => {},
  );
  const n = 3 * LIVE_SESSION_SAMPLES_PER_MESSAGE;
  const all: number[] = [];
  for (let i = 0; i < n; i++) {
    const ms = 1 + ((i * 7919) % 997) / 10; // 1 … 100.6 ms, in no order
    all.push(ms);
    s.responseTime(i % 10 === 0 ? "SessionSetupRes" : "CurrentDemandRes", ms);
  }
  s.responseTime("CurrentDemandRes", -0.5); // a host clock that stepped back: counted as 0, nothing thrown
  const sum = s.summary("sim", "tcp");
  assert.equal(sum.samplesByMessage.CurrentDemandRes?.length, LIVE_SESSION_SAMPLES_PER_MESSAGE);
  assert.deepEqual(
    sum.samplesByMessage.CurrentDemandRes?.slice(0, 3),
    all.filter((_, i) => i % 10 !== 0).slice(0, 3),
    "the first samples, in order",
  );
  assert.equal(sum.samplesByMessage.SessionSetupRes?.length, n / 10);
  const exact = [...all, 0].sort((a, b) => a - b);
  const rank = (p: number) => exact[Math.ceil((p / 100) * exact.length) - 1]!;
  assert.equal(sum.responseTimesMs.count, n + 1);
  assert.equal(sum.responseTimesMs.max, exact.at(-1));
  for (const [got, want] of [
    [sum.responseTimesMs.median, rank(50)],
    [sum.responseTimesMs.p99, rank(99)],
  ] as const)
    assert.ok(Math.abs(got - want) <= 0.01 * want, `${got} vs exact ${want}`);
});

test("LiveSession: without response times kept (a fleet keeps its own), the report has none, and the counts are unchanged", () => {
  const run = (keep: boolean) => {
    const s = new LiveSession(
      "secc",
      () => 0,
      () => {},
      "dc",
      false,
      keep,
    );
    s.message("CurrentDemandReq", "rx");
    s.message("CurrentDemandRes", "tx");
    for (let i = 0; i < 50; i++) s.responseTime("CurrentDemandRes", 0.1 + i / 100);
    return s.summary("sim", "tcp");
  };
  const kept = run(true);
  assert.equal(kept.responseTimesMs.count, 50);
  assert.equal(kept.samplesByMessage.CurrentDemandRes?.length, 50);
  const none = run(false);
  assert.deepEqual(
    [none.responseTimesMs.count, none.responseTimesMs.median, none.responseTimesMs.p99],
    [0, 0, 0],
  );
  assert.deepEqual(none.samplesByMessage, {});
  assert.deepEqual(none.messageCounts, kept.messageCounts);
});
