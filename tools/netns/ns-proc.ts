/**
 * Processes the netns harnesses start inside a network namespace (`ip netns exec NS …`) with their output
 * collected, bounded waits on them, and their end by PID (SIGTERM, SIGKILL after 2 s); and the wait for IPv6
 * duplicate address detection on a veth end. Shared by stack.ts and conformance-netns.ts.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { findIp, type VethPair } from "./netns.js";
import { REPO_ROOT } from "./slac-netns.js";

/** A process started in a namespace, its stdout and stderr so far, and its exit. */
export interface Proc {
  child: ChildProcess;
  out: string;
  err: string;
  exit: Promise<number | null>;
}

/** Start `argv` in namespace `ns` (working directory: the repository). */
export function start(ns: string, argv: string[]): Proc {
  const child = spawn(findIp() ?? "ip", ["netns", "exec", ns, ...argv], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: Proc = { child, out: "", err: "", exit: new Promise((r) => child.on("close", (c) => r(c))) };
  child.stdout?.on("data", (d: Buffer) => {
    p.out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    p.err += d.toString();
  });
  return p;
}

/** The process has ended. */
export const exited = (p: Proc): boolean => p.child.exitCode !== null || p.child.signalCode !== null;

/** Wait until `cond` holds; throws at `deadline` (performance.now) or when `p` exits first. */
export async function until(what: string, cond: () => boolean, deadline: number, p?: Proc): Promise<void> {
  while (!cond()) {
    if (p && exited(p)) throw new Error(`${what}: process exited first: ${p.err.slice(-2000)}`);
    if (performance.now() > deadline)
      throw new Error(`${what}: timed out${p ? `: ${p.err.slice(-2000)}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** SIGTERM the process we started (by its PID), SIGKILL after 2 s. */
export async function kill(p: Proc | undefined): Promise<void> {
  if (!p || exited(p)) return;
  p.child.kill("SIGTERM");
  const t = setTimeout(() => p.child.kill("SIGKILL"), 2000);
  await p.exit;
  clearTimeout(t);
}

/** IPv6 duplicate address detection is over on `iface` of namespace `ns` (no tentative address left). */
export const dadDone = (ns: string, iface: string): boolean =>
  execFileSync(findIp() ?? "ip", ["-n", ns, "-6", "addr", "show", "dev", iface, "tentative"], {
    encoding: "utf8",
  }).trim() === "";

/** Wait until duplicate address detection is over on both veth ends of `pair` (throws at `deadline`). */
export function vethAddressesReady(pair: VethPair, deadline: number): Promise<void> {
  return until(
    "IPv6 DAD on both veth ends",
    () => dadDone(pair.nsEv, pair.ifEv) && dadDone(pair.nsEvse, pair.ifEvse),
    deadline,
  );
}
