import assert from "node:assert/strict";
import { test } from "node:test";
import { onStopSignal, untilStopSignal } from "./stop-signal.js";

const count = () => ({ int: process.listenerCount("SIGINT"), term: process.listenerCount("SIGTERM") });

/** Our listener is the one added last (the test runner may have its own). */
const lastListener = (sig: "SIGINT" | "SIGTERM") => process.listeners(sig).at(-1) as () => void;

test("untilStopSignal: listens before it announces, resolves at SIGTERM, then stops listening", async () => {
  const before = count();
  let atAnnounce: ReturnType<typeof count> | null = null;
  let ours: (() => void) | null = null;
  const done = untilStopSignal(() => {
    atAnnounce = count();
    ours = lastListener("SIGTERM");
  });
  assert.deepEqual(atAnnounce, { int: before.int + 1, term: before.term + 1 }, "listening when it announces");
  let resolved = false;
  void done.then(() => {
    resolved = true;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(resolved, false, "waits for a signal");
  (ours as unknown as () => void)();
  await done;
  assert.deepEqual(count(), before, "no listener left");
});

test("untilStopSignal: SIGINT stops it too; forMs ends it without a signal", async () => {
  const before = count();
  let ours: (() => void) | null = null;
  const bySignal = untilStopSignal(() => {
    ours = lastListener("SIGINT");
  });
  (ours as unknown as () => void)();
  await bySignal;
  assert.deepEqual(count(), before);
  const t0 = Date.now();
  await untilStopSignal(() => undefined, 30);
  assert.ok(Date.now() - t0 >= 25, "waited for the time given");
  assert.deepEqual(count(), before, "no listener left after the time");
});

test("onStopSignal: calls stop on a signal; the returned function stops listening", () => {
  const before = count();
  let stops = 0;
  const off = onStopSignal(() => stops++);
  assert.deepEqual(count(), { int: before.int + 1, term: before.term + 1 });
  lastListener("SIGTERM")();
  assert.equal(stops, 1);
  off();
  assert.deepEqual(count(), before);
});
