/**
 * The live pair on a board process instead of the in-process simulated cable: `nacs evse --board
 * 'stdio:exec node bin/nacs.js board-sim --role evse --listen unix:P'` (the board simulator is the EVSE's
 * child, speaking the board protocol on its stdin/stdout) and `nacs ev --board unix:P` (the EV side of the
 * same simulated hardware over the socket). Loopback, `--no-slac`.
 * 1. A whole session ends normally on both sides.
 * 2. The board process is killed (SIGKILL, by its PID) while charging: the EVSE sees the board's stream
 *    end, trips with "board lost" (output off), reports at once and exits 1; the EV loses its board too
 *    and exits 1.
 * 3. The board process freezes (SIGSTOP) while charging: nothing arrives any more, and the heartbeat
 *    supervision (500 ms, src/link/board/protocol.ts) trips the EVSE with "board lost".
 * Detection is timed from the signal to the EVSE's "board lost" log line (both on the epoch clock, ms).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { BOARD_HEARTBEAT_LIMIT_MS } from "../../link/board/protocol.js";
import {
  killPid,
  logTime,
  type PipedNacsProc,
  parentPid,
  randomSdpPort,
  spawnNacsPiped,
  stopProcs,
  summary,
  waitForRecord,
  within,
} from "../testing/live-pair.js";
import { waitForStderr } from "../testing/spawn-nacs.js";

const READY_MS = 20_000;
const CHARGING_MS = 30_000;
const END_MS = 30_000;
const TEST_MS = READY_MS + CHARGING_MS + END_MS + 15_000;
/**
 * Board loss must be seen within the heartbeat limit; the margin covers the last heartbeat's age, the
 * supervision tick and signal delivery (ms).
 */
const LOST_WITHIN_MS = BOARD_HEARTBEAT_LIMIT_MS + 100;

interface Pair {
  evse: PipedNacsProc;
  ev: PipedNacsProc;
  /** The board simulator: the EVSE's child. */
  boardPid: number;
  events: string;
}

/**
 * Start the EVSE on a board-sim child (10 kWh pack at 50 %, so 1 % takes seconds at 1×: board-sim runs the
 * battery in real time), then the EV on the board-sim's socket; `run` gets the pair. Cleans up after it.
 */
