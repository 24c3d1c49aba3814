/**
 * `nacs evse --fleet M` (programmatic: {@link startEvseFleet}): M chargers (this shard's share), charger i
 * on SDP port `--sdp-port` + i with its own V2G listener and board (`--board` per charger), sharded round
 * robin over `--workers` processes (evse-worker.ts). Sharding is by charger: each charger's sockets live in
 * the worker that runs it, so nothing is handed between processes. Runs until stopped (SIGINT/SIGTERM or
 * `--duration`), then prints the summary. A worker that dies is reported with its chargers (their sessions
 * in progress are lost with it) and the exit code says so.
 */

import {
  createLatencyHistogram,
  type HistogramJson,
  histogramFromJson,
  type LatencyHistogram,
  mergeHistograms,
} from "../../link/host/latency-histogram.js";
import type { EvseOptions } from "../commands/evse.js";
import { UsageError } from "../errors.js";
import type { ChargerSession } from "./charger-session.js";
import type { EvseWorkerIn, EvseWorkerOut } from "./evse-worker.js";
import {
  ensureFleetSimDir,
  FLEET_FDS_PER_PAIR,
  fdLimit,
  fleetSimDir,
  fleetWorkerCount,
  shardIndices,
  splitOverWorkers,
} from "./options.js";
import { mergeRttWindows } from "./rtt-windows.js";
import { exitText, type FleetProcess, forkWorker } from "./spawn.js";
import { type EvseFleetSummary, evseFleetSummary, sumCounts, type WorkerFigures } from "./summary.js";

/** Every worker must have started its chargers within this long (ms), else the fleet gives up. */
export const EVSE_FLEET_READY_LIMIT_MS = 120_000;
/** After `stop`, every worker must have reported within this long (ms), else it is killed. */
export const EVSE_FLEET_STOP_LIMIT_MS = 30_000;

/** A running EVSE fleet. */
export interface EvseFleet {
  /** Worker process ids. */
  readonly pids: number[];
  /** Resolves once every worker has started its chargers: how many run, and which could not start. */
  readonly ready: Promise<{
    chargers: number;
    failed: { index: number; reason: string }[];
    /** `--board sim`: the simulated cables the workers host (the others joined a cable host's). */
    cablesHosted: number;
    /** Of the joined ones: those joined over the cable host's board mux. */
    viaBoardMux: number;
    /** `--board-mux`: where the workers serve the cables over TCP, in worker order. */
    boardMux?: string[];
  }>;
  /** Sessions, in-loop and trips so far (from the workers' last progress). */
  progress(): { chargers: number; sessions: number; inLoop: number; trips: number; died: number };
  /** Stop every charger and resolve with the summary. */
  stop(): Promise<EvseFleetSummary>;
}

/**
 * Start the EVSE fleet of `o` (with `o.fleet` set). With `--test-pki DIR`, create the PKI first
 * (`evseTlsConfig(o)`, as `nacs evse --fleet` does): every worker reads it.
 */
