/**
 * The whole stack between namespaces: two network namespaces joined by a veth pair, our EVSE
 * (`nacs evse --iface veth-evse`) in one and our EV (`nacs ev --iface veth-ev`) in the other, without
 * `--no-slac`: SLAC over raw frames, then SDP (multicast ff02::1) and the V2G session over IPv6 link-local
 * on the same veth. Both run the J3400 controllers on the live host (DC, or AC over ISO 15118-2 with
 * `mode: "ac"`) and share one simulated cable through `--board sim:SOCKET` — a socket in a fresh temporary
 * directory, since namespaces do not isolate the file system and parallel runs must never meet — with
 * `--time-scale` so the battery fills fast, and each writes its `--events` record.
 * Collects both `--json` summaries, the stderr logs, the records, the exit codes and the veth addresses;
 * the namespaces and the temporary directory are removed afterwards, also when anything fails. Needs root
 * (CI runs as root). Used by stack-netns.test.ts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Iso20MatrixRow,
  iso20EvArgs,
  iso20EvseArgs,
  type MatrixSummary,
} from "../../src/cli/testing/iso20-matrix.js";
import { parseNdjson, type RecordEvent } from "../../src/link/host/record.js";
import { createVethPair, findIp } from "./netns.js";
import { exited, kill, type Proc, start, until, vethAddressesReady } from "./ns-proc.js";

/** One side's `--json` summary (src/cli/live/summary.ts liveSummaryJson in DC; the first six in AC). */
export interface StackSummary {
  protocol: string | null;
  mode: string;
  messages: number;
  energyDeliveredWh: number;
  stopReason: string | null;
  responseTimesMs: { median: number; p99: number; count?: number };
  /** DC only from here on. */
  safety?: unknown[];
  phases?: { phase: string; atMs: number }[];
  messageCounts?: Record<string, number>;
  board?: string;
  transport?: string;
  durationMs?: number;
  socStart?: number;
  socEnd?: number;
  unlock?: { atMs: number; inletVoltageV: number };
  /** ISO 15118-20, resume and connection fields (src/cli/live/summary.ts). */
  iso20?: MatrixSummary["iso20"];
  sessionSetups?: number;
  resumed?: boolean;
  v2gConnections?: number;
  connections?: { accepted: number; sessions: number };
}

/** Result of {@link runStackNetns}. */
export interface StackNetnsResult {
  ev: StackSummary;
  evse: StackSummary;
  /** Exit codes (0 = the session ended normally and the process left by itself). */
  evExit: number | null;
  evseExit: number | null;
  /** Wall time from starting the EV process to its exit (Node start-up, SLAC, SDP, session, unlock). */
  evWallMs: number;
  /** Wall time from starting the EV process to the EVSE's exit. */
  evseWallMs: number;
  evStderr: string;
  evseStderr: string;
  /** The `--events` records (DC; empty in AC). */
  evEvents: RecordEvent[];
  evseEvents: RecordEvent[];
  /** MAC of each veth end ("aa:bb:…") and the EVSE's IPv6 link-local address on its veth. */
  evMac: string;
  evseMac: string;
  evseLinkLocal: string;
}

/** Options of {@link runStackNetns}. */
export interface StackNetnsOptions {
  mode?: "dc" | "ac";
  protocol?: string;
  tls?: boolean;
  /** `--time-scale` (default 300: 50 → 51 % SOC in well under a second of charging). */
  timeScale?: number;
  /** Give up after this long in all (default 60 s). */
  timeoutMs?: number;
  /** The EV sends SDP unicast to the EVSE's link-local address (`--sdp-target`) instead of ff02::1. */
  sdpUnicast?: boolean;
  /**
   * An ISO 15118-20 matrix row (src/cli/testing/iso20-matrix.ts): its service, control mode, transport (TLS 1.3
   * with a test PKI of this run, or plain TCP with `--iso20-without-tls`) and pause/resume; `protocol`,
   * `tls` and the SOC come from the row.
   */
  iso20?: Iso20MatrixRow;
  /** Namespace tag (netns.ts createVethPair): `<pid>-<n>` lets runs go in parallel (default the pid). */
  tag?: string;
}

