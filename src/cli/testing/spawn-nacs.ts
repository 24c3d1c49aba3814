/** Test-only: run `nacs` as a child process and wait for lines on its stderr. */
import { type ChildProcess, spawn } from "node:child_process";

/** A running `nacs` process with what it has printed so far. */
export interface NacsProc {
  child: ChildProcess;
  out: string;
  err: string;
  exit: Promise<number | null>;
}

/** Start `node bin/nacs.js ARGS` from the repository root. */
export function spawnNacs(args: string[]): NacsProc {
  const child = spawn(process.execPath, ["bin/nacs.js", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const p: NacsProc = { child, out: "", err: "", exit: new Promise((r) => child.on("close", (c) => r(c))) };
  child.stdout?.on("data", (d: Buffer) => {
    p.out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    p.err += d.toString();
  });
  return p;
}

/** Wait until `re` matches the process's stderr; fails if it exits first or `ms` pass. */
export async function waitForStderr(p: NacsProc, re: RegExp, ms: number): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = re.exec(p.err);
    if (m) return m;
    if (p.child.exitCode !== null) throw new Error(`exited early: ${p.err}`);
    if (Date.now() > until) throw new Error(`timeout waiting for ${re}: ${p.err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** SIGKILL `p` if it is still running (test cleanup). */
export function killIfRunning(p: NacsProc | undefined): void {
  if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
}

/** Resolves with `p`'s exit code, or rejects naming `who` (with its last stderr) after `ms`. */
export async function exitWithin(p: NacsProc, who: string, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${who} still running after ${ms} ms: ${p.err.slice(-2000)}`)),
      ms,
    );
  });
  try {
    return await Promise.race([p.exit, late]);
  } finally {
    clearTimeout(timer);
  }
}
