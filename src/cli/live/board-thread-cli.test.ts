/**
 * `nacs evse --board-thread` on the live pair: the EV hosts the simulated cable (it starts first), the EVSE
 * joins it from its board thread; a whole DC session runs with every reading and command crossing the
 * thread, and the EVSE's report names the board as on the thread.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  livePairArgs,
  type PipedNacsProc,
  spawnNacsPiped,
  stopProcs,
  summary,
  waitForRecord,
  within,
} from "../testing/live-pair.js";
import { type NacsProc, waitForStderr } from "../testing/spawn-nacs.js";

test(
  "nacs evse --board-thread: a whole session with the board link on the board thread",
  { timeout: 90_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-bt-cli-"));
    const common = livePairArgs(dir);
    let ev: NacsProc | null = null;
    let evse: NacsProc | null = null;
    try {
      ev = spawnNacsPiped(["ev", ...common, "--soc", "50", "--target-soc", "55", "--log-level", "info"]);
      await waitForStderr(ev, /hosting the world/, 20_000);
      evse = spawnNacsPiped(["evse", ...common, "--board-thread", "--sessions", "1"]);
      const [evCode, evseCode] = await within(Promise.all([ev.exit, evse.exit]), 60_000, "both to exit");
      const s = summary(evse);
      const e = summary(ev);
      assert.equal(evCode, 0, ev.err.slice(-2000));
      assert.equal(evseCode, 0, evse.err.slice(-2000));
      assert.match(String(s.board), /board thread/);
      assert.equal(e.stopReason, "target SOC reached");
      assert.ok((s.energyDeliveredWh as number) > 0, "energy flowed");
      assert.deepEqual(s.safety, [], "no trip");
      // the session's end and the unplug after it (the output already off) are no interlock action
      assert.doesNotMatch(evse.err, /interlock/, evse.err.slice(-2000));
    } finally {
      await stopProcs([ev, evse]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "nacs evse --board-thread: the connector unlatched while charging ⇒ the interlock's off, then the controller's one trip",
  { timeout: 90_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-bt-cli-"));
    const common = livePairArgs(dir);
    const evseEvents = join(dir, "evse.ndjson");
    let ev: PipedNacsProc | null = null;
    let evse: PipedNacsProc | null = null;
    try {
      ev = spawnNacsPiped(["ev", ...common, "--soc", "20", "--target-soc", "90", "--log-level", "info"]);
      await waitForStderr(ev, /hosting the world/, 20_000);
      evse = spawnNacsPiped(["evse", ...common, "--board-thread", "--sessions", "1", "--events", evseEvents]);
      await waitForRecord(
        evse,
        evseEvents,
        (e) => e.type === "phase" && e.phase === "charging",
        "charging",
        30_000,
      );
      await new Promise((r) => setTimeout(r, 300));
      // the EV hosts the simulated cable: its operator presses the handle's release button
      ev.type("fault pp-unlatched");
      const [, evseCode] = await within(Promise.all([ev.exit, evse.exit]), 30_000, "both to exit");
      const s = summary(evse);
      assert.equal(evseCode, 1, `a safety trip: ${evse.err.slice(-2000)}`);
      assert.equal(s.stopReason, "connector unlatched (PP)");
      // one trip: the controller's own, on the same input; the interlock's earlier off is no second failure
      assert.deepEqual(
        (s.safety as { fault: string }[]).map((t) => t.fault),
        ["pp-unlatched"],
      );
      t.diagnostic(/board thread interlock: [^"]*/.exec(evse.err)?.[0] ?? "no interlock line");
      assert.match(evse.err, /board thread interlock: connector unlatched \(PP\): output off written/);
      assert.match(evse.err, /board-thread interlock actions: 1 \(connector unlatched \(PP\) 1\)/);
      assert.doesNotMatch(evse.err, /TypeError|ReferenceError|unhandled|uncaught/i);
    } finally {
      await stopProcs([ev, evse]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
