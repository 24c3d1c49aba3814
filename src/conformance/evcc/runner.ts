/**
 * The case runner of `nacs conformance --sut evcc`: nacs plays the EVSE and tests a car. Each case is a
 * fresh session of our own EVSE controller on the live EVSE host (src/link/host/live-evse.ts, as
 * `nacs evse` runs it) with the case's deviation applied to the SECC's outgoing responses by the EVCC
 * interceptor, and everything the car sent recorded from the wire tap. The tester's board holds the
 * cable: per case it plugs the car in (and unplugs it after), so the car starts a new session each time
 * (IEC 61851-1 state A→B). Cases run one after the other; each is bounded by a deadline. Node-only.
 */
import { webcrypto } from "node:crypto";
import { evseDcConfig, powerModuleConfig } from "../../evse/dc/index.js";
import type { EvseBoardPort } from "../../link/host/board-port.js";
import { startLiveEvse } from "../../link/host/live-evse.js";
import { type LinkLogger, silentLogger } from "../../link/logger.js";
import type { TlsServerConfig } from "../../link/tls.js";
import type { FramePort } from "../../slac/run/index.js";
import { createCaseRecorder } from "../case-recorder.js";
import type { CaseResult } from "../runner.js";
import type { CaseTrace, ConformanceCase, ConformanceProtocol, SutLimits, TraceEvent } from "../types.js";
import { judge, limitMs } from "../verdict.js";
import { createEvccInterceptor } from "./interceptor.js";
import { CHARGE_LOOP_REQUESTS } from "./verdict.js";

/** The tester EVSE's board for the whole run: a fresh port per case, and the cable to plug and unplug. */
export interface TesterEvseBoard {
  /** The board port of one case (the controller of each case attaches anew). */
  port(): EvseBoardPort;
  /** Plug the car in (IEC 61851-1 state A→B): the car starts a session. */
  plugIn(): void;
  /** Unplug the car (state A): its session ends. */
  unplug(): void;
}

/** How the runner meets the car under test. */
export interface EvccRunnerOptions {
  iface: string;
  board: TesterEvseBoard;
  /** SLAC frame port (null: `--no-slac`) and the tester EVSE's MAC. */
  slac: FramePort | null;
  mac: Uint8Array;
  /** UDP port of the tester's SDP server (default 15118). */
  sdpPort?: number;
  /** Address the tester's V2G server listens on ("::1" on loopback, "::" else). */
  v2gHost: string;
  /** The tester SECC's TLS server (`--tls`); `untrustedTls`: one whose chain does not reach the car's root. */
  tls?: TlsServerConfig;
  untrustedTls?: () => Promise<TlsServerConfig>;
  limits: SutLimits;
  /** Charge-loop requests of the car before the tester's EVSE stops charging (default 3). */
  loopMessages?: number;
  /** Bound of a case beyond its own limits (ms; default 30 s). */
  caseBudgetMs?: number;
  /** Unplugged this long between two cases, so the car is ready for the next plug-in (ms; default 500). */
  betweenCasesMs?: number;
  logger?: LinkLogger;
}

/** The tester SECC's V2G_SECC_Sequence_Timeout: past every EVCC timer a case waits for (ms). Design choice (D). */
export const EVCC_TESTER_SEQUENCE_TIMEOUT_MS = 120_000;
/** The car is unplugged this long before each plug-in (ms). Design choice (D). */
export const EVCC_UNPLUGGED_MS = 300;
/** No SDP request from the car this long after plug-in: it is not there (ms). Design choice (D). */
export const EVCC_NO_SDP_MS = 10_000;
/** After the first SDP request of a bad-certificate case, how long the tester watches (ms). Design choice (D). */
export const EVCC_TLS_WATCH_MS = 3_000;
/** No SDP request for this long (ms): the car has given up SDP. Design choice (D): 8 × the 250 ms retry. */
export const EVCC_SDP_QUIET_MS = 2_000;
/** Margin after a case's time limit before the runner stops observing (ms). Design choice (D). */
export const EVCC_VERDICT_MARGIN_MS = 500;

const random = (n: number) => webcrypto.getRandomValues(new Uint8Array(n));

