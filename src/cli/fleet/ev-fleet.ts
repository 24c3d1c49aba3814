/**
 * `nacs ev --fleet N` (programmatic: {@link runEvFleet}): N vehicles (this shard's share), vehicle i paired
 * with charger i (SDP to `--sdp-port` + i, board `--board` per pair), sharded round robin over `--workers`
 * processes (ev-worker.ts), plug-ins spread evenly over `--plug-in-spread` s in index order with at most
 * `--max-starting` vehicles of the whole fleet in set-up at once (split over the workers). Progress on
 * stderr every few seconds; the summary when every vehicle has ended. A worker that dies is reported: its
 * vehicles without a result count as failed, with how it died. SIGINT/SIGTERM stop every vehicle normally.
 */
import type { EvOptions } from "../commands/ev.js";
import type { VehicleResult } from "./ev-vehicle.js";
import type { EvWorkerIn, EvWorkerOut } from "./ev-worker.js";
import {
  ensureFleetSimDir,
  FLEET_FDS_PER_PAIR,
  fdLimit,
  fleetWorkerCount,
  LIVE_FLEET_DEFAULT_CHARGE_LOOP,
  LIVE_FLEET_DEFAULT_MAX_STARTING,
  LIVE_FLEET_DEFAULT_SPREAD_S,
  LIVE_FLEET_HOLD_DELAY_MS,
  shardIndices,
  splitOverWorkers,
} from "./options.js";
import { mergeRttWindows } from "./rtt-windows.js";
import { exitText, type FleetProcess, forkWorker } from "./spawn.js";
import { type EvFleetSummary, evFleetSummary, type WorkerFigures } from "./summary.js";

/** Hooks and output of {@link runEvFleet}. */
export interface RunEvFleetExtra {
  /** Progress lines (default: none). */
  progress?: ((line: string) => void) | null;
  /** Every this many ms (default 5 s). */
  progressEveryMs?: number;
  /** TEST-ONLY: worker k (0-based) dies (SIGKILL) once one of its vehicles is in the charge loop. */
  dieInLoopWorker?: number;
  /** Called with the worker processes once started (tests read their PIDs). */
  onWorkers?: (pids: number[]) => void;
  /** Resolve to stop the fleet (every vehicle stops normally); default: SIGINT / SIGTERM. */
  stop?: Promise<void>;
}

/** The vehicle offsets (ms) of a spread: index order, evenly over the spread. */
export function plugInOffsets(indices: readonly number[], spreadS: number): Map<number, number> {
  const n = indices.length;
  return new Map(indices.map((i, k) => [i, n > 1 ? Math.round((spreadS * 1000 * k) / (n - 1)) : 0]));
}

