/**
 * `nacs fleet merge` as a process: two shards' `--json` summaries → one, counts summed and p99 from the
 * merged histograms; a mix of kinds exits 2 naming the file and the field. `-` reads stdin (once).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { VehicleResult } from "../fleet/ev-vehicle.js";
import type { MergedEvFleetSummary } from "../fleet/merge.js";
import { evFleetSummary } from "../fleet/summary.js";
import { oneChargerEvseSummary } from "../fleet/summary-fixtures.js";
import { exitWithin, killIfRunning, spawnNacs } from "../testing/spawn-nacs.js";
import { readSummaries } from "./fleet.js";

/** Vehicles `from` … `from + n − 1`, 10 round trips each: (index + 1) · 1 … (index + 1) · 10 ms. */
const shard = (k: number, indices: number[]) =>
  evFleetSummary(
    indices.map(
      (index): VehicleResult => ({
        index,
        ok: index !== 3,
        stopReason: index === 3 ? "timeout" : "stopped by the driver",
        failure: index === 3 ? { phase: "charge loop", reason: "timeout" } : null,
        reachedLoop: true,
        setupMs: 1000 + index,
        energyWh: 10,
        rtt: Array.from({ length: 10 }, (_, j) => (index + 1) * (j + 1)),
      }),
    ),
    {
      vehicles: indices.length,
      shard: { index: k, count: 2 },
      workers: [
        { pid: 500 + k, pairs: indices.length, cpuPercent: 9, loopDelayP99Ms: 1, holds: 0, holdMs: 0 },
      ],
      wallS: 5,
      notStarted: 0,
      maxStarting: 50,
      holdDelayMs: 50,
      chargeLoopMs: { minMs: 180, maxMs: 220 },
    },
  );

test("nacs fleet merge a.json b.json --json: counts summed, p99 from the merged histograms; a mix exits 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-fleet-merge-"));
  const [a, b, c] = ["a.json", "b.json", "c.json"].map((f) => join(dir, f)) as [string, string, string];
  writeFileSync(a, `${JSON.stringify(shard(0, [0, 2, 4, 6, 8]))}\n`);
  writeFileSync(b, `${JSON.stringify(shard(1, [1, 3, 5, 7, 9]))}\n`);
  const evse = oneChargerEvseSummary([], [1], []);
  writeFileSync(c, JSON.stringify(evse));
  let p: ReturnType<typeof spawnNacs> | undefined;
  try {
    p = spawnNacs(["fleet", "merge", a, b, "--json"]);
    assert.equal(await exitWithin(p, "nacs fleet merge", 20_000), 0, p.err);
    const m = JSON.parse(p.out) as MergedEvFleetSummary;
    assert.equal(m.kind, "ev-fleet");
    assert.equal(m.vehicles, 10);
    assert.equal(m.failed, 1);
    assert.deepEqual(m.stopReasons, { "stopped by the driver": 9, timeout: 1 });
    assert.equal(m.energyWh.total, 100);
    // 100 round trips (i + 1) · (j + 1): exact nearest-rank p99 (rank 99) is 90, max 100
    assert.equal(m.rttMs.count, 100);
    assert.ok(Math.abs(m.rttMs.p99 - 90) <= 0.9, `p99 ${m.rttMs.p99}`);
    assert.equal(m.rttMs.max, 100);
    assert.deepEqual(
      m.workers.map((w) => w.shard?.index),
      [0, 1],
    );
    p = spawnNacs(["fleet", "merge", a, c]);
    assert.equal(await exitWithin(p, "nacs fleet merge", 20_000), 2, p.err);
    assert.match(p.err, /c\.json: field kind: evse-fleet summary, but .*a\.json is an ev-fleet summary/);
  } finally {
    killIfRunning(p);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readSummaries: - reads stdin, only once; a file that is not JSON is named", () => {
  const read = (f: string | 0) => (f === 0 ? '{"kind":"ev-fleet"}' : "not json");
  assert.deepEqual(readSummaries(["-"], read), [{ file: "-", json: { kind: "ev-fleet" } }]);
  assert.throws(() => readSummaries(["-", "-"], read), /- \(stdin\) given more than once/);
  assert.throws(() => readSummaries(["x.json"], read), /fleet merge: x\.json: not JSON/);
  assert.throws(
    () =>
      readSummaries(["gone.json"], () => {
        throw new Error("ENOENT");
      }),
    /fleet merge: gone\.json: cannot read: ENOENT/,
  );
});