/** Whether the verdict of the case is decided (nothing later can change it). */
function observationDone(
  c: ConformanceCase,
  events: TraceEvent[],
  devAt: number | null,
  nowMs: number,
  limits: SutLimits,
): boolean {
  const closedAt = events.find((e) => e.kind === "close")?.tMs;
  const e = c.expect;
  if (e.kind === "ev-refuses-tls") {
    const sdp = events.find((x) => x.kind === "ev-sdp");
    return events.some((x) => x.kind === "rx") || (sdp !== undefined && nowMs - sdp.tMs > EVCC_TLS_WATCH_MS);
  }
  if (e.kind === "ev-sdp-retry") {
    // the V2G session began, or the car has stopped asking (it repeats SDP every 250 ms while it retries)
    const lastSdp = events.filter((x) => x.kind === "ev-sdp").at(-1);
    return (
      events.some((x) => x.kind === "rx") ||
      (lastSdp !== undefined && nowMs - lastSdp.tMs > EVCC_SDP_QUIET_MS)
    );
  }
  if (devAt === null) return closedAt !== undefined && nowMs - closedAt > 300;
  const after = events.filter((x) => x.tMs > devAt);
  if (e.kind === "ev-request") return after.some((x) => x.kind === "rx" || x.kind === "close");
  if (e.kind === "ev-ends") {
    const within = limitMs(e.withinMs, limits) + limits.toleranceMs + EVCC_VERDICT_MARGIN_MS;
    if (nowMs - devAt > within) return true;
    const cl = after.find((x) => x.kind === "close");
    return (
      cl !== undefined &&
      nowMs - cl.tMs > 300 &&
      !after.some((x) => x.kind === "cp" && x.state === "C" && x.tMs > cl.tMs)
    );
  }
  return closedAt !== undefined && events.some((x) => x.kind === "close" && nowMs - x.tMs > 300);
}

/** One case on `protocol`: the trace. */
async function runEvccAttempt(
  c: ConformanceCase,
  protocol: ConformanceProtocol,
  o: EvccRunnerOptions,
): Promise<CaseTrace> {
  const log = o.logger ?? silentLogger;
  const rec = createCaseRecorder(protocol);
  const { events, record, now, wire } = rec;
  let testerError: string | null = null;
  let live: Awaited<ReturnType<typeof startLiveEvse>> | null = null;
  const intercept = createEvccInterceptor({
    protocol,
    behaviour: c.tester,
    now,
    record,
    onTesterError: (m) => {
      testerError ??= `tester: ${m}`;
    },
    onEvseInput: (input) => {
      if (!live) throw new Error("no EVSE yet");
      live.push(input === "emergency-stop" ? { kind: "emergency-stop" } : { kind: "stop-charging" });
    },
    onWire: rec.sent,
  });
  const tap = rec.tap;
  let sdpSeen = 0;
  const sdpHook = (_d: Uint8Array): boolean => {
    sdpSeen++;
    const b = c.tester;
    const answered = !(b.kind === "sdp-drop" && sdpSeen <= b.count);
    if ((b.kind === "sdp-drop" || b.kind === "tls-untrusted") && sdpSeen === 1) intercept.markDeviation();
    record({ kind: "ev-sdp", tMs: now(), answered });
    return answered;
  };
  const e = c.expect;
  const deadlineMs =
    (o.caseBudgetMs ?? 30_000) +
    (e.kind === "ev-ends" ? limitMs(e.withinMs, o.limits) + o.limits.toleranceMs : 0);
  let setupError: string | undefined;
  let pluggedAt = 0;
  try {
    // unplugged first (state A): the car ends whatever it was doing and starts afresh on the plug-in
    o.board.unplug();
    await new Promise((r) => setTimeout(r, EVCC_UNPLUGGED_MS));
    const tls = c.tester.kind === "tls-untrusted" ? await o.untrustedTls?.() : o.tls;
    if (c.tester.kind === "tls-untrusted" && !tls)
      throw new Error("no untrusted TLS certificate to serve (--tls)");
    const base = o.board.port();
    let lastA = -1;
    const port: EvseBoardPort = {
      name: base.name,
      command: (x) => base.command(x),
      close: () => base.close(),
      attach(onReading, onLost) {
        base.attach((r) => {
          if (r.kind === "cp") record({ kind: "cp", tMs: now(), state: r.state });
          if (r.kind === "measure" && r.m.currentA !== undefined) {
            const a = r.m.currentA;
            if (lastA < 0 || a >= 1 !== lastA >= 1)
              record({ kind: "inlet", tMs: now(), currentA: a, voltageV: r.m.voltageV ?? 0 });
            lastA = a;
          }
          onReading(r);
        }, onLost);
      },
    };
    const module = powerModuleConfig();
    live = await startLiveEvse({
      config: (sdp) =>
        evseDcConfig({
          module,
          slac: { mac: o.mac, random, modem: "none" },
          sdp,
          matching: o.slac ? "slac" : "none",
          secc: {
            protocols: [protocol],
            epochS: Math.floor(Date.now() / 1000),
            seed: random(4).reduce((a, b) => a * 256 + b, 0) >>> 0 || 1,
            // the tester's SECC does not give up on the car first: the car's timeouts are under test
            sequenceTimeoutMs: EVCC_TESTER_SEQUENCE_TIMEOUT_MS,
          },
        }),
      board: port,
      network: {
        iface: o.iface,
        slac: o.slac,
        modem: "none",
        hostMac: o.mac,
        ...(o.sdpPort !== undefined && { sdpPort: o.sdpPort }),
        v2g: { host: o.v2gHost, ...(tls && { tls }) },
        tap,
        wireHook: intercept,
        sdpHook,
      },
      logger: log,
    });
    const evse = live;
    await new Promise((r) => setTimeout(r, 100));
    o.board.plugIn();
    pluggedAt = now();
    const loops =
      (o.loopMessages ?? 3) +
      (c.tester.kind !== "normal" && CHARGE_LOOP_REQUESTS.includes(c.tester.at.message.replace(/Res$/, "Req"))
        ? (c.tester.at.occurrence ?? 1)
        : 0);
    let stopped = false;
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      if (now() > deadlineMs) break;
      if (sdpSeen === 0 && now() - pluggedAt > EVCC_NO_SDP_MS) break;
      if (observationDone(c, events, intercept.deviationAtMs, now(), o.limits)) {
        await new Promise((r) => setTimeout(r, 100));
        break;
      }
      const loopsSeen = events.filter((x) => x.kind === "rx" && CHARGE_LOOP_REQUESTS.includes(x.name)).length;
      if (!stopped && loopsSeen >= loops) {
        stopped = true;
        evse.push({ kind: "stop-charging" });
      }
    }
    if (sdpSeen === 0) setupError = `no SDP request from the car within ${EVCC_NO_SDP_MS} ms of plug-in`;
    else if (e.kind !== "ev-refuses-tls" && e.kind !== "ev-sdp-retry") {
      const sap = events.find((x) => x.kind === "rx" && x.name === "supportedAppProtocolReq");
      const sapRes = events.find((x) => x.kind === "tx" && x.name === "supportedAppProtocolRes");
      if (!events.some((x) => x.kind === "open")) setupError = "no V2G connection from the car";
      else if (!sap) setupError = "no supportedAppProtocolReq from the car";
      else if (
        sapRes &&
        !events.some((x) => x.kind === "rx" && x.name === "SessionSetupReq") &&
        !(c.tester.kind !== "normal" && c.tester.at.message === "supportedAppProtocolRes")
      )
        setupError = `the car did not go on with ${protocol} (no SessionSetupReq)`;
    }
  } catch (err) {
    setupError = `setup: ${(err as Error).message}`;
  } finally {
    intercept.release();
    await live?.close().catch(() => {});
    o.board.unplug();
  }
  if (testerError && !setupError) setupError = testerError;
  return {
    protocol,
    events,
    deviationAtMs: intercept.deviationAtMs,
    ...(setupError !== undefined && { setupError }),
    durationMs: Math.round(now()),
    wire,
  };
}

