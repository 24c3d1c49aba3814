/**
 * Worker process of `nacs ev --fleet`: runs its share of the vehicles. Plug-ins at their due times (the
 * fleet's shared start plus the vehicle's offset in the spread) with back-pressure: at most `maxStarting`
 * of its vehicles in session set-up (plug-in → charge loop) at once, and no plug-in while this process's
 * event-loop delay p99 (over the last {@link HOLD_WINDOW_MS}) is above `holdDelayMs` — each such pause is
 * a "hold", counted. A vehicle stops normally after `durationMs` in the loop (if given), on the parent's
 * `stop`, or at its target SOC. Each vehicle's result goes to the parent as it ends, so a worker that dies
 * loses only the vehicles still running. Messages: see {@link EvWorkerIn} / {@link EvWorkerOut}.
 */
import { formatChannelRanges } from "../../link/board/mux.js";
import { muxKeyOption } from "../../link/board/mux-auth.js";
import type { BoardMuxClient } from "../../link/board/mux-client.js";
import { stderrLogger } from "../../link/host/cli-support.js";
import { connectBoardMuxes, connectBoardMuxPark } from "../../sim/board/mux-socket.js";
import type { EvOptions } from "../commands/ev.js";
import { evTlsConfig } from "../commands/tls-options.js";
import {
  type FleetVehicle,
  startFleetVehicle,
  type VehicleResult,
  vehicleNotStarted,
  vehicleResult,
} from "./ev-vehicle.js";
import { fleetSimDir } from "./options.js";
import { createRttWindows, type RttWindowJson } from "./rtt-windows.js";
import {
  cpuPercentSince,
  lateMs,
  loopDelayMonitor,
  serveFleetWorker,
  toParent,
  toParentAndWait,
} from "./spawn.js";

/** A vehicle must reach its charge loop within this long of its plug-in (ms). Design choice. */
export const FLEET_SETUP_LIMIT_MS = 60_000;
/** After it was told to stop, a vehicle's session must have ended within this long (ms). Design choice. */
export const FLEET_END_LIMIT_MS = 20_000;
/** The event-loop delay behind a hold is taken over windows this long (ms). */
const HOLD_WINDOW_MS = 500;
/** Progress to the parent every this many ms. */
const PROGRESS_MS = 1_000;

/** Parent → worker. */
export type EvWorkerIn =
  | {
      kind: "start";
      options: EvOptions;
      /** Vehicles of this worker and their plug-in times (ms after `t0`, epoch ms). */
      vehicles: { index: number; atMs: number }[];
      t0: number;
      maxStarting: number;
      holdDelayMs: number;
      /** Stop each vehicle this long after its charge loop started (ms); none: at its target SOC. */
      durationMs?: number;
    }
  | { kind: "stop" };

/** Counters of a worker (progress, and its part of the summary). */
export interface EvWorkerCounts {
  started: number;
  inLoop: number;
  ended: number;
  failed: number;
  holds: number;
  holdMs: number;
  loopDelayP99Ms: number;
  /** Vehicles whose simulated cable was joined over a board mux (one connection for many cables). */
  viaMux: number;
}

/** Worker → parent. */
export type EvWorkerOut =
  | ({ kind: "progress" } & EvWorkerCounts)
  | { kind: "vehicle"; result: VehicleResult }
  | ({
      kind: "done";
      cpuPercent: number;
      wallMs: number;
      notStarted: number;
      /** The worker process's peak resident set (kB). */
      maxRssKb: number;
      /** Its charge-loop round trips by window of wall time. */
      rttWindows: RttWindowJson[];
    } & EvWorkerCounts);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A sleep that does not keep the process alive (the loser of a race). */
const idle = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