const ipOut = (args: string[]): string =>
  execFileSync(findIp() ?? "ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** MAC of `iface` in `ns`. */
function macOf(ns: string, iface: string): string {
  const [link] = JSON.parse(ipOut(["-n", ns, "-j", "link", "show", "dev", iface])) as { address: string }[];
  if (!link) throw new Error(`no link ${iface} in ${ns}`);
  return link.address;
}

/** The IPv6 link-local address of `iface` in `ns`. */
export function linkLocalOf(ns: string, iface: string): string {
  const [itf] = JSON.parse(ipOut(["-n", ns, "-j", "-6", "addr", "show", "dev", iface, "scope", "link"])) as {
    addr_info: { local: string }[];
  }[];
  const a = itf?.addr_info[0]?.local;
  if (!a) throw new Error(`no link-local address on ${iface} in ${ns}`);
  return a;
}

function parseSummary(who: string, p: Proc): StackSummary {
  const line = p.out.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`${who}: no JSON summary; stderr: ${p.err.slice(-2000)}`);
  return JSON.parse(line) as StackSummary;
}

const readEvents = (file: string): RecordEvent[] =>
  existsSync(file) ? parseNdjson(readFileSync(file, "utf8")) : [];

/** Run EVSE and EV in two namespaces until both processes have left; throws with both stderr on failure. */
export async function runStackNetns(o: StackNetnsOptions = {}): Promise<StackNetnsResult> {
  const deadline = performance.now() + (o.timeoutMs ?? 60_000);
  const pair = createVethPair(o.tag ?? process.pid);
  const dir = mkdtempSync(join(tmpdir(), "nacs-stack-"));
  let evse: Proc | undefined;
  let ev: Proc | undefined;
  try {
    await vethAddressesReady(pair, deadline);
    const node = [process.execPath, "bin/nacs.js"];
    const events = { ev: join(dir, "ev.ndjson"), evse: join(dir, "evse.ndjson") };
    const pki = join(dir, "pki");
    const row = o.iso20;
    const common = [
      "--json",
      "--log-level",
      "info",
      "--time-scale",
      String(o.timeScale ?? 300),
      ...(row ? [] : ["--mode", o.mode ?? "dc"]),
      ...(o.protocol && !row ? ["--protocol", o.protocol] : []),
      ...(o.tls && !row ? ["--tls", "--test-pki", pki] : []),
      "--board",
      `sim:${join(dir, "world.sock")}`,
    ];
    evse = start(pair.nsEvse, [
      ...node,
      "evse",
      "--iface",
      pair.ifEvse,
      "--sessions",
      "1",
      ...common,
      ...(row ? iso20EvseArgs(row, pki) : []),
      "--events",
      events.evse,
    ]);
    // The EVSE hosts the simulated world and has its raw socket open once it is ready; the EV joining the
    // world plugs the cable in (CP B), which starts SLAC.
    await until("EVSE ready", () => /evse ready/.test(evse!.err), deadline, evse);
    const t0 = performance.now();
    ev = start(pair.nsEv, [
      ...node,
      "ev",
      "--iface",
      pair.ifEv,
      ...(row ? iso20EvArgs(row, pki) : ["--soc", "50", "--target-soc", "51"]),
      ...(o.sdpUnicast ? ["--sdp-target", linkLocalOf(pair.nsEvse, pair.ifEvse)] : []),
      ...common,
      "--events",
      events.ev,
    ]);
    const evP = ev;
    const evseP = evse;
    await until("EV session", () => exited(evP), deadline);
    const evWallMs = performance.now() - t0;
    await until("EVSE session", () => exited(evseP), deadline);
    const evseWallMs = performance.now() - t0;
    const [evExit, evseExit] = await Promise.all([ev.exit, evse.exit]);
    return {
      ev: parseSummary("EV", ev),
      evse: parseSummary("EVSE", evse),
      evExit,
      evseExit,
      evWallMs,
      evseWallMs,
      evStderr: ev.err,
      evseStderr: evse.err,
      evEvents: readEvents(events.ev),
      evseEvents: readEvents(events.evse),
      evMac: macOf(pair.nsEv, pair.ifEv),
      evseMac: macOf(pair.nsEvse, pair.ifEvse),
      evseLinkLocal: linkLocalOf(pair.nsEvse, pair.ifEvse),
    };
  } catch (e) {
    const more = `\nEV stderr: ${ev?.err.slice(-3000) ?? ""}\nEVSE stderr: ${evse?.err.slice(-3000) ?? ""}`;
    throw new Error(`${(e as Error).message}${more}`, { cause: e });
  } finally {
    await Promise.all([kill(ev), kill(evse)]);
    pair.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
