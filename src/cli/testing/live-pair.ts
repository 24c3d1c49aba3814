/**
 * Test and bench support for the live pair (`nacs evse` + `nacs ev` on loopback): processes whose stdin
 * the test types operator commands into, waiting for a record event, reading JSON summaries, and
 * cleaning up only the processes started here (by their PIDs). Every wait is bounded.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { NacsProc } from "./spawn-nacs.js";

/** A running `nacs` whose stdin is a pipe. */
export interface PipedNacsProc extends NacsProc {
  /** Write `line` and a newline to its stdin. */
  type(line: string): void;
}

/** Start `node bin/nacs.js ARGS` from the repository root with stdin, stdout and stderr piped. */
export function spawnNacsPiped(args: string[]): PipedNacsProc {
  const child = spawn(process.execPath, ["bin/nacs.js", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const p: PipedNacsProc = {
    child,
    out: "",
    err: "",
    exit: new Promise((r) => child.on("close", (c) => r(c))),
    type(line) {
      child.stdin?.write(`${line}\n`);
    },
  };
  child.stdin?.on("error", () => {}); // the process may be gone when a line is typed
  child.stdout?.on("data", (d: Buffer) => {
    p.out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    p.err += d.toString();
  });
  return p;
}

/** An SDP port per run so parallel test files never meet another EVSE (below the ephemeral range). */
export const randomSdpPort = (): string => String(20000 + Math.floor(Math.random() * 12000));

/**
 * The options `nacs evse` and `nacs ev` of one loopback pair share: `lo` without SLAC, JSON summaries, SDP
 * on `sdpPort`, and one simulated cable (`world.sock` in `dir`) whose energy moves 300 times faster.
 */
export function livePairArgs(dir: string, sdpPort: string = randomSdpPort()): string[] {
  return [
    ...["--iface", "lo", "--no-slac", "--json", "--sdp-port", sdpPort],
    ...["--time-scale", "300", "--board", `sim:${join(dir, "world.sock")}`],
  ];
}

/** A record event of `--events` (NDJSON). */
export type LiveRecord = { t: number; type: string } & Record<string, unknown>;

/** The events written so far to an `--events` file (a partly written last line is skipped). */
export function readRecords(path: string): LiveRecord[] {
  if (!existsSync(path)) return [];
  const out: LiveRecord[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as LiveRecord);
    } catch {
      // the line is still being written
    }
  }
  return out;
}

/**
 * Wait until the `--events` file at `path` has an event matching `match`; fails when `p` exits first or
 * `ms` pass (the message names `what` and shows `p`'s stderr).
 */
export async function waitForRecord(
  p: NacsProc,
  path: string,
  match: (e: LiveRecord) => boolean,
  what: string,
  ms: number,
): Promise<LiveRecord> {
  const until = Date.now() + ms;
  for (;;) {
    const e = readRecords(path).find(match);
    if (e) return e;
    if (p.child.exitCode !== null) throw new Error(`exited before ${what}: ${p.err}`);
    if (Date.now() > until) throw new Error(`timeout waiting for ${what}: ${p.err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves with `p`'s result, or rejects naming `what` after `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timeout (${ms} ms) waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The JSON summaries a `--json` process printed, one per stdout line. */
export function summaries(p: NacsProc): Record<string, unknown>[] {
  return p.out
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The one JSON summary of a `--json` process (fails naming the process's output otherwise). */
export function summary(p: NacsProc): Record<string, unknown> {
  const all = summaries(p);
  if (all.length !== 1) throw new Error(`expected one JSON summary, got ${all.length}: ${p.out}\n${p.err}`);
  return all[0]!;
}

/**
 * End what is still running of the processes started here, by their PIDs: SIGKILL, then wait (at most
 * `ms`) for each to be gone.
 */
export async function stopProcs(procs: (NacsProc | null | undefined)[], ms = 5_000): Promise<void> {
  const running = procs.filter(
    (p): p is NacsProc => !!p && p.child.exitCode === null && p.child.signalCode === null,
  );
  for (const p of running) p.child.kill("SIGKILL");
  await within(Promise.all(running.map((p) => p.exit)), ms, "processes to exit").catch(() => {});
}

/** SIGKILL a process by PID if it is still there (a board process started by a process started here). */
export function killPid(pid: number | null): void {
  if (pid === null) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** The parent PID of `pid` (Linux /proc), or null when it is gone. */
export function parentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid …; comm may hold spaces and parentheses: read after the last ")".
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[1]);
  } catch {
    return null;
  }
}

/** The epoch time (ms, pino's `time`) of the first JSON log line on `p`'s stderr whose msg matches `re`. */
export function logTime(p: NacsProc, re: RegExp): number | null {
  for (const line of p.err.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const j = JSON.parse(line) as { time?: number; msg?: string };
      if (j.msg !== undefined && re.test(j.msg) && typeof j.time === "number") return j.time;
    } catch {
      // not a log line
    }
  }
  return null;
}
