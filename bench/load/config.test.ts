import assert from "node:assert/strict";
import { test } from "node:test";
import { FD_MARGIN, loadConfig, planProcesses } from "./config.js";

test("load bench config: defaults, ranges and bad values", () => {
  const d = loadConfig({});
  assert.equal(d.sessions, 1000);
  assert.equal(d.loopMinMs, 250);
  assert.equal(d.loopMaxMs, 250);
  assert.equal(d.timeScale, 1);
  const r = loadConfig({ NACS_BENCH_SESSIONS: "50", NACS_BENCH_LOOP_MS: "100-250" });
  assert.equal(r.sessions, 50);
  assert.deepEqual([r.loopMinMs, r.loopMaxMs], [100, 250]);
  assert.throws(() => loadConfig({ NACS_BENCH_SESSIONS: "0" }), /NACS_BENCH_SESSIONS="0": must be a number/);
  assert.throws(() => loadConfig({ NACS_BENCH_SESSIONS: "many" }), /NACS_BENCH_SESSIONS/);
  assert.throws(() => loadConfig({ NACS_BENCH_LOOP_MS: "250-100" }), /NACS_BENCH_LOOP_MS=250-100/);
});

test("load bench fd plan: splits the EVs when one process cannot hold them, refuses when the SECC cannot", () => {
  assert.equal(planProcesses(1000, 20_000, 1), 1);
  assert.equal(planProcesses(1000, 20_000, 2), 2);
  // 1000 sockets fit one process only with the margin: 1024 - 64 = 960 per process
  assert.throws(
    () => planProcesses(1000, 1024, 1),
    /fd limit 1024 \(ulimit -n\) is too low for 1000 sessions/,
  );
  assert.equal(planProcesses(900, 1024, 1), 1);
  assert.equal(planProcesses(1000 - FD_MARGIN, 1000, 1), 1);
});