async function withBoardSimPair(targetSoc: number, run: (p: Pair) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-board-"));
  const sock = join(dir, "board.sock");
  const board = `stdio:exec ${process.execPath} bin/nacs.js board-sim --role evse --listen unix:${sock} --battery-kwh 10 --soc 50`;
  const common = ["--iface", "lo", "--no-slac", "--json", "--sdp-port", randomSdpPort()];
  const events = join(dir, "evse.ndjson");
  let evse: PipedNacsProc | null = null;
  let ev: PipedNacsProc | null = null;
  let boardPid: number | null = null;
  try {
    evse = spawnNacsPiped([
      "evse",
      ...common,
      ...["--board", board, "--sessions", "1", "--log-level", "info", "--events", events],
    ]);
    evse.child.stdin?.end(); // no operator commands here
    const ready = await waitForStderr(evse, /evse ready.*nacs board-sim \(pid (\d+)\)/, READY_MS);
    boardPid = Number(ready[1]);
    // Only a process of ours: the board simulator the EVSE started (exec: the shell became it).
    assert.equal(parentPid(boardPid), evse.child.pid, "the board simulator is the EVSE's child");
    ev = spawnNacsPiped([
      "ev",
      ...common,
      "--board",
      `unix:${sock}`,
      "--soc",
      "50",
      "--target-soc",
      `${targetSoc}`,
    ]);
    ev.child.stdin?.end();
    await run({ evse, ev, boardPid, events });
  } finally {
    await stopProcs([ev, evse]);
    killPid(boardPid);
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  "board-sim over stdio (EVSE) and unix socket (EV): a whole session, normal stop reasons",
  { timeout: TEST_MS },
  async () => {
    await withBoardSimPair(51, async ({ evse, ev }) => {
      const [evCode, evseCode] = await within(
        Promise.all([ev.exit, evse.exit]),
        CHARGING_MS + END_MS,
        "exit",
      );
      const s = summary(evse);
      const e = summary(ev);
      assert.equal(evseCode, 0, evse.err);
      assert.equal(evCode, 0, ev.err);
      assert.equal(s.stopReason, "EV ended the session");
      assert.equal(e.stopReason, "target SOC reached");
      assert.deepEqual(s.safety, []);
      const phases = (s.phases as { phase: string }[]).map((p) => p.phase);
      assert.deepEqual(phases, ["cable-check", "pre-charge", "charging", "stopping"]);
      assert.deepEqual(e.messageCounts, s.messageCounts);
      assert.match(String(s.board), /^stdio:exec .*board-sim.*\(nacs board-sim \(pid \d+\)\)$/);
      assert.match(String(e.board), /^unix:.*\(nacs board-sim \(pid \d+\)\)$/);
      assert.ok((s.energyDeliveredWh as number) > 0 && (e.energyDeliveredWh as number) > 0);
      assert.ok((e.socEnd as number) >= 51, `EV at ${e.socEnd} %`);
      const unlock = e.unlock as { inletVoltageV: number } | undefined;
      assert.ok(unlock && unlock.inletVoltageV < 60, `EV unlocked at ${unlock?.inletVoltageV} V`);
    });
  },
);

interface Trip {
  fault: string;
  detail: string;
  offLatencyMs: number | null;
}

/** Signal the board simulator once the EVSE is charging; the EVSE must trip "board lost" and exit 1. */
async function boardGone(t: TestContext, signal: "SIGKILL" | "SIGSTOP", detail: RegExp): Promise<void> {
  await withBoardSimPair(60, async ({ evse, ev, boardPid, events }) => {
    const charging = (e: { type: string; phase?: unknown }) => e.type === "phase" && e.phase === "charging";
    await waitForRecord(evse, events, charging, "charging", READY_MS + CHARGING_MS);
    await new Promise((r) => setTimeout(r, 300));
    const signalledAt = Date.now();
    try {
      process.kill(boardPid, signal);
    } catch (err) {
      throw new Error(`cannot signal the board simulator (pid ${boardPid}): ${err}; EVSE: ${evse.err}`);
    }
    const [evCode, evseCode] = await within(Promise.all([ev.exit, evse.exit]), END_MS, "both to exit");
    const s = summary(evse);
    const e = summary(ev);
    assert.equal(evseCode, 1, `EVSE exits 1 after losing its board: ${evse.err}`);
    assert.equal(evCode, 1, `EV exits 1 after losing its board: ${ev.err}`);
    assert.equal(s.stopReason, "board lost", evse.err);
    const trip = (s.safety as Trip[])[0];
    assert.ok(trip, "a safety trip");
    assert.equal(trip.fault, "board-lost");
    assert.match(trip.detail, detail);
    assert.ok(trip.offLatencyMs !== null, "output-off commanded (the board switches off by itself too)");
    const lostAt = logTime(evse, /^evse: board lost/);
    assert.ok(lostAt !== null, `the EVSE logged the board loss: ${evse.err}`);
    const tookMs = lostAt - signalledAt;
    t.diagnostic(`board loss seen ${tookMs} ms after ${signal}; output off ${trip.offLatencyMs} ms later`);
    assert.ok(tookMs <= LOST_WITHIN_MS, `board loss seen ${tookMs} ms after ${signal}`);
    assert.match(evse.err, /nacs evse: board lost .*: no more sessions/);
    assert.notEqual(e.stopReason, "target SOC reached");
  });
}

test(
  'board-sim killed (SIGKILL) while charging ⇒ the EVSE trips "board lost" at once and exits',
  { timeout: TEST_MS },
  async (t) => {
    // Which the host notices first depends on the scheduler: the exit, or a write into the dead pipe.
    await boardGone(t, "SIGKILL", /board process (killed by SIGKILL|stdin: write EPIPE)/);
  },
);

test(
  'board-sim frozen (SIGSTOP) while charging ⇒ heartbeat lost within 500 ms: "board lost", the EVSE exits',
  { timeout: TEST_MS },
  async (t) => {
    await boardGone(t, "SIGSTOP", /heartbeat/);
  },
);
