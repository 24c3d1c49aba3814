/**
 * The whole stack between namespaces (issue 5 §4): two network namespaces joined by a veth pair, our EVSE
 * (`nacs evse --iface veth-evse`) in one and our EV (`nacs ev --iface veth-ev`) in the other, without
 * `--no-slac`: SLAC over raw frames, then SDP (multicast ff02::1) and the V2G session over IPv6 link-local
 * on the same veth. Collects both `--json` summaries; the namespaces are removed afterwards, also when
 * anything fails. Needs root (CI runs as root). Used by stack-netns.test.ts.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVethPair, findIp } from "./netns.js";
import { REPO_ROOT } from "./slac-netns.js";

/** One side's `--json` summary (src/link/host/cli-support.ts summaryJson). */
export interface StackSummary {
  protocol: string | null;
  mode: string;
  messages: number;
  energyDeliveredWh: number;
  stopReason: string | null;
  responseTimesMs: { median: number; p99: number };
}

/** Result of {@link runStackNetns}. */
export interface StackNetnsResult {
  ev: StackSummary;
  evse: StackSummary;
  /** Wall time from starting the EV process to its exit (Node start-up, SLAC, SDP, session). */
  evWallMs: number;
  evStderr: string;
  evseStderr: string;
}

/** Options of {@link runStackNetns}. */
export interface StackNetnsOptions {
  mode?: "dc" | "ac";
  protocol?: string;
  tls?: boolean;
  /** Give up after this long in all (default 60 s). */
  timeoutMs?: number;
}

interface Proc {
  child: ChildProcess;
  out: string;
  err: string;
  exit: Promise<number | null>;
}

function start(ns: string, argv: string[]): Proc {
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

async function until(what: string, cond: () => boolean, deadline: number, p?: Proc): Promise<void> {
  while (!cond()) {
    if (p && p.child.exitCode !== null)
      throw new Error(`${what}: process exited first: ${p.err.slice(-2000)}`);
    if (performance.now() > deadline)
      throw new Error(`${what}: timed out${p ? `: ${p.err.slice(-2000)}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const kill = async (p: Proc | undefined) => {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  const t = setTimeout(() => p.child.kill("SIGKILL"), 2000);
  await p.exit;
  clearTimeout(t);
};

/** True once `iface` in `ns` has no tentative IPv6 address left (duplicate address detection done). */
function dadDone(ns: string, iface: string): boolean {
  const out = execFileSync(findIp() ?? "ip", ["-n", ns, "-6", "addr", "show", "dev", iface, "tentative"], {
    encoding: "utf8",
  });
  return out.trim() === "";
}

function parseSummary(who: string, p: Proc): StackSummary {
  const line = p.out.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`${who}: no JSON summary; stderr: ${p.err.slice(-2000)}`);
  return JSON.parse(line) as StackSummary;
}

/** Run EVSE and EV in two namespaces until the EV's session ends; throws with both stderr on failure. */
export async function runStackNetns(o: StackNetnsOptions = {}): Promise<StackNetnsResult> {
  const deadline = performance.now() + (o.timeoutMs ?? 60_000);
  const pair = createVethPair();
  const pkiDir = o.tls ? mkdtempSync(join(tmpdir(), "nacs-stack-pki-")) : undefined;
  let evse: Proc | undefined;
  let ev: Proc | undefined;
  try {
    await until(
      "IPv6 DAD on both veth ends",
      () => dadDone(pair.nsEv, pair.ifEv) && dadDone(pair.nsEvse, pair.ifEvse),
      deadline,
    );
    const node = [process.execPath, "bin/nacs.js"];
    const common = [
      "--json",
      "--time-scale",
      "300",
      "--mode",
      o.mode ?? "dc",
      ...(o.protocol ? ["--protocol", o.protocol] : []),
      ...(pkiDir ? ["--tls", "--test-pki", pkiDir] : []),
    ];
    evse = start(pair.nsEvse, [
      ...node,
      "evse",
      "--iface",
      pair.ifEvse,
      "--sessions",
      "1",
      "--log-level",
      "info",
      ...common,
    ]);
    await until("EVSE waiting for SLAC", () => evse!.err.includes("waiting for SLAC"), deadline, evse);
    const t0 = performance.now();
    ev = start(pair.nsEv, [
      ...node,
      "ev",
      "--iface",
      pair.ifEv,
      "--soc",
      "50",
      "--target-soc",
      "51",
      "--log-level",
      "info",
      ...common,
    ]);
    const evExit = ev.exit;
    await until("EV session", () => ev!.child.exitCode !== null, deadline);
    const evWallMs = performance.now() - t0;
    await evExit;
    await until("EVSE session", () => evse!.child.exitCode !== null, deadline);
    return {
      ev: parseSummary("EV", ev),
      evse: parseSummary("EVSE", evse),
      evWallMs,
      evStderr: ev.err,
      evseStderr: evse.err,
    };
  } catch (e) {
    const more = `\nEV stderr: ${ev?.err.slice(-3000) ?? ""}\nEVSE stderr: ${evse?.err.slice(-3000) ?? ""}`;
    throw new Error(`${(e as Error).message}${more}`, { cause: e });
  } finally {
    await Promise.all([kill(ev), kill(evse)]);
    pair.destroy();
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  }
}