export function startEvseFleet(o: EvseOptions): EvseFleet {
  const n = o.fleet ?? 1;
  const indices = shardIndices(n, o.shard);
  const wc = fleetWorkerCount(o.workers, indices.length, FLEET_FDS_PER_PAIR.evse, fdLimit());
  if (wc.note) process.stderr.write(`nacs evse --fleet: ${wc.note}\n`);
  const parts = splitOverWorkers(indices, wc.count);
  // --board-mux: worker K serves its cables on the port + K
  if (o.boardMux && o.boardMux.port + parts.length - 1 > 65_535)
    throw new UsageError(
      `option --board-mux: worker K listens on port ${o.boardMux.port} + K, and with ${parts.length} workers the last port would be ${o.boardMux.port + parts.length - 1}: a port of at most ${65_536 - parts.length}`,
      "--board-mux",
    );
  ensureFleetSimDir(o.board);
  const w0 = performance.now();
  const t0 = Date.now();
  const sessions: ChargerSession[] = [];
  /** When each session that did not end normally went wrong (ms after `t0`): the timeline's failures. */
  const failedAtMs: number[] = [];
  type W = {
    proc: FleetProcess<EvseWorkerOut>;
    indices: number[];
    ready?: Extract<EvseWorkerOut, { kind: "ready" }>;
    last?: Extract<EvseWorkerOut, { kind: "progress" }>;
    done?: Extract<EvseWorkerOut, { kind: "done" }>;
    died?: string;
    readyWaiter?: () => void;
  };
  /** `--board-mux`: where worker `w` serves its cables over TCP. */
  const servedAt = (w: W): string | undefined => {
    const b = w.ready?.boardMux;
    return b && "where" in b ? b.where : undefined;
  };
  const workers: W[] = parts.map((share) => ({
    proc: forkWorker<EvseWorkerOut>("evse-worker"),
    indices: share,
  }));
  for (const [k, w] of workers.entries()) {
    w.proc.onMessage((m) => {
      if (m.kind === "session") {
        sessions.push(m.session);
        if (!m.session.normal) failedAtMs.push((m.session.failedAtEpochMs ?? Date.now()) - t0);
      } else if (m.kind === "progress") w.last = m;
      else if (m.kind === "ready") {
        w.ready = m;
        w.readyWaiter?.();
      } else if (m.kind === "done") w.done = m;
    });
    void w.proc.exited.then((e) => {
      if (!w.done) w.died = exitText(e);
      w.readyWaiter?.();
    });
    w.proc.send({
      kind: "start",
      options: o,
      indices: w.indices,
      t0,
      ...(o.boardMux && { muxPlace: { index: k, count: workers.length } }),
    } satisfies EvseWorkerIn);
  }
  const ready = (async () => {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            if (w.ready) return resolve();
            const t = setTimeout(
              () =>
                reject(
                  new Error(
                    `EVSE fleet worker ${w.proc.pid}: chargers not started within ${EVSE_FLEET_READY_LIMIT_MS / 1000} s`,
                  ),
                ),
              EVSE_FLEET_READY_LIMIT_MS,
            );
            w.readyWaiter = () => {
              clearTimeout(t);
              if (w.ready) resolve();
              else
                reject(
                  new Error(
                    `EVSE fleet worker ${w.proc.pid} ${w.died ?? "exited"} before its chargers started`,
                  ),
                );
            };
          }),
      ),
    );
    for (const w of workers) {
      const b = w.ready?.boardMux;
      if (b && "error" in b) throw new Error(`--board-mux: ${b.error}`);
    }
    const boardMux = workers.flatMap((w) => servedAt(w) ?? []);
    return {
      chargers: workers.reduce((a, w) => a + (w.ready?.chargers ?? 0), 0),
      failed: workers.flatMap((w) => w.ready?.failed ?? []),
      cablesHosted: workers.reduce((a, w) => a + (w.ready?.cablesHosted ?? 0), 0),
      viaBoardMux: workers.reduce((a, w) => a + (w.ready?.viaBoardMux ?? 0), 0),
      ...(boardMux.length > 0 && { boardMux }),
    };
  })();
  ready.catch(() => undefined);
  let stopped: Promise<EvseFleetSummary> | null = null;
  const stop = async (): Promise<EvseFleetSummary> => {
    for (const w of workers) w.proc.send({ kind: "stop" } satisfies EvseWorkerIn);
    await Promise.all(
      workers.map(async (w) => {
        let t: NodeJS.Timeout | undefined;
        const late = new Promise<void>((r) => {
          t = setTimeout(r, EVSE_FLEET_STOP_LIMIT_MS);
        });
        await Promise.race([w.proc.exited, late]);
        clearTimeout(t);
        if (!w.done && !w.died) w.died = `no report within ${EVSE_FLEET_STOP_LIMIT_MS / 1000} s of the stop`;
        w.proc.kill();
      }),
    );
    const simulated = fleetSimDir(o.board) !== null;
    const figures: WorkerFigures[] = workers.map((w) => {
      const boardMux = servedAt(w);
      return {
        pid: w.proc.pid,
        pairs: w.indices.length,
        cpuPercent: w.done?.cpuPercent ?? null,
        loopDelayP99Ms: w.done?.loopDelayP99Ms ?? null,
        maxRssKb: w.done?.maxRssKb ?? null,
        ...(simulated && w.ready && { cablesHosted: w.ready.cablesHosted }),
        ...(w.ready?.viaBoardMux && { viaBoardMux: w.ready.viaBoardMux }),
        ...(boardMux && { boardMux }),
        ...(w.died && { died: w.died }),
      };
    });
    return evseFleetSummary(sessions, {
      chargers: workers.reduce((a, w) => a + (w.ready?.chargers ?? 0), 0),
      shard: o.shard ?? null,
      workers: figures,
      wallS: (performance.now() - w0) / 1000,
      notStarted: workers.flatMap((w) => w.ready?.failed ?? []),
      boardsLost: workers.reduce((a, w) => a + (w.done?.boardsLost ?? 0), 0),
      interlocksByCause: sumCounts(workers.map((w) => w.done?.interlocks ?? {})),
      interlockOffMs: workers.flatMap((w) => w.done?.interlockOffMs ?? []),
      lostChargers: workers.filter((w) => w.died).reduce((a, w) => a + w.indices.length, 0),
      responseMs: workers.flatMap((w) => w.done?.responseMs ?? []),
      loopResponseMs: workers.flatMap((w) => w.done?.loopResponseMs ?? []),
      responseHistogram: mergedOf(workers.map((w) => w.done?.responseHistogram)),
      loopResponseHistogram: mergedOf(workers.map((w) => w.done?.loopResponseHistogram)),
      windowsFromEpochMs: t0,
      seccWindows: mergeRttWindows(
        workers.map((w) => w.done?.windows ?? []),
        failedAtMs,
      ),
    });
  };
  return {
    pids: workers.map((w) => w.proc.pid),
    ready,
    progress: () => {
      const sum = (f: (p: NonNullable<W["last"]>) => number) =>
        workers.reduce((a, w) => a + (w.last ? f(w.last) : 0), 0);
      return {
        chargers: sum((p) => p.chargers),
        sessions: sum((p) => p.sessions),
        inLoop: sum((p) => p.inLoop),
        trips: sum((p) => p.trips),
        died: workers.filter((w) => w.died).length,
      };
    },
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}

/** The workers' histograms merged (a worker that died sent none). */
function mergedOf(hs: readonly (HistogramJson | undefined)[]): LatencyHistogram {
  return hs.reduce<LatencyHistogram>(
    (a, h) => (h ? mergeHistograms(a, histogramFromJson(h, "worker histogram")) : a),
    createLatencyHistogram(),
  );
}

/** The exit code of an EVSE fleet: 0 when no session tripped, every charger started and no worker died. */
export function evseFleetExitCode(s: EvseFleetSummary): number {
  const trips = Object.values(s.tripsByFault).reduce((a, b) => a + b, 0);
  return trips === 0 && s.notStarted.length === 0 && s.workers.every((w) => !w.died) ? 0 : 1;
}
