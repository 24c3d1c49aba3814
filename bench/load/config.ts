/**
 * Parameters of the load bench (issue 6 "`npm run bench`: … 1,000 concurrent DC sessions"), read from the
 * environment, and the small JSON-lines protocol between the bench (SECC) process and its children.
 */
import { spawn, spawnSync } from "node:child_process";
import type { IntervalHistogram } from "node:perf_hooks";
import type { Readable } from "node:stream";

/** Load bench parameters. */
export interface LoadConfig {
  /** Concurrent DC sessions (`NACS_BENCH_SESSIONS`, default 1000). */
  sessions: number;
  /** Measurement window once every session is in the CurrentDemand loop, s (`NACS_BENCH_WINDOW_S`, 20). */
  windowS: number;
  /** Connection start-up spread over this many s (`NACS_BENCH_RAMP_S`, 10). */
  rampS: number;
  /**
   * EV pause between two CurrentDemandReq, ms, drawn per session from [min, max] (`NACS_BENCH_LOOP_MS`,
   * "250" or e.g. "100-250"; default 250 ms ≈ 4,000 requests/s for 1000 sessions).
   */
  loopMinMs: number;
  loopMaxMs: number;
  /** EV child processes (`NACS_BENCH_EV_PROCS`, 2, one per core here). */
  evProcs: number;
  /** Mean emergency-stop rate over all sessions, 1/s (`NACS_BENCH_ESTOP_HZ`, 15). */
  estopHz: number;
  /**
   * The EVSEs' board links on a board thread with the emergency-stop interlock (`NACS_BENCH_BOARD_THREAD`,
   * 1); 0: board links on the main thread. The button is pressed in the simulated world either way.
   */
  boardThread: boolean;
  /**
   * Model time per real time of the plants (`NACS_BENCH_TIME_SCALE`, default 1 = real time; 10 shortens
   * CableCheck/PreCharge but makes every plant update ~8× dearer: 38 µs instead of 5 µs per SECC event).
   */
  timeScale: number;
  /** An emergency-stopped EV plugs in again (new session) after this many ms (re-plug, keeps the load). */
  replugMs: number;
}

function num(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return dflt;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max)
    throw new Error(`${name}=${JSON.stringify(raw)}: must be a number in [${min}, ${max}]`);
  return v;
}

/** Read the parameters from `env`; a bad value throws naming the variable and the rule. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadConfig {
  const loop = (env.NACS_BENCH_LOOP_MS || "250").split("-").map((x) => Number(x));
  const [lo, hi] = [loop[0] ?? NaN, loop[1] ?? loop[0] ?? NaN];
  if (!(lo >= 10 && hi >= lo && hi <= 10_000))
    throw new Error(
      `NACS_BENCH_LOOP_MS=${env.NACS_BENCH_LOOP_MS}: must be "N" or "MIN-MAX" ms, 10 ≤ MIN ≤ MAX`,
    );
  return {
    sessions: Math.round(num(env, "NACS_BENCH_SESSIONS", 1000, 1, 20_000)),
    windowS: num(env, "NACS_BENCH_WINDOW_S", 20, 1, 600),
    rampS: num(env, "NACS_BENCH_RAMP_S", 10, 0, 120),
    loopMinMs: lo,
    loopMaxMs: hi,
    evProcs: Math.round(num(env, "NACS_BENCH_EV_PROCS", 2, 1, 8)),
    estopHz: num(env, "NACS_BENCH_ESTOP_HZ", 15, 0, 1000),
    boardThread: num(env, "NACS_BENCH_BOARD_THREAD", 1, 0, 1) === 1,
    timeScale: num(env, "NACS_BENCH_TIME_SCALE", 1, 1, 1000),
    replugMs: 1000,
  };
}

/** File descriptors a process may open (Node raises its soft limit to the hard one; children inherit it). */
export function fdLimit(): number {
  const r = spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" });
  const v = r.stdout.trim();
  return v === "unlimited" ? Number.POSITIVE_INFINITY : Number(v) || 1024;
}

/** Descriptors a bench process needs besides its sockets (stdio, pipes, epoll, libuv, tsx). */
export const FD_MARGIN = 64;

/**
 * EV processes needed for `sessions` sockets under `limit` descriptors each (at least `wanted`), or an
 * error naming the limit when even the SECC process (one socket per session) cannot hold them.
 */
