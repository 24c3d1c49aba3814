/**
 * A fleet's simulated cables in a process of their own (`nacs board-sim --fleet`, here in-process): the
 * charger park joins every cable as its board host (over the cable host's board mux, or with
 * `--board-thread` over the mux from its board thread) and simulates nothing, the EV fleet joins
 * them over the mux, and every session ends normally; emergency stops pressed there reach the interlock.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { silentLogger } from "../../link/logger.js";
import { until } from "../../sim/board/test-support.js";
import { parseEvOptions } from "../commands/ev.js";
import { parseEvseOptions } from "../commands/evse.js";
import { formatCableHostSummary, startCableHost } from "./cable-host.js";
import { runEvFleet } from "./ev-fleet.js";
import { startEvseFleet } from "./evse-fleet.js";
import { sessionsReported } from "./fleet-test-support.js";
import { formatEvseFleetSummary } from "./summary.js";

const PAIRS = 4;

/** The options both fleets of a test share: `PAIRS` pairs on the cables in `board`, SDP ports from `sdpFrom` on. */
const fleetOptions = (board: string, workers: number, sdpFrom: number) => ({
  iface: "lo",
  slac: false,
  sdpPort: String(sdpFrom + Math.floor(Math.random() * 1_000) * 10),
  protocol: "iso2",
  timeScale: "100",
  fleet: String(PAIRS),
  workers: String(workers),
  board,
});

