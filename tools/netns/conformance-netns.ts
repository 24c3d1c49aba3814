/**
 * `nacs conformance --sut secc` with SLAC over a veth pair: our EVSE (`nacs evse --iface veth-evse
 * --sessions 0`, the lab switch `--sequence-timeout 2`) in one network namespace, the harness (`nacs
 * conformance --iface veth-ev`, no `--no-slac`: each case runs SLAC over raw frames, then SDP multicast and
 * the V2G session over IPv6 link-local) in the other, both on one simulated cable (`--board sim:SOCKET`, a
 * socket in a fresh temporary directory). The profile is the one that describes `nacs evse
 * --sequence-timeout 2` (src/cli/testing/conformance-pair.ts). Namespaces, processes (by their PID) and the
 * directory are removed afterwards, also when anything fails. Needs root (CI runs as root).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NACS_EVSE_PROFILE, nacsEvseArgs } from "../../src/cli/testing/conformance-pair.js";
import type { RunSummary } from "../../src/conformance/report.js";
import { createVethPair, findIp } from "./netns.js";
import { REPO_ROOT } from "./slac-netns.js";

/** Options of {@link runConformanceNetns}. */
export interface ConformanceNetnsOptions {
  /** Case IDs or globs (`--cases`); absent: the whole catalogue. */
  cases?: readonly string[];
  /** More `nacs evse` arguments (e.g. `--lab --defect NAME`). */
  evseArgs?: readonly string[];
  /** More `nacs conformance` arguments (e.g. `--log-level info`). */
  confArgs?: readonly string[];
  /** Bound of the whole run (ms; default 900 s). */
  timeoutMs?: number;
  /** Namespace tag (netns.ts createVethPair); default the pid. */
  tag?: string;
  /**
   * Which side is under test: `secc` (default: our `nacs evse`, the harness with SLAC as the EV) or `evcc`
   * (our `nacs ev --sessions 0`, the harness as the EVSE hosting the cable; no SLAC: the car half has none).
   */
  sut?: "secc" | "evcc";
}

/** A finished run: the summary, the exit code, both processes' stderr, the wall time. */
export interface ConformanceNetnsResult {
  summary: RunSummary;
  code: number | null;
  evseErr: string;
  confErr: string;
  wallMs: number;
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

const exited = (p: Proc) => p.child.exitCode !== null || p.child.signalCode !== null;

/** SIGTERM the process we started (by its PID), SIGKILL after 2 s. */
async function kill(p: Proc | undefined): Promise<void> {
  if (!p || exited(p)) return;
  p.child.kill("SIGTERM");
  const t = setTimeout(() => p.child.kill("SIGKILL"), 2000);
  await p.exit;
  clearTimeout(t);
}

async function until(what: string, cond: () => boolean, deadline: number, p?: Proc): Promise<void> {
  while (!cond()) {
    if (p && exited(p)) throw new Error(`${what}: process exited first: ${p.err.slice(-2000)}`);
    if (performance.now() > deadline)
      throw new Error(`${what}: timed out${p ? `: ${p.err.slice(-2000)}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dadDone = (ns: string, iface: string): boolean =>
  execFileSync(findIp() ?? "ip", ["-n", ns, "-6", "addr", "show", "dev", iface, "tentative"], {
    encoding: "utf8",
  }).trim() === "";

/** Wait for `nacs conformance` to end; its summary. */
async function finished(c: Proc, sut: Proc, deadline: number, t0: number): Promise<ConformanceNetnsResult> {
  await until("nacs conformance", () => exited(c), deadline);
  const code = await c.exit;
  const line = c.out.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`nacs conformance printed no summary (exit ${code}): ${c.err.slice(-3000)}`);
  return {
    summary: JSON.parse(line) as RunSummary,
    code,
    evseErr: sut.err,
    confErr: c.err,
    wallMs: performance.now() - t0,
  };
}

/**
 * Run the cases over a fresh veth pair: with SLAC against a fresh `nacs evse`, or (`sut: "evcc"`) against
 * a fresh `nacs ev`.
 */
export async function runConformanceNetns(o: ConformanceNetnsOptions = {}): Promise<ConformanceNetnsResult> {
  const deadline = performance.now() + (o.timeoutMs ?? 900_000);
  const pair = createVethPair(o.tag ?? process.pid);
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-netns-"));
  let evse: Proc | undefined;
  let conf: Proc | undefined;
  const t0 = performance.now();
  try {
    await until(
      "IPv6 DAD on both veth ends",
      () => dadDone(pair.nsEv, pair.ifEv) && dadDone(pair.nsEvse, pair.ifEvse),
      deadline,
    );
    const node = [process.execPath, "bin/nacs.js"];
    const board = ["--board", `sim:${join(dir, "world.sock")}`];
    if (o.sut === "evcc") {
      // the tester is the EVSE and hosts the cable: it starts first, the car joins
      conf = start(pair.nsEvse, [
        ...node,
        ...["conformance", "--sut", "evcc", "--iface", pair.ifEvse, "--no-slac", ...board, "--json"],
        ...(o.cases ? ["--cases", o.cases.join(",")] : []),
        ...(o.confArgs ?? []),
      ]);
      await until("tester ready", () => /tester EVSE ready/.test(conf?.err ?? ""), deadline, conf);
      evse = start(pair.nsEv, [
        ...node,
        ...["ev", "--iface", pair.ifEv, "--no-slac", ...board, "--sessions", "0", "--protocol", "din,iso2"],
        ...(o.evseArgs ?? []),
      ]);
      return await finished(conf, evse, deadline, t0);
    }
    evse = start(pair.nsEvse, [
      ...node,
      "evse",
      "--iface",
      pair.ifEvse,
      "--sessions",
      "0",
      // the SECC the profile describes: DIN, ISO-2 and ISO 15118-20 DC / DC_BPT (plain TCP)
      ...nacsEvseArgs("dc"),
      "--sequence-timeout",
      "2",
      ...board,
      ...(o.evseArgs ?? []),
    ]);
    await until("EVSE ready", () => /ready on/.test(evse?.err ?? ""), deadline, evse);
    writeFileSync(join(dir, "profile.json"), JSON.stringify(NACS_EVSE_PROFILE));
    conf = start(pair.nsEv, [
      ...node,
      "conformance",
      "--sut",
      "secc",
      "--iface",
      pair.ifEv,
      ...board,
      "--profile",
      join(dir, "profile.json"),
      "--json",
      ...(o.cases ? ["--cases", o.cases.join(",")] : []),
      ...(o.confArgs ?? []),
    ]);
    return await finished(conf, evse, deadline, t0);
  } catch (e) {
    const more = `\nconformance stderr: ${conf?.err.slice(-3000) ?? ""}\nSUT stderr: ${evse?.err.slice(-3000) ?? ""}`;
    throw new Error(`${(e as Error).message}${more}`, { cause: e });
  } finally {
    await Promise.all([kill(conf), kill(evse)]);
    pair.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