export function planProcesses(sessions: number, limit: number, wanted: number): number {
  const perProc = limit - FD_MARGIN;
  if (sessions > perProc)
    throw new Error(
      `fd limit ${limit} (ulimit -n) is too low for ${sessions} sessions: the SECC process needs one socket ` +
        `per session plus ~${FD_MARGIN}; raise it (ulimit -n ${sessions + 2 * FD_MARGIN}) or lower NACS_BENCH_SESSIONS`,
    );
  return Math.max(wanted, Math.ceil(sessions / perProc));
}

/** A child process speaking JSON lines on stdout and taking commands as lines on stdin. */
export interface Child {
  readonly pid: number;
  send(cmd: string): void;
  /** Next message with `event === name`. */
  next<T>(name: string, timeoutMs: number): Promise<T>;
  /** Latest message with `event === name` seen so far. */
  latest<T>(name: string): T | undefined;
  readonly exited: Promise<number | null>;
  /** Kill it (if still running). */
  kill(): void;
}

/**
 * Start `script` (a .ts file) under tsx with `env` added; stderr is passed through. With
 * NACS_BENCH_PROF_DIR set, the child writes a V8 CPU profile there (`--cpu-prof`).
 */
export function spawnChild(script: string, env: Record<string, string>): Child {
  const prof = process.env.NACS_BENCH_PROF_DIR;
  const profArgs = prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [];
  const cp = spawn(process.execPath, [...profArgs, "--import", "tsx", script], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  const seen = new Map<string, unknown>();
  const waiters: { name: string; resolve: (v: unknown) => void }[] = [];
  lines(cp.stdout, (l) => {
    if (!l.startsWith("{")) return;
    const msg = JSON.parse(l) as { event: string };
    seen.set(msg.event, msg);
    for (const w of waiters.filter((x) => x.name === msg.event)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(msg);
    }
  });
  const exited = new Promise<number | null>((r) => cp.on("close", r));
  return {
    pid: cp.pid ?? -1,
    send: (cmd) => cp.stdin?.write(`${cmd}\n`),
    next: <T>(name: string, timeoutMs: number) =>
      new Promise<T>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`${script}: no "${name}" within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const w = {
          name,
          resolve: (v: unknown) => {
            clearTimeout(t);
            resolve(v as T);
          },
        };
        waiters.push(w);
        void exited.then((code) => {
          if (!waiters.includes(w)) return;
          clearTimeout(t);
          reject(new Error(`${script} exited (${code}) before "${name}"`));
        });
      }),
    latest: <T>(name: string) => seen.get(name) as T | undefined,
    exited,
    kill: () => {
      if (cp.exitCode === null && cp.signalCode === null) cp.kill();
    },
  };
}

/** Call `cb` for each complete line of `stream`. */
export function lines(stream: Readable | null, cb: (line: string) => void): void {
  let buf = "";
  stream?.on("data", (d: Buffer) => {
    buf += d.toString();
    let i = buf.indexOf("\n");
    while (i >= 0) {
      cb(buf.slice(0, i));
      buf = buf.slice(i + 1);
      i = buf.indexOf("\n");
    }
  });
}

/** Write one JSON message line to stdout (child side). */
export function emit(msg: { event: string } & Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
}

/**
 * Lateness (ms) at percentile `p` (or the max for p = 100) of a `monitorEventLoopDelay` histogram sampled
 * every `resolutionMs`: the histogram holds whole intervals, so the resolution is taken off.
 */
export function lateMs(h: IntervalHistogram, p: number, resolutionMs: number): number {
  const ns = p >= 100 ? h.max : h.percentile(p);
  return r3(Math.max(0, ns / 1e6 - resolutionMs));
}

/** Process CPU time (user + system, ms) since `from` (a `process.cpuUsage()` result). */
export function cpuMs(from?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

/** Round to µs. */
export const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Sleep `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * With NACS_BENCH_TRACE=1: one line per second on stderr with `what()` and the worst lateness of a 10 ms
 * timer in that second (how long this process's event loop was held up, by its own work or by waiting for
 * a CPU). Returns a function that stops it.
 */
export function traceEverySecond(label: string, what: () => string): () => void {
  if (process.env.NACS_BENCH_TRACE !== "1") return () => undefined;
  const t0 = performance.now();
  let last = t0;
  let worst = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  let cpu = process.cpuUsage();
  const line = setInterval(() => {
    const t = ((performance.now() - t0) / 1000).toFixed(1);
    const pct = Math.round(cpuMs(cpu) / 10);
    cpu = process.cpuUsage();
    process.stderr.write(`${label} t=${t}s ${what()} cpu=${pct}% worstLateMs=${worst.toFixed(0)}\n`);
    worst = 0;
  }, 1000);
  tick.unref();
  line.unref();
  return () => {
    clearInterval(tick);
    clearInterval(line);
  };
}