test("cable host: 4 cables; the park (2 workers) joins all over the cable host's mux and hosts none, so does the EV fleet; all normal", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-cables-"));
  const board = `sim:${dir}`;
  const host = await startCableHost({ fleet: PAIRS, board }, silentLogger, 100);
  const c = fleetOptions(board, 2, 24_000);
  const park = startEvseFleet(parseEvseOptions(c));
  try {
    assert.deepEqual(host.boardMux, [`unix:${dir}/mux-${process.pid}.sock`]);
    const ready = await park.ready;
    assert.equal(ready.chargers, PAIRS);
    assert.equal(ready.cablesHosted, 0, "the park simulates no cable");
    assert.equal(ready.viaBoardMux, PAIRS, "every charger joined over the cable host's mux");
    await until(() => host.counts().chargersNow === PAIRS, "every charger joined its cable");
    const ev = await runEvFleet(parseEvOptions({ ...c, plugInSpread: "1", duration: "2" }));
    assert.equal(ev.failed, 0, JSON.stringify(ev.failuresByPhase));
    assert.equal(ev.endedNormally, PAIRS);
    assert.equal(
      ev.workers.reduce((a, w) => a + (w.viaBoardMux ?? 0), 0),
      PAIRS,
      "every vehicle joined its cable over the cable host's mux",
    );
    await sessionsReported(park, PAIRS);
    const counts = host.counts();
    assert.deepEqual(
      [counts.cables, counts.chargersNow, counts.chargerJoins, counts.vehiclePlugIns, counts.vehiclesNow],
      [PAIRS, PAIRS, PAIRS, PAIRS, 0],
    );
    const s = await park.stop();
    assert.equal(s.sessionsNormal, PAIRS);
    assert.equal(s.boardsLost, 0);
    assert.deepEqual(
      s.workers.map((w) => [w.cablesHosted, w.viaBoardMux]),
      [
        [0, 2],
        [0, 2],
      ],
    );
    assert.match(formatEvseFleetSummary(s), /0 simulated cables hosted here/);
    // the park stopped first: no charger is joined at the end
    const hs = await host.stop();
    assert.equal(hs.vehiclePlugIns, PAIRS);
    assert.ok(hs.cpuPercent >= 0 && hs.maxRssKb > 0, "the process's own figures");
    assert.match(
      formatCableHostSummary(hs),
      /4 cables.*\n {2}charger hosts joined {3}4 \(0 at the end\)\n {2}vehicles plugged in {4}4/,
    );
  } finally {
    await park.stop();
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cable host shard 1/2: the park on its board thread (2 workers) joins that shard's cables over its mux from the thread and hosts the others itself; every session ends normally", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-cables-"));
  const board = `sim:${dir}`;
  const host = await startCableHost(
    { fleet: PAIRS, shard: { index: 1, count: 2 }, board },
    silentLogger,
    100,
  );
  const c = fleetOptions(board, 2, 30_000);
  const park = startEvseFleet(parseEvseOptions({ ...c, boardThread: true }));
  try {
    const ready = await park.ready;
    assert.deepEqual(
      [ready.chargers, ready.cablesHosted, ready.viaBoardMux],
      [PAIRS, PAIRS / 2, PAIRS / 2],
      "half over the cable host's mux, half hosted here",
    );
    await until(() => host.counts().chargersNow === PAIRS / 2, "the shard's chargers joined");
    const ev = await runEvFleet(parseEvOptions({ ...c, plugInSpread: "1", duration: "2" }));
    assert.equal(ev.failed, 0, JSON.stringify(ev.failuresByPhase));
    assert.equal(ev.endedNormally, PAIRS);
    await sessionsReported(park, PAIRS);
    const s = await park.stop();
    assert.equal(s.sessionsNormal, PAIRS);
    assert.equal(s.boardsLost, 0);
    assert.equal(host.counts().vehiclePlugIns, PAIRS / 2);
  } finally {
    await park.stop();
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cable host: a cable another process serves already is refused, naming its socket; nothing is left listening", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-cables-"));
  const first = await startCableHost({ fleet: 2, board: `sim:${dir}` }, silentLogger);
  try {
    await assert.rejects(
      startCableHost({ fleet: 3, board: `sim:${dir}` }, silentLogger),
      /w0\.sock.*another process already listens/,
    );
    assert.equal(first.counts().cables, 2);
  } finally {
    await first.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cable host --estop-every: the park on its board thread joins every cable over the board mux from the thread; each press reaches the board-thread interlock, which switches that output off; the controller trips; the vehicles see it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-cables-"));
  const board = `sim:${dir}`;
  const host = await startCableHost({ fleet: PAIRS, board, estopEveryS: 0.25 }, silentLogger, 100);
  const c = fleetOptions(board, 1, 26_000);
  const park = startEvseFleet(parseEvseOptions({ ...c, boardThread: true }));
  try {
    const ready = await park.ready;
    assert.deepEqual([ready.cablesHosted, ready.viaBoardMux], [0, PAIRS]);
    const ev = await runEvFleet(parseEvOptions({ ...c, plugInSpread: "0", duration: "3" }));
    const h = host.counts();
    assert.ok(h.estopPresses >= 1, `${h.estopPresses} presses`);
    assert.equal(ev.failed + ev.endedNormally, PAIRS);
    assert.ok(ev.failed >= 1, "a pressed vehicle's session does not end normally");
    await sessionsReported(park, PAIRS);
    const s = await park.stop();
    assert.equal(
      s.interlocksByCause["emergency-stop"],
      h.estopPresses,
      "every press handled by the interlock",
    );
    assert.equal(s.outputOffMs?.interlock?.count, h.estopPresses);
    assert.ok((s.tripsByFault["emergency-stop"] ?? 0) >= 1, JSON.stringify(s.tripsByFault));
    assert.ok((s.outputOffMs?.trips?.count ?? 0) >= 1);
    const hs = await host.stop();
    assert.equal(hs.estopCables.length, hs.estopPresses);
    assert.match(formatCableHostSummary(hs), /emergency stops {8}\d+ pressed/);
  } finally {
    await park.stop();
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cable host and park: a cables' folder that does not exist yet is created; the park then joins every cable there", async () => {
  const top = mkdtempSync(join(tmpdir(), "nacs-cables-"));
  const board = `sim:${top}/new/park`;
  const host = await startCableHost({ fleet: 2, board }, silentLogger, 100);
  const park = startEvseFleet(parseEvseOptions({ ...fleetOptions(board, 1, 28_000), fleet: "2" }));
  try {
    const ready = await park.ready;
    assert.deepEqual([ready.chargers, ready.failed.length, ready.viaBoardMux], [2, 0, 2]);
  } finally {
    await park.stop();
    await host.stop();
    rmSync(top, { recursive: true, force: true });
  }
});
