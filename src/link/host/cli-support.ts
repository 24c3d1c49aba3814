/**
 * Pieces shared by `nacs evse` and `nacs ev`: where to listen / send SDP on an
 * interface, the stderr logger, the SLAC stage over a raw socket, the test PKI, and the end-of-session
 * summary (text and the `--json` object).
 */
import { webcrypto } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { SlacRunOutcome } from "../../slac/run/index.js";
import { startEvSlac, startEvseSlac } from "../../slac/run/index.js";
import { findLinkLocalAddress, withScope } from "../iface.js";
import type { LinkLogger } from "../logger.js";
import { RawEthernetSocket } from "../raw/index.js";
import type { SessionSummary } from "./summary.js";
import { type HostWireTap, tapFramePort } from "./wire-tap.js";

/** pino log levels the CLI accepts. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** A pino logger writing JSON lines to stderr synchronously (nothing is lost on exit). */
export function stderrLogger(level: (typeof LOG_LEVELS)[number], name: string): LinkLogger & pino.Logger {
  return pino({ level, name }, pino.destination({ fd: 2, sync: true }));
}

/** True when `iface` is a loopback interface (no link-local address, no multicast: use ::1). */
export function isLoopback(iface: string, ifs = networkInterfaces()): boolean {
  const a = ifs[iface];
  if (!a) return iface === "lo";
  return a.length > 0 && a.every((x) => x.internal);
}

/**
 * Where the SECC listens on `iface`: "::1" on loopback, else its link-local address with "%iface".
 * A freshly created interface's link-local address is tentative for a moment (DAD): retried until
 * `waitMs` has passed.
 */
export async function seccListenAddress(iface: string, waitMs = 3000): Promise<string> {
  if (isLoopback(iface)) return "::1";
  const until = performance.now() + waitMs;
  for (;;) {
    try {
      return withScope(findLinkLocalAddress(iface), iface);
    } catch (e) {
      if (performance.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** How SLAC ended for the CLI. */
export interface SlacStage {
  outcome: SlacRunOutcome;
  /** MAC address of the interface (the source of our SLAC frames). */
  mac: Uint8Array;
  /** Stop the SLAC machine and close the raw socket (the EVSE keeps answering until then). */
  stop(): void;
}

/**
 * Run SLAC on `iface` over a raw socket (needs root / CAP_NET_RAW): the EV starts at once (plug-in); the
 * EVSE uses the ideal CP loop of the simulated pilot (a vehicle plugged in at start). Resolves when matched,
 * failed or `timeoutMs` passed (then `outcome.kind` is "stopped"). `tap` sees every SLAC frame sent and
 * received (`--pcap`) until `stop()`.
 */
export async function runSlacStage(
  role: "ev" | "evse",
  iface: string,
  modem: "none" | "qca",
  log: LinkLogger,
  timeoutMs = 30_000,
  tap?: HostWireTap,
): Promise<SlacStage> {
  const raw = RawEthernetSocket.open({ ifname: iface });
  const sock = tap ? tapFramePort(raw, tap) : raw;
  const random = (n: number) => webcrypto.getRandomValues(new Uint8Array(n));
  const onLog = (level: "debug" | "info" | "warn", msg: string) => log[level]({ slac: role }, `slac: ${msg}`);
  const common = { port: sock, modem, onLog } as const;
  const run =
    role === "ev"
      ? startEvSlac({ ...common, config: { random } })
      : startEvseSlac({ ...common, config: { random }, emulateCp: true });
  const timer = setTimeout(() => run.stop(), timeoutMs);
  const outcome = await run.outcome;
  clearTimeout(timer);
  const stop = () => {
    run.stop();
    raw.close();
  };
  if (outcome.kind !== "matched") stop();
  return { outcome, mac: Uint8Array.from(raw.mac), stop };
}

/** TLS material of the test PKI in `dir`, written there first when missing (EVSE side). */
export interface TestPkiFiles {
  key: string;
  cert: string;
  root: string;
}

/** File names of tools/pki/make-test-pki.ts `writeTestPki`. */
const PKI_FILES = { key: "secc-leaf.key", cert: "secc-chain.pem", root: "v2g-root.pem" } as const;

/**
 * The test PKI in `dir` (tools/pki/make-test-pki.ts): reused when present, generated when `create` and
 * missing. The generator lives in the source tree (tools/), so generating needs a source checkout.
 */
export async function testPki(dir: string, create: boolean): Promise<TestPkiFiles> {
  const p = (f: string) => join(dir, f);
  if (!existsSync(p(PKI_FILES.root)) || !existsSync(p(PKI_FILES.cert)) || !existsSync(p(PKI_FILES.key))) {
    if (!create)
      throw new Error(`test PKI: ${p(PKI_FILES.root)} not found (start the EVSE with --test-pki first)`);
    const spec = new URL("../../../tools/pki/make-test-pki.js", import.meta.url).href;
    const mod = (await import(spec)) as {
      makeTestPki(): unknown;
      writeTestPki(dir: string, pki: unknown): string[];
    };
    mod.writeTestPki(dir, mod.makeTestPki());
  }
  const read = (f: string) => readFileSync(p(f), "utf8");
  return { key: read(PKI_FILES.key), cert: read(PKI_FILES.cert), root: read(PKI_FILES.root) };
}

/** The `--json` object of a session. */
export function summaryJson(s: SessionSummary): {
  protocol: string | null;
  mode: string;
  messages: number;
  energyDeliveredWh: number;
  stopReason: string | null;
  responseTimesMs: { median: number; p99: number };
} {
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    protocol: s.protocol,
    mode: s.mode,
    messages: s.messages,
    energyDeliveredWh: Math.round(s.energyDeliveredWh * 10) / 10,
    stopReason: s.stopReason ?? s.close.code,
    responseTimesMs: { median: r3(s.responseTimesMs.median), p99: r3(s.responseTimesMs.p99) },
  };
}

const PROTOCOL_NAMES: Record<string, string> = { din: "DIN 70121", iso2: "ISO 15118-2" };

/** The human summary of a session. */
export function formatSummary(s: SessionSummary): string {
  const who = s.side === "secc" ? "EVSE" : "EV";
  const what =
    s.side === "secc"
      ? "request received → response written"
      : "request written → response received (round trip)";
  const rows: [string, string][] = [
    ["protocol", `${s.protocol ? PROTOCOL_NAMES[s.protocol] : "none negotiated"}, ${s.mode.toUpperCase()}`],
    ["stop reason", `${s.stopReason ?? s.close.code} (${s.stopDetail})`],
    ["messages", String(s.messages)],
    ["energy delivered", `${(s.energyDeliveredWh / 1000).toFixed(3)} kWh`],
    [
      "response time",
      `median ${s.responseTimesMs.median.toFixed(3)} ms, p99 ${s.responseTimesMs.p99.toFixed(3)} ms (${what}, ${s.responseTimesMs.count} requests)`,
    ],
    ["duration", `${(s.durationMs / 1000).toFixed(2)} s`],
  ];
  if (s.socStartPercent !== undefined && s.socEndPercent !== undefined)
    rows.push(["SOC", `${s.socStartPercent.toFixed(1)} % → ${s.socEndPercent.toFixed(1)} %`]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return `${who} session on ${s.conn} (${s.transport})\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n")}\n`;
}
