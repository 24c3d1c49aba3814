/**
 * `nacs evse --fleet` and `nacs ev --fleet` as processes: progress on stderr, one JSON object each with
 * `--json`, exit 0 when every session ended normally, the vehicles at their `--charge-loop-ms`; the EVSE
 * fleet leaves on SIGTERM with its summary.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { exitWithin, killIfRunning, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";
import { boardMuxWarning } from "./cli.js";
import type { EvFleetSummary, EvseFleetSummary } from "./summary.js";

test("nacs evse --fleet 2 + nacs ev --fleet 2 --json: both summaries, exit 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-fleet-cli-"));
  const port = String(21_000 + Math.floor(Math.random() * 500) * 10);
  const common = ["--fleet", "2", "--workers", "1", "--iface", "lo", "--no-slac", "--protocol", "din"];
  common.push("--board", `sim:${dir}`, "--sdp-port", port, "--time-scale", "100", "--json");
  const evse = spawnNacs(["evse", ...common]);
  try {
    await waitForStderr(evse, /nacs evse --fleet: ready: 2 chargers/, 20_000);
    // 50 ms between charge-loop requests: about 18 round trips per vehicle in its second (5 at the default)
    const loop = ["--charge-loop-ms", "50"];
    const ev = spawnNacs(["ev", ...common, "--plug-in-spread", "0", "--duration", "1", ...loop]);
    assert.equal(await exitWithin(ev, "nacs ev --fleet", 25_000), 0, ev.err);
    const s = JSON.parse(ev.out) as EvFleetSummary;
    assert.equal(s.kind, "ev-fleet");
    assert.equal(s.endedNormally, 2);
    assert.equal(s.reachedLoop, 2);
    assert.deepEqual(s.stopReasons, { "stopped by the driver": 2 });
    assert.deepEqual(s.chargeLoopMs, { minMs: 50, maxMs: 50 });
    assert.ok(s.rttMs.count >= 24, `${s.rttMs.count} round trips`);
    for (let k = 0; k < 80 && !/sessions ended 2/.test(evse.err); k++)
      await new Promise((r) => setTimeout(r, 100));
    evse.child.kill("SIGTERM"); // the process this test started
    assert.equal(await exitWithin(evse, "nacs evse --fleet", 20_000), 0, evse.err);
    const e = JSON.parse(evse.out) as EvseFleetSummary;
    assert.equal(e.kind, "evse-fleet");
    assert.equal(e.sessions, 2);
    assert.equal(e.sessionsNormal, 2);
  } finally {
    killIfRunning(evse);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the park warns of a board mux on a non-loopback address only when it requires no key", () => {
  const mux = (host: string) => ({ boardMux: { host, port: 7000 } });
  assert.match(
    boardMuxWarning(mux("::")) ?? "",
    /listens on ::, not loopback, without a key: whoever reaches it/,
  );
  assert.match(boardMuxWarning(mux("10.0.0.2")) ?? "", /--board-mux-key FILE requires a key/);
  assert.equal(boardMuxWarning({ ...mux("::"), boardMuxKey: "/etc/nacs/key" }), null);
  assert.equal(boardMuxWarning(mux("::1")), null);
  assert.equal(boardMuxWarning(mux("127.0.0.1")), null);
  assert.equal(boardMuxWarning({}), null);
});

test("nacs board-sim --fleet 2 + nacs evse --fleet 2 + nacs ev --fleet 2: the park joins the cable host's cables; every summary, exit 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-fleet-cli-"));
  const port = String(22_000 + Math.floor(Math.random() * 500) * 10);
  const board = ["--board", `sim:${dir}`];
  const common = [
    "--fleet",
    "2",
    "--workers",
    "1",
    "--iface",
    "lo",
    "--no-slac",
    "--protocol",
    "iso2",
    ...board,
  ];
  common.push("--sdp-port", port, "--time-scale", "100", "--json");
  const cables = spawnNacs(["board-sim", "--fleet", "2", ...board, "--time-scale", "100", "--json"]);
  let evse: ReturnType<typeof spawnNacs> | undefined;
  try {
    await waitForStderr(
      cables,
      /nacs board-sim --fleet: ready: 2 cables in .* \(board mux unix:.*mux-\d+\.sock\)/,
      20_000,
    );
    evse = spawnNacs(["evse", ...common]);
    await waitForStderr(
      evse,
      /nacs evse --fleet: ready: 2 chargers .*, 2 simulated cables joined \(hosted by another process, 2 over its board mux\), 0 hosted here/,
      20_000,
    );
    const ev = spawnNacs(["ev", ...common, "--plug-in-spread", "0", "--duration", "1"]);
    assert.equal(await exitWithin(ev, "nacs ev --fleet", 25_000), 0, ev.err);
    const s = JSON.parse(ev.out) as EvFleetSummary;
    assert.equal(s.endedNormally, 2);
    for (let k = 0; k < 80 && !/sessions ended 2/.test(evse.err); k++)
      await new Promise((r) => setTimeout(r, 100));
    evse.child.kill("SIGTERM"); // the processes this test started
    assert.equal(await exitWithin(evse, "nacs evse --fleet", 20_000), 0, evse.err);
    assert.equal((JSON.parse(evse.out) as EvseFleetSummary).sessionsNormal, 2);
    cables.child.kill("SIGTERM");
    assert.equal(await exitWithin(cables, "nacs board-sim --fleet", 20_000), 0, cables.err);
    const h = JSON.parse(cables.out) as { cables: number; chargerJoins: number; vehiclePlugIns: number };
    assert.deepEqual([h.cables, h.chargerJoins, h.vehiclePlugIns], [2, 2, 2]);
  } finally {
    killIfRunning(evse);
    killIfRunning(cables);
    rmSync(dir, { recursive: true, force: true });
  }
});