/** Run the EV fleet of `o` (with `o.fleet` set); resolves with its summary once every vehicle has ended. */
export async function runEvFleet(o: EvOptions, extra: RunEvFleetExtra = {}): Promise<EvFleetSummary> {
  const n = o.fleet ?? 1;
  const indices = shardIndices(n, o.shard);
  const wc = fleetWorkerCount(o.workers, indices.length, FLEET_FDS_PER_PAIR.ev, fdLimit());
  if (wc.note) extra.progress?.(`nacs ev --fleet: ${wc.note}\n`);
  const parts = splitOverWorkers(indices, wc.count);
  ensureFleetSimDir(o.board);
  const maxStarting = o.maxStarting ?? LIVE_FLEET_DEFAULT_MAX_STARTING;
  const offsets = plugInOffsets(indices, o.plugInSpread ?? LIVE_FLEET_DEFAULT_SPREAD_S);
  const t0 = Date.now() + 500; // every worker starts plugging in at the same instant
  const w0 = performance.now();
  const results = new Map<number, VehicleResult>();
  /** When the fleet learnt of each failure (ms after `t0`): the failures' windows of the summary. */
  const failedAtMs: number[] = [];
  type W = {
    proc: FleetProcess<EvWorkerOut>;
    indices: number[];
    last?: Extract<EvWorkerOut, { kind: "progress" }>;
    done?: Extract<EvWorkerOut, { kind: "done" }>;
    died?: string;
  };
  const workers: W[] = parts.map((share, k) => ({
    proc: forkWorker<EvWorkerOut>(
      "ev-worker",
      extra.dieInLoopWorker === k ? { NACS_FLEET_TEST_DIE_IN_LOOP: "1" } : {},
    ),
    indices: share,
  }));
  extra.onWorkers?.(workers.map((w) => w.proc.pid));
  for (const w of workers) {
    w.proc.onMessage((m) => {
      if (m.kind === "vehicle") {
        results.set(m.result.index, m.result);
        if (!m.result.ok) failedAtMs.push(Date.now() - t0);
      } else if (m.kind === "progress") w.last = m;
      else if (m.kind === "done") w.done = m;
    });
    w.proc.send({
      kind: "start",
      options: o,
      vehicles: w.indices.map((index) => ({ index, atMs: offsets.get(index) ?? 0 })),
      t0,
      maxStarting: Math.max(1, Math.floor(maxStarting / workers.length)),
      holdDelayMs: LIVE_FLEET_HOLD_DELAY_MS,
      ...(o.duration !== undefined && { durationMs: o.duration * 1000 }),
    } satisfies EvWorkerIn);
  }
  const stop = () => {
    for (const w of workers) w.proc.send({ kind: "stop" } satisfies EvWorkerIn);
  };
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) {
      // a second signal: leave now; the workers are reported as killed with their vehicles
      extra.progress?.("nacs ev --fleet: second signal, killing the workers\n");
      for (const w of workers) w.proc.kill();
      return;
    }
    extra.progress?.("nacs ev --fleet: stopping every vehicle (again to kill the workers)\n");
    stop();
  };
  if (extra.stop) void extra.stop.then(stop);
  else {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  const sum = (f: (c: NonNullable<W["last"]>) => number) =>
    workers.reduce((a, w) => a + (w.last ? f(w.last) : 0), 0);
  const tick = extra.progress
    ? setInterval(() => {
        const t = ((performance.now() - w0) / 1000).toFixed(0);
        extra.progress?.(
          `ev fleet t=${t}s: started ${sum((c) => c.started)} / ${indices.length}, in the charge loop ${sum((c) => c.inLoop)}, ended ${sum((c) => c.ended)}, failed ${sum((c) => c.failed)}\n`,
        );
      }, extra.progressEveryMs ?? 5_000)
    : null;
  try {
    await Promise.all(
      workers.map(async (w) => {
        const e = await w.proc.exited;
        if (!w.done) w.died = exitText(e);
      }),
    );
  } finally {
    if (tick) clearInterval(tick);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    for (const w of workers) w.proc.kill();
  }
  // nothing lost: a vehicle of a dead worker without a result failed with its worker
  for (const w of workers)
    if (w.died)
      for (const i of w.indices)
        if (!results.has(i)) {
          failedAtMs.push(Date.now() - t0);
          results.set(i, {
            index: i,
            ok: false,
            stopReason: null,
            failure: { phase: "worker", reason: `its worker process ${w.proc.pid} ${w.died}` },
            reachedLoop: false,
            setupMs: null,
            energyWh: 0,
            rtt: [],
          });
        }
  const figures: WorkerFigures[] = workers.map((w) => ({
    pid: w.proc.pid,
    pairs: w.indices.length,
    cpuPercent: w.done?.cpuPercent ?? null,
    loopDelayP99Ms: w.done?.loopDelayP99Ms ?? w.last?.loopDelayP99Ms ?? null,
    maxRssKb: w.done?.maxRssKb ?? null,
    holds: w.done?.holds ?? w.last?.holds ?? 0,
    holdMs: w.done?.holdMs ?? w.last?.holdMs ?? 0,
    viaBoardMux: w.done?.viaMux ?? w.last?.viaMux ?? 0,
    ...(w.died && { died: w.died }),
  }));
  return evFleetSummary([...results.values()], {
    vehicles: indices.length,
    shard: o.shard ?? null,
    workers: figures,
    wallS: (performance.now() - w0) / 1000,
    notStarted: workers.reduce((a, w) => a + (w.done?.notStarted ?? 0), 0),
    maxStarting,
    holdDelayMs: LIVE_FLEET_HOLD_DELAY_MS,
    chargeLoopMs: o.chargeLoopMs ?? LIVE_FLEET_DEFAULT_CHARGE_LOOP,
    windowsFromEpochMs: t0,
    rttWindows: mergeRttWindows(
      workers.map((w) => w.done?.rttWindows ?? []),
      failedAtMs,
    ),
  });
}

/** The exit code of an EV fleet: 0 when every vehicle ended normally and no worker died, else 1. */
export function evFleetExitCode(s: EvFleetSummary): number {
  return s.failed === 0 && s.workers.every((w) => !w.died) ? 0 : 1;
}
