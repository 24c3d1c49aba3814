import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { LiveProgress } from "../../link/host/live-session.js";
import {
  formatElapsed,
  formatProgress,
  PROGRESS_INTERVAL_MS,
  type ProgressStream,
  progressEnabled,
  startProgressLine,
} from "./progress.js";

const P: LiveProgress = {
  side: "secc",
  mode: "dc",
  phase: "charging",
  voltageV: 398.24,
  currentA: 125,
  energyWh: 12_345.6,
  socPercent: 63,
  elapsedMs: 205_400,
};

test("progress: the line — phase, V, A, kWh, SOC if known, elapsed", () => {
  assert.equal(formatProgress(P), "EVSE charging | 398.2 V | 125.0 A | 12.346 kWh | SOC 63.0 % | 3:25");
  assert.equal(
    formatProgress({ ...P, side: "evcc", mode: "ac", socPercent: null, elapsedMs: 3_723_000 }),
    "EV charging | 398.2 V | 125.0 A | 12.346 kWh | 1:02:03",
  );
  assert.equal(formatElapsed(7_999), "0:07");
  assert.equal(formatProgress(P, 20), "EVSE charging | 398");
});

test("progress: never a control character, never wider than the terminal", () => {
  fc.assert(
    fc.property(
      fc.record({
        voltageV: fc.double({ min: -2000, max: 2000, noNaN: true }),
        currentA: fc.double({ min: -1000, max: 1000, noNaN: true }),
        energyWh: fc.double({ min: 0, max: 1e7, noNaN: true }),
        socPercent: fc.option(fc.double({ min: 0, max: 100, noNaN: true })),
        elapsedMs: fc.nat(),
      }),
      fc.integer({ min: 2, max: 300 }),
      (r, columns) => {
        const line = formatProgress({ ...P, ...r }, columns);
        assert.ok(line.length <= columns - 1, line);
        assert.ok(!/[\r\n\x1b]/.test(line), line);
      },
    ),
  );
});

/** A fake stream recording writes, and a fake interval timer fired by hand. */
function fakes(stderrTty: boolean, stdoutTty: boolean) {
  const writes: string[] = [];
  const stderr: ProgressStream = { isTTY: stderrTty, columns: 120, write: (s) => writes.push(s) };
  const stdout: ProgressStream = { isTTY: stdoutTty, write: () => true };
  let fire: (() => void) | null = null;
  let every = 0;
  const timers = {
    setInterval(fn: () => void, ms: number) {
      fire = fn;
      every = ms;
      return 1;
    },
    clearInterval() {
      fire = null;
    },
  };
  return {
    writes,
    stderr,
    stdout,
    timers,
    tick: () => fire?.(),
    every: () => every,
    running: () => fire !== null,
  };
}

test("progress: shown only when stderr is a TTY, and not with --json lines to the same terminal", () => {
  const tty = { isTTY: true, write: () => true };
  const pipe = { isTTY: false, write: () => true };
  const none = { write: () => true };
  assert.equal(progressEnabled({ stderr: tty, stdout: tty, stdoutLines: false }), true);
  assert.equal(progressEnabled({ stderr: tty, stdout: pipe, stdoutLines: true }), true);
  assert.equal(progressEnabled({ stderr: tty, stdout: tty, stdoutLines: true }), false);
  assert.equal(progressEnabled({ stderr: pipe, stdout: tty, stdoutLines: false }), false);
  assert.equal(progressEnabled({ stderr: none, stdout: none, stdoutLines: false }), false);
});

test("progress: on a TTY one line rewritten in place every second; cleared and stopped", () => {
  const f = fakes(true, false);
  let sample: LiveProgress | null = null;
  const line = startProgressLine({ ...f, stdoutLines: true, sample: () => sample });
  assert.equal(f.every(), PROGRESS_INTERVAL_MS);
  f.tick();
  assert.equal(f.writes.length, 0); // no session: nothing
  sample = P;
  f.tick();
  f.tick();
  assert.equal(f.writes.length, 2);
  for (const w of f.writes) {
    assert.ok(w.startsWith("\r\x1b[K"), JSON.stringify(w));
    assert.ok(!w.includes("\n"));
  }
  line.clear();
  assert.equal(f.writes.at(-1), "\r\x1b[K");
  line.clear(); // nothing drawn: nothing to erase
  assert.equal(f.writes.length, 3);
  f.tick();
  line.stop();
  assert.equal(f.writes.at(-1), "\r\x1b[K");
  assert.equal(f.running(), false);
});

test("progress: never on a non-TTY stderr (nothing written, no timer)", () => {
  const f = fakes(false, false);
  const line = startProgressLine({ ...f, stdoutLines: false, sample: () => P });
  assert.equal(f.running(), false);
  f.tick();
  line.clear();
  line.stop();
  assert.deepEqual(f.writes, []);
});