/** Run one EVCC case on `protocol`. Never throws: a failure to set up is an inconclusive verdict. */
export async function runEvccCase(
  c: ConformanceCase,
  protocol: ConformanceProtocol,
  o: EvccRunnerOptions,
): Promise<CaseResult> {
  const trace = await runEvccAttempt(c, protocol, o);
  await new Promise((r) => setTimeout(r, o.betweenCasesMs ?? 500));
  return {
    id: c.protocols.length > 1 ? `${c.id}@${protocol}` : c.id,
    title: c.title,
    protocol,
    group: c.group,
    requirement: c.requirement,
    verdict: judge(c, trace, o.limits),
    ...(c.knownDeviation && { knownDeviation: c.knownDeviation }),
    durationMs: trace.durationMs,
    trace,
  };
}

/** Run EVCC `cases` one after the other on the protocols each names that the car offers. */
export async function runEvccCases(
  cases: readonly ConformanceCase[],
  protocols: readonly ConformanceProtocol[],
  o: EvccRunnerOptions,
  onResult?: (r: CaseResult, index: number, total: number) => void,
): Promise<CaseResult[]> {
  const runs = cases.flatMap((c) =>
    c.protocols.filter((p) => protocols.includes(p)).map((p) => [c, p] as const),
  );
  const out: CaseResult[] = [];
  for (const [i, [c, p]] of runs.entries()) {
    const r = await runEvccCase(c, p, o);
    out.push(r);
    onResult?.(r, i, runs.length);
  }
  return out;
}
