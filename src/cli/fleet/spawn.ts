/**
 * Worker processes of the live fleets: `node --import tsx WORKER.ts` from a source checkout (dev), plain
 * `node WORKER.js` from the built package or the launcher's transpiled copy, with an IPC channel (JSON
 * messages both ways). Processes rather than threads: each holds its own descriptors (the fd limit is per
 * process) and its own event loop. Every wait on a worker is bounded; a worker that exits is reported
 * with its exit code or signal.
 */
import { type ChildProcess, fork } from "node:child_process";
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

/** A running worker process. */
export interface FleetProcess<Out> {
  readonly pid: number;
  send(msg: unknown): void;
  /** Called for every message from the worker. */
  onMessage(cb: (m: Out) => void): void;
  /** Resolves once it has exited: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL it if it is still running. */
  kill(signal?: NodeJS.Signals): void;
}

/** The worker module `name` (e.g. "ev-worker") beside this file, as .ts under tsx or as built .js. */
export function workerModule(name: string): { path: string; execArgv: string[] } {
  const ts = import.meta.url.endsWith(".ts");
  const path = fileURLToPath(new URL(`./${name}${ts ? ".ts" : ".js"}`, import.meta.url));
  return { path, execArgv: ts ? ["--import", "tsx"] : [] };
}

/**
 * Node flags of every fleet worker. A worker allocates about 170 kB of short-lived objects per pair-second
 * (readings, V2G messages, timers); with V8's default 16 MB young generation that was 7 scavenges a second of
 * 4–9 ms each at 500 pairs. With 32 MB, at 1,000 pairs, a scavenge still came every 110 ms (7.6 ms on
 * average) and promoted about 2 MB each: objects that live one 200 ms charge-loop cycle outlived two
 * scavenges, filled the old generation and brought a 16–31 ms mark-compact every 20 s. 64 MB lets them die
 * young: EV round trip p99 68 → 47 ms and about 10 % less CPU per worker, for about 20–45 MB more resident
 * memory per worker (128 MB: no better, 150 MB more).
 *
 * Not `--heap-growing-percent=100` (the old generation let grow to twice its live size after a
 * mark-compact): at 1,000 pairs it lowered the round trip's p99 in six interleaved pairs of runs (e.g. 63.8
 * → 31.2, 36.1 → 16.4 ms), but at 1,750 pairs both runs with it lost hundreds of sessions at once to the
 * CurrentDemand timeout (982, 731), and the run without it none.
 *
 * Design choices, measured with `--trace-gc` and `npm run bench -- live-fleet` (1,000 pairs, one worker a
 * side).
 */
export const FLEET_WORKER_NODE_ARGS: readonly string[] = ["--max-semi-space-size=64"];

/**
 * Fork the worker module `name` with `env` added; its stderr and stdout go to ours. NACS_FLEET_NODE_ARGS
 * (space-separated) adds Node flags to every worker, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` or
 * `--trace-gc` (Node refuses some of these in NODE_OPTIONS).
 */
export function forkWorker<Out>(name: string, env: Record<string, string> = {}): FleetProcess<Out> {
  const m = workerModule(name);
  const extra = (process.env.NACS_FLEET_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const cp: ChildProcess = fork(m.path, [], {
    execArgv: [...m.execArgv, ...FLEET_WORKER_NODE_ARGS, ...extra],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const listeners: ((m: Out) => void)[] = [];
  cp.on("message", (msg) => {
    for (const l of listeners) l(msg as Out);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    cp.once("exit", (code, signal) => r({ code, signal })),
  );
  // a failed fork (no such module, no node) arrives as 'error' and then 'exit'
  cp.on("error", () => undefined);
  return {
    pid: cp.pid ?? -1,
    send(msg) {
      if (cp.connected) cp.send(msg as object, (err) => err && undefined);
    },
    onMessage: (cb) => listeners.push(cb),
    exited,
    kill(signal = "SIGKILL") {
      if (cp.exitCode === null && cp.signalCode === null) cp.kill(signal);
    },
  };
}

/** How a worker's exit reads in a failure reason. */
export function exitText(e: { code: number | null; signal: NodeJS.Signals | null }): string {
  return e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
}

/** In a worker: send to the parent (dropped once the channel is gone). */
export function toParent(msg: unknown): void {
  if (process.send && process.connected) process.send(msg as object);
}

/** In a worker: send to the parent and resolve once it is handed to the channel (bounded: 5 s). */
export function toParentAndWait(msg: unknown): Promise<void> {
  return new Promise((r) => {
    if (!process.send || !process.connected) return r();
    const t = setTimeout(r, 5_000);
    process.send(msg as object, undefined, {}, () => {
      clearTimeout(t);
      r();
    });
  });
}

/**
 * A worker's entry: wait for its `start` message, run it, exit 0 (or 1 with the error on stderr). The
 * terminal's Ctrl-C reaches the whole process group: the parent decides when the worker's sessions stop.
 */
export function serveFleetWorker<In extends { kind: string }>(
  what: string,
  run: (m: Extract<In, { kind: "start" }>) => Promise<void>,
): void {
  if (!process.send) return;
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => undefined);
  process.once("message", (m: In) => {
    if (m.kind !== "start") return;
    run(m as Extract<In, { kind: "start" }>).then(
      () => {
        if (process.connected) process.disconnect();
        process.exit(0);
      },
      (e) => {
        process.stderr.write(`${what} worker ${process.pid}: ${(e as Error).stack ?? e}\n`);
        process.exit(1);
      },
    );
  });
}

/** The fleet workers' event-loop delay monitors sample every this many ms. Design choice. */
const LOOP_DELAY_RESOLUTION_MS = 5;

/** An event-loop delay monitor of a fleet worker (read it with {@link lateMs}). */
export const loopDelayMonitor = (): IntervalHistogram =>
  monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });

/**
 * A percentile of a {@link loopDelayMonitor} (ns) as ms late, less the monitor's resolution (the timer's own
 * period), rounded to µs.
 */
export const lateMs = (ns: number): number =>
  Math.round(Math.max(0, ns / 1e6 - LOOP_DELAY_RESOLUTION_MS) * 1000) / 1000;

/** CPU use since `cpu0` over `wallMs`, in % of one core. */
export function cpuPercentSince(cpu0: NodeJS.CpuUsage, wallMs: number): number {
  const cpu = process.cpuUsage(cpu0);
  return Math.round((100 * (cpu.user + cpu.system)) / 1000 / Math.max(1, wallMs));
}
