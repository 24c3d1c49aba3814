/**
 * Live fleets on loopback: `nacs evse --fleet` and `nacs ev --fleet` (their programmatic API, the same
 * worker processes), 2 workers a side, one simulated cable per pair, ISO 15118-2 DC over TCP. Every
 * session reaches the charge loop and ends normally and both summaries agree; a worker killed mid-session
 * shows up as failures of its vehicles, naming how it died.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseEvOptions } from "../commands/ev.js";
import { parseEvseOptions } from "../commands/evse.js";
import { evFleetExitCode, runEvFleet } from "./ev-fleet.js";
import { type EvseFleet, evseFleetExitCode, startEvseFleet } from "./evse-fleet.js";
import { sessionsReported } from "./fleet-test-support.js";

/** An SDP port range per test so parallel test files never meet another EVSE. */
const sdpBase = () => String(20_000 + Math.floor(Math.random() * 1_000) * 10);

async function withFleet<T>(
  pairs: number,
  run: (f: EvseFleet, common: Record<string, unknown>) => Promise<T>,
) {
  const dir = mkdtempSync(join(tmpdir(), "nacs-fleet-test-"));
  const common = {
    iface: "lo",
    slac: false,
    board: `sim:${dir}`,
    sdpPort: sdpBase(),
    protocol: "iso2",
    timeScale: "100",
    fleet: String(pairs),
    workers: "2",
  };
  const fleet = startEvseFleet(parseEvseOptions({ ...common }));
  try {
    const ready = await fleet.ready;
    assert.equal(ready.chargers, pairs);
    return await run(fleet, common);
  } finally {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("6 pairs, 2 workers a side: every session reaches the charge loop and ends normally; the summaries agree", async () => {
  await withFleet(6, async (fleet, common) => {
    const ev = await runEvFleet(
      parseEvOptions({ ...common, plugInSpread: "1", maxStarting: "4", duration: "3" }),
    );
    assert.equal(ev.vehicles, 6);
    assert.equal(ev.started, 6);
    assert.equal(ev.reachedLoop, 6, JSON.stringify(ev.failuresByPhase));
    assert.equal(ev.endedNormally, 6);
    assert.equal(ev.failed, 0);
    assert.deepEqual(ev.stopReasons, { "stopped by the driver": 6 });
    assert.deepEqual(ev.failuresByPhase, {});
    assert.equal(ev.workers.length, 2);
    assert.deepEqual(
      ev.workers.map((w) => w.pairs),
      [3, 3],
    );
    assert.ok(ev.workers.every((w) => w.cpuPercent !== null && !w.died));
    // each EV worker joined every cable over the board mux of the EVSE worker hosting it
    assert.equal(
      ev.workers.reduce((a, w) => a + (w.viaBoardMux ?? 0), 0),
      6,
    );
    assert.equal(ev.setupMs.count, 6);
    assert.ok(ev.rttMs.count > 0 && ev.rttMs.p99 > 0 && ev.rttMs.p50 <= ev.rttMs.p99);
    // the same round trips by window of wall time (every sample: the warm-up ones too)
    const windows = ev.rttWindows ?? [];
    assert.ok(windows.length > 0, "round-trip windows");
    assert.ok(windows.reduce((a, w) => a + w.count, 0) >= ev.rttMs.count);
    assert.ok(
      windows.every((w) => w.p50 <= w.p99 && (w.count === 0 || w.inLoop >= 1) && w.inLoop <= 6),
      JSON.stringify(windows),
    );
    // every window has the fleet's own loop delay; no failures, so none fell where it was late
    assert.ok(
      windows.every((w) => w.failed === 0 && Number.isFinite(w.loopDelayMs) && w.loopDelayMs >= 0),
      JSON.stringify(windows),
    );
    assert.equal(ev.lateLoop?.failed, 0);
    assert.ok(ev.energyWh.total > 0);
    assert.equal(evFleetExitCode(ev), 0);
    await sessionsReported(fleet, 6);
    const evse = await fleet.stop();
    assert.equal(evse.chargers, 6);
    assert.equal(evse.sessions, 6);
    assert.equal(evse.sessionsReachedLoop, 6);
    assert.equal(evse.sessionsNormal, 6);
    assert.deepEqual(evse.tripsByFault, {});
    assert.deepEqual(evse.stopReasons, { "EV ended the session": 6 });
    assert.ok(evse.seccLoopResponseMs.count > 0);
    // the two workers' histograms of every response, merged: the count and max of the exact Dists
    assert.equal(evse.seccLoopResponseHistogram.count, evse.seccLoopResponseMs.count);
    assert.equal(evse.seccResponseHistogram.count, evse.seccResponseMs.count);
    assert.equal(Math.round(evse.seccResponseHistogram.max * 1000) / 1000, evse.seccResponseMs.max);
    assert.equal(ev.rttHistogram.count, ev.rttMs.count);
    // the EVSE fleet's timeline holds every charge-loop response, by window, with its own loop delay
    const seccWindows = evse.seccWindows ?? [];
    assert.equal(
      seccWindows.reduce((n, w) => n + w.count, 0),
      evse.seccLoopResponseHistogram.count,
    );
    assert.ok(
      seccWindows.every((w) => w.failed === 0 && w.loopDelayMs >= 0),
      JSON.stringify(seccWindows),
    );
    assert.equal(evse.lateLoop?.failed, 0);
    assert.equal(evseFleetExitCode(evse), 0);
    // the meter and the inlet agree on the energy within 5 %
    assert.ok(
      Math.abs(evse.energyWh - ev.energyWh.total) <= 0.05 * ev.energyWh.total,
      `${evse.energyWh} vs ${ev.energyWh.total}`,
    );
  });
});

test("a worker killed mid-session: its vehicles are failures naming how it died; the exit code says so", async () => {
  await withFleet(4, async (_fleet, common) => {
    let pids: number[] = [];
    const ev = await runEvFleet(
      parseEvOptions({ ...common, soc: "30", targetSoc: "31", plugInSpread: "0", duration: "1" }),
      {
        dieInLoopWorker: 0,
        onWorkers: (p) => {
          pids = p;
        },
      },
    );
    assert.equal(pids.length, 2);
    assert.equal(ev.vehicles, 4);
    assert.equal(ev.failed, 2, JSON.stringify(ev.failuresByPhase));
    const lost = ev.failuresByPhase.worker;
    assert.ok(lost, JSON.stringify(ev.failuresByPhase));
    assert.equal(lost.count, 2);
    assert.deepEqual(Object.keys(lost.reasons), [`its worker process ${pids[0]} killed by SIGKILL`]);
    assert.equal(ev.workers[0]!.died, "killed by SIGKILL");
    // the dead worker's vehicles fall in the timeline's windows too
    assert.equal(
      (ev.rttWindows ?? []).reduce((n, w) => n + w.failed, 0),
      2,
    );
    assert.equal(ev.workers[1]!.died, undefined);
    assert.equal(ev.endedNormally, 2);
    assert.deepEqual(
      ev.firstFailures.map((f) => f.index),
      [0, 2],
    );
    assert.equal(evFleetExitCode(ev), 1);
  });
});

test("an EVSE worker that dies is reported with its chargers, and the exit code says so", async () => {
  await withFleet(4, async (fleet) => {
    assert.equal(fleet.pids.length, 2);
    process.kill(fleet.pids[0]!, "SIGKILL"); // a worker this test started
    const s = await fleet.stop();
    assert.equal(s.workers[0]!.died, "killed by SIGKILL");
    assert.equal(s.workers[1]!.died, undefined);
    assert.equal(s.lostChargers, 2);
    assert.equal(evseFleetExitCode(s), 1);
  });
});