async function run(m: Extract<EvWorkerIn, { kind: "start" }>): Promise<void> {
  const o = m.options;
  const log = stderrLogger(o.logLevel, "ev-fleet");
  const tls = await evTlsConfig(o);
  // the process hosting the simulated cables serves them all over one board mux connection
  const simDir = fleetSimDir(o.board);
  // --board-mux: the park on another machine serves them over TCP, and every vehicle joins its cable there
  let muxes: BoardMuxClient[] = [];
  let noMux: string | null = null;
  if (o.boardMux)
    try {
      muxes = await connectBoardMuxPark(o.boardMux.host, o.boardMux.port, log, muxKeyOption(o.boardMuxKey));
      noMux = `no board mux of the park at ${muxes[0]?.where} hosts its cable (they host ${muxes.map((x) => formatChannelRanges(x.hosts)).join("; ")})`;
    } catch (e) {
      noMux = `--board-mux: ${(e as Error).message}`;
    }
  else if (simDir) muxes = await connectBoardMuxes(simDir, log);
  const muxOf = (i: number) => muxes.find((x) => x.hosts.has(i));
  const rttWindows = createRttWindows(m.t0);
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  const counts: EvWorkerCounts = {
    started: 0,
    inLoop: 0,
    ended: 0,
    failed: 0,
    holds: 0,
    holdMs: 0,
    loopDelayP99Ms: 0,
    viaMux: 0,
  };
  const whole = loopDelayMonitor();
  const recent = loopDelayMonitor();
  whole.enable();
  recent.enable();
  let held = false;
  let heldSince = 0;
  const watch = setInterval(() => {
    const p99 = lateMs(recent.percentile(99));
    recent.reset();
    rttWindows.loopDelay(p99);
    if (p99 > m.holdDelayMs && !held) {
      held = true;
      heldSince = performance.now();
    } else if (p99 <= m.holdDelayMs && held) {
      held = false;
      counts.holdMs += performance.now() - heldSince;
    }
  }, HOLD_WINDOW_MS);
  const progress = setInterval(() => {
    counts.loopDelayP99Ms = lateMs(whole.percentile(99));
    toParent({ kind: "progress", ...counts } satisfies EvWorkerOut);
  }, PROGRESS_MS);
  let stopping = false;
  let starting = 0;
  const running = new Set<Promise<void>>();
  const active = new Set<FleetVehicle>();
  const stopAll = () => {
    if (stopping) return;
    stopping = true;
    // every running vehicle stops normally, spread over up to 1 s so they do not all stop in one ms
    const list = [...active];
    list.forEach((v, k) => {
      setTimeout(() => v.live.push({ kind: "stop" }), list.length > 1 ? (1000 * k) / list.length : 0);
    });
  };
  process.on("message", (x: EvWorkerIn) => x.kind === "stop" && stopAll());
  // the parent is gone: stop in order and leave (nobody reads the results)
  process.once("disconnect", stopAll);
  const report = (r: VehicleResult) => {
    counts.ended++;
    if (!r.ok) counts.failed++;
    toParent({ kind: "vehicle", result: r } satisfies EvWorkerOut);
  };
  const runVehicle = async (i: number): Promise<void> => {
    counts.started++;
    starting++;
    let v: FleetVehicle;
    try {
      const mux = muxOf(i);
      if (!mux && noMux !== null) throw new Error(noMux);
      if (mux) counts.viaMux++;
      v = await startFleetVehicle(o, i, tls, log, {
        mux,
        onLoopRtt: (ms) => rttWindows.add(ms, counts.inLoop),
      });
    } catch (e) {
      starting--;
      report(vehicleNotStarted(i, `cannot start: ${(e as Error).message}`));
      return;
    }
    active.add(v);
    let note: string | null = null;
    let inLoop = false;
    const setup = await Promise.race([
      v.inLoop.then(() => "loop"),
      v.live.done.then(() => "ended"),
      idle(FLEET_SETUP_LIMIT_MS).then(() => "late"),
    ]);
    starting--;
    if (setup === "loop") {
      inLoop = true;
      counts.inLoop++;
      // TEST-ONLY hook: this worker dies (SIGKILL) once a vehicle of it is in the charge loop
      if (process.env.NACS_FLEET_TEST_DIE_IN_LOOP === "1") process.kill(process.pid, "SIGKILL");
      if (m.durationMs !== undefined && !stopping) {
        // spread over 1 s by index so a fleet plugged in at once does not stop in one ms
        const at = m.durationMs + (i % 1000);
        await Promise.race([v.live.done, idle(at)]);
        v.live.push({ kind: "stop" });
      }
    } else if (setup === "late") note = `no charge loop within ${FLEET_SETUP_LIMIT_MS / 1000} s of plug-in`;
    if (note === null) {
      // bounded only once a stop was asked for: a vehicle charging toward its target SOC runs as long as that takes
      let over = false;
      const ended = await Promise.race([
        v.live.done.then(() => true),
        (async () => {
          while (!over && !stopping && m.durationMs === undefined) await idle(200);
          await idle(FLEET_END_LIMIT_MS);
          return false;
        })(),
      ]);
      over = true;
      if (!ended) note = `no session end within ${FLEET_END_LIMIT_MS / 1000} s of the stop`;
    }
    active.delete(v);
    if (inLoop) counts.inLoop--;
    const reachedSdp = v.reachedSdp();
    await v.close(); // resolves `done` if it had not (the report then shows where it stood)
    const s = await v.live.done;
    report(vehicleResult(i, s, v.loopRtt(), reachedSdp, note, stopping && !inLoop));
  };
  // plug-ins in order of due time, held while the set-up slots are full or the event loop is late
  const queue = [...m.vehicles].sort((a, b) => a.atMs - b.atMs);
  let notStarted = 0;
  let holding = false;
  let k = 0;
  while (k < queue.length) {
    if (stopping) {
      notStarted = queue.length - k;
      break;
    }
    const due = m.t0 + queue[k]!.atMs - Date.now();
    if (due > 0) {
      await sleep(Math.min(due, 50));
      continue;
    }
    if (held && !holding) counts.holds++;
    holding = held;
    if (starting >= m.maxStarting || held) {
      await sleep(held ? HOLD_WINDOW_MS / 5 : 5);
      continue;
    }
    const p = runVehicle(queue[k]!.index);
    running.add(p);
    void p.finally(() => running.delete(p));
    k++;
  }
  // once (a Promise.race per ending vehicle would add a reaction to every running one each time)
  await Promise.allSettled([...running]);
  for (const x of muxes) x.close();
  clearInterval(watch);
  clearInterval(progress);
  if (held) counts.holdMs += performance.now() - heldSince;
  counts.holdMs = Math.round(counts.holdMs);
  counts.loopDelayP99Ms = lateMs(whole.percentile(99));
  const wallMs = performance.now() - w0;
  await toParentAndWait({
    kind: "done",
    ...counts,
    notStarted,
    wallMs: Math.round(wallMs),
    cpuPercent: cpuPercentSince(cpu0, wallMs),
    maxRssKb: process.resourceUsage().maxRSS,
    rttWindows: rttWindows.toJson(),
  } satisfies EvWorkerOut);
}

serveFleetWorker<EvWorkerIn>("nacs ev --fleet", run);
