/**
 * SLAC between our EVSE and our EV in two network namespaces joined by a veth: makes the
 * namespaces, optionally starts dumpcap on the EVSE's veth (EtherType 0x88E1 only), starts the EVSE
 * station (tools/netns/slac-node.ts) and waits until it listens, then starts the EV ("plug-in"), collects
 * both JSON results, stops the capture and removes the namespaces — also when anything fails. Used by
 * the netns test and bench/slac-netns.bench.ts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createVethPair, findIp } from "./netns.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root (two levels above this file). */
export const REPO_ROOT = resolve(here, "..", "..");
const STATION_SCRIPT = join(here, "slac-node.ts");

/** What one station printed at the end (see slac-node.ts). */
export interface StationResult {
  event: "result";
  role: "ev" | "evse";
  outcome: "matched" | "failed" | "timeout";
  atMs: number;
  nid?: string;
  nmk?: string;
  peerMac?: string;
  reason?: string;
  mac: string;
  framesSent: number;
  framesReceived: number;
  undecodable: number;
  frames: { atMs: number; dir: "tx" | "rx"; kind: string; bytes: number }[];
}

/** Result of {@link runSlacNetns}. */
export interface SlacNetnsResult {
  ev: StationResult;
  evse: StationResult;
  /** Wall time from spawning the EV to its result line (includes Node start-up). */
  evWallMs: number;
  /** pcapng of the EVSE's veth (when `capture`); removed by `cleanup()`. */
  pcapPath?: string;
  /** Remove the capture directory. */
  cleanup(): void;
}

/** Options of {@link runSlacNetns}. */
export interface SlacNetnsOptions {
  /** Capture with dumpcap on the EVSE's veth (default false). */
  capture?: boolean;
  modem?: "none" | "qca";
  /** Give up after this long in all (default 20 s). */
  timeoutMs?: number;
  /** Print station logs to stderr. */
  verbose?: boolean;
}

interface Proc {
  child: ChildProcess;
  lines: string[];
  stderr: string;
  exited: Promise<number | null>;
}

function start(ns: string, argv: string[]): Proc {
  const child = spawn(findIp() ?? "ip", ["netns", "exec", ns, ...argv], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: Proc = {
    child,
    lines: [],
    stderr: "",
    exited: new Promise((res) => child.on("close", (code) => res(code))),
  };
  let buf = "";
  child.stdout?.on("data", (d: Buffer) => {
    buf += d.toString("utf8");
    let i = buf.indexOf("\n");
    while (i >= 0) {
      p.lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
      i = buf.indexOf("\n");
    }
  });
  child.stderr?.on("data", (d: Buffer) => {
    p.stderr += d.toString("utf8");
  });
  return p;
}

async function waitFor(what: string, cond: () => boolean, p: Proc, untilMs: number): Promise<void> {
  let exited = false;
  void p.exited.then(() => {
    exited = true;
  });
  while (!cond()) {
    if (exited) {
      await new Promise((r) => setTimeout(r, 20)); // let the last output arrive
      if (cond()) return;
      throw new Error(`${what}: process exited first; stderr: ${p.stderr.trim().slice(-2000)}`);
    }
    if (performance.now() > untilMs)
      throw new Error(`${what}: timed out; stderr: ${p.stderr.trim().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const resultOf = (p: Proc): StationResult | undefined => {
  for (const l of p.lines) {
    try {
      const o = JSON.parse(l) as { event?: string };
      if (o.event === "result") return o as StationResult;
    } catch {
      // not JSON
    }
  }
  return undefined;
};

const kill = async (p: Proc | undefined, signal: NodeJS.Signals = "SIGTERM") => {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const t = setTimeout(() => p.child.kill("SIGKILL"), 2000);
  await p.exited;
  clearTimeout(t);
};

/** Run one SLAC match between namespaces; throws with the stations' stderr when it cannot finish. */
export async function runSlacNetns(o: SlacNetnsOptions = {}): Promise<SlacNetnsResult> {
  const until = performance.now() + (o.timeoutMs ?? 20_000);
  const pair = createVethPair();
  const dir = o.capture ? mkdtempSync(join(tmpdir(), "nacs-netns-")) : undefined;
  const pcapPath = dir ? join(dir, "slac.pcapng") : undefined;
  const cleanup = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  let cap: Proc | undefined;
  let evse: Proc | undefined;
  let ev: Proc | undefined;
  try {
    if (pcapPath) {
      cap = start(pair.nsEvse, ["dumpcap", "-i", pair.ifEvse, "-f", "ether proto 0x88e1", "-w", pcapPath]);
      await waitFor("dumpcap", () => cap!.stderr.includes("Capturing on"), cap, until);
    }
    const node = [process.execPath, "--import", "tsx", STATION_SCRIPT];
    const common = ["--modem", o.modem ?? "none", ...(o.verbose ? ["--verbose"] : [])];
    evse = start(pair.nsEvse, [...node, "--role", "evse", "--ifname", pair.ifEvse, ...common]);
    await waitFor("EVSE ready", () => evse!.lines.some((l) => l.includes('"ready"')), evse, until);
    const t0 = performance.now();
    ev = start(pair.nsEv, [...node, "--role", "ev", "--ifname", pair.ifEv, ...common]);
    await waitFor("EV result", () => resultOf(ev!) !== undefined, ev, until);
    const evWallMs = performance.now() - t0;
    await waitFor("EVSE result", () => resultOf(evse!) !== undefined, evse, until);
    await Promise.all([ev.exited, evse.exited]);
    if (o.verbose) process.stderr.write(ev.stderr + evse.stderr);
    if (cap) {
      await new Promise((r) => setTimeout(r, 100)); // dumpcap writes what it has seen
      await kill(cap, "SIGINT");
      if (!pcapPath || !existsSync(pcapPath)) throw new Error(`dumpcap wrote no file; stderr: ${cap.stderr}`);
    }
    return {
      ev: resultOf(ev)!,
      evse: resultOf(evse)!,
      evWallMs,
      ...(pcapPath ? { pcapPath } : {}),
      cleanup,
    };
  } catch (e) {
    cleanup();
    throw e;
  } finally {
    await Promise.all([kill(ev), kill(evse), kill(cap, "SIGINT")]);
    pair.destroy();
  }
}
