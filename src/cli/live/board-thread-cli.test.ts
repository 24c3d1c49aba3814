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
import { randomSdpPort, spawnNacsPiped, stopProcs, summary, within } from "../testing/live-pair.js";
import { type NacsProc, waitForStderr } from "../testing/spawn-nacs.js";

test(
  "nacs evse --board-thread: a whole session with the board link on the board thread",
  { timeout: 90_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-bt-cli-"));
    const common = ["--iface", "lo", "--no-slac", "--json", "--sdp-port", randomSdpPort()];
    common.push("--time-scale", "300", "--board", `sim:${join(dir, "world.sock")}`);
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
    } finally {
      await stopProcs([ev, evse]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
