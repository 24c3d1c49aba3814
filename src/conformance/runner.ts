/**
 * The case runner of `nacs conformance --sut secc`: each case is a fresh session of our own EV — the EV
 * controller on the live EV host (src/link/host/live-ev.ts), DC or AC and for ISO 15118-20 the service and
 * control mode the case names (case-ev.ts), exactly as `nacs ev` runs it — against the SECC
 * under test, with the case's deviation applied at the wire by the interceptor and everything the SECC sent
 * recorded from the wire tap. Cases run one after the other; each is bounded by a deadline. Node-only (it
 * drives the live hosts).
 */
import { webcrypto } from "node:crypto";
import { dcBatteryConfig, evDcConfig, packTerminalV } from "../ev/dc/index.js";
import type { EvBoardPort } from "../link/host/board-port.js";
import { startLiveEv } from "../link/host/live-ev.js";
import { tapFramePort } from "../link/host/wire-tap.js";
import { type LinkLogger, silentLogger } from "../link/logger.js";
import type { TlsClientConfig } from "../link/tls.js";
import { hex } from "../slac/matching/messages.js";
import type { FramePort } from "../slac/run/index.js";
import { SDP_SECURITY_NONE, SDP_SECURITY_TLS, SDP_TRANSPORT_TCP } from "../v2g/index.js";
import { chargeLoopRequest, evOptionsOf } from "./case-ev.js";
import { createCaseRecorder } from "./case-recorder.js";
import { createInterceptor } from "./interceptor.js";
import {
  boardCommandOf,
  CASE_ATTEMPTS,
  measuringResponseTimeoutMs,
  NOT_READY_RETRY_MS,
  observationDone,
  SUT_NO_PWM_MS,
  SUT_NOT_READY_MS,
  silentResponseTimeoutMs,
} from "./runner-timing.js";
import { runSdpProbes } from "./sdp-probe.js";
import { createSlacInterceptor } from "./slac-interceptor.js";
import type {
  CaseEnergy,
  CaseTrace,
  ConformanceCase,
  ConformanceProtocol,
  SutLimits,
  Verdict,
} from "./types.js";
import { judge, limitMs } from "./verdict.js";

/** A board the tester's EV runs on for one case (the simulated cable, or a real EV board). */
export interface CaseBoard {
  port: EvBoardPort;
  close(): Promise<void>;
}

/** How the runner reaches the SECC under test. */
export interface RunnerOptions {
  iface: string;
  /** Open the EV's board for one case (a fresh plug-in). */
  openBoard(): Promise<CaseBoard>;
  /** SLAC frame port (null: `--no-slac`) and the EV's MAC (its EVCCID). */
  slac: FramePort | null;
  mac: Uint8Array;
  /** The local PLC modem with SLAC (default "none": plain Ethernet, veth). */
  modem?: "none" | "qca";
  sdpServerPort?: number;
  sdpTarget?: string;
  tls?: TlsClientConfig;
  /**
   * The TLS client configuration with a vehicle certificate of a root the SUT does not know (cases with
   * `tlsCredential: "untrusted-vehicle"`); absent: those cases are inconclusive.
   */
  untrustedVehicleTls?: TlsClientConfig;
  limits: SutLimits;
  /** The energy transfer the SUT offers first: the session of a protocol-neutral case (SLAC, SDP) runs it. */
  energy?: CaseEnergy;
  /** CurrentDemandReq messages before the tester's EV stops a normal session (default 3). */
  loopMessages?: number;
  /** Bound of a case beyond its own limits (ms; default 30 s). */
  caseBudgetMs?: number;
  /** Pause between two cases so the SECC is ready for the next plug-in (ms; default 300). */
  betweenCasesMs?: number;
  logger?: LinkLogger;
}

/** The outcome of one case on one protocol. */
export interface CaseResult {
  id: string;
  title: string;
  protocol: ConformanceProtocol;
  group: string;
  requirement: string[];
  verdict: Verdict;
  knownDeviation?: string;
  durationMs: number;
  trace: CaseTrace;
}

/** One attempt of a case: the trace, or null when the SUT was not ready for a session. */
async function runAttempt(
  c: ConformanceCase,
  protocol: ConformanceProtocol,
  o: RunnerOptions,
): Promise<CaseTrace | null> {
  const log = o.logger ?? silentLogger;
  // the TLS credential of the case: the run's, or one the SUT must refuse (provided by the run, or the case
  // cannot be set up)
  const tls = c.tlsCredential === "untrusted-vehicle" ? o.untrustedVehicleTls : o.tls;
  if (c.tlsCredential && !tls)
    return {
      protocol,
      events: [],
      deviationAtMs: null,
      setupError: `tester: no ${c.tlsCredential} TLS credential for this run (needs --tls)`,
      durationMs: 0,
    };
  // the host's SLAC frames are captured from below the SLAC interceptor, as they went on the wire
  const rec = createCaseRecorder(protocol, () => slacIcpt !== null);
  const { events, record, now, wire, toWire } = rec;
  let testerError: string | null = null;
  const silentAfter = c.expect.kind === "response" && c.expect.thenClose !== undefined;
  // the board of this attempt, once open (a `board` deviation acts on it)
  let boardPort: EvBoardPort | null = null;
  // the tester pressed the handle button: its EV controller is not told (PP readings kept from it)
  let unlatched = false;
  if (c.slac && !o.slac)
    return {
      protocol,
      events,
      deviationAtMs: null,
      setupError: "a SLAC case needs SLAC on the interface (run without --no-slac)",
      durationMs: 0,
    };
  const slacIcpt =
    c.slac && o.slac
      ? createSlacInterceptor({
          // the capture gets the frames as they go on the wire (after the deviation), not the controller's
          port: tapFramePort(o.slac, toWire),
          behaviour: c.slac,
          now,
          record,
          onTesterError: (m) => {
            testerError ??= `tester: ${m}`;
          },
        })
      : null;
  const slacPort = slacIcpt ?? o.slac;
  const intercept = createInterceptor({
    protocol,
    behaviour: c.tester,
    now,
    record,
    silentAfterDeviation: silentAfter,
    onTesterError: (m) => {
      testerError ??= `tester: ${m}`;
    },
    onBoardAction: (action) => {
      if (!boardPort) throw new Error(`board action ${action} before the board is open`);
      if (action === "unlatch") {
        if (!boardPort.pressButton) throw new Error(`the board ${boardPort.name} has no handle button`);
        unlatched = true;
        boardPort.pressButton(true);
      } else boardPort.command(boardCommandOf(action));
    },
    onWire: rec.sent,
  });
  const tap = rec.tap;
  const battery = dcBatteryConfig("800v", 75);
  // the EV of the case: DC or AC, the -20 service and control mode; its charge-loop request
  const evo = evOptionsOf(
    c.protocolNeutral && o.energy ? { ev: { ...c.ev, energy: o.energy } } : c,
    protocol,
  );
  const loopReq = chargeLoopRequest(protocol, evo.energy);
  // the tester holds back (or drops) a request: the EV waits for the SUT's reaction, not its own timeout
  const silent = ["silent", "length", "truncate", "drop"].includes(c.tester.kind);
  const limits = o.limits;
  const deadlineMs =
    (o.caseBudgetMs ?? 30_000) +
    (c.expect.kind === "closes" || c.expect.kind === "output-off"
      ? limitMs(c.expect.withinMs, limits) + limits.toleranceMs
      : c.expect.kind === "response" && c.expect.thenClose
        ? limitMs(c.expect.thenClose.withinMs, limits) + limits.toleranceMs
        : 0);
  let board: CaseBoard | null = null;
  let live: Awaited<ReturnType<typeof startLiveEv>> | null = null;
  let setupError: string | undefined;
  let stopReason: string | null = null;
  let notReady = false;
  let unplugFirst = false;
  try {
    board = await o.openBoard();
    const port = board.port;
    boardPort = port;
    let lastA = -1;
    let dutyZeroSince: number | null = null;
    let noPwmSince: number | null = 0;
    const tapped: EvBoardPort = {
      name: port.name,
      command: (x) => port.command(x),
      close: () => port.close(),
      attach(onReading, onLost) {
        port.attach((r) => {
          if (r.kind === "pp" && unlatched) return;
          if (r.kind === "duty") {
            dutyZeroSince = r.duty === 0 ? (dutyZeroSince ?? now()) : null;
            noPwmSince = r.duty === 0 || r.duty === 100 ? (noPwmSince ?? now()) : null;
          }
          if (r.kind === "inlet") {
            const on = r.currentA >= 1;
            if (lastA < 0 || on !== lastA >= 1)
              record({ kind: "inlet", tMs: now(), currentA: r.currentA, voltageV: r.voltageV });
            lastA = r.currentA;
          }
          onReading(r);
        }, onLost);
      },
    };
    live = await startLiveEv({
      config: evDcConfig({
        battery,
        slac: {
          mac: o.mac,
          random: (n) => webcrypto.getRandomValues(new Uint8Array(n)),
          modem: o.slac ? (o.modem ?? "none") : "none",
        },
        evcc: {
          protocols: [protocol],
          responseTimeoutMs: silent ? silentResponseTimeoutMs(limits) : measuringResponseTimeoutMs(limits),
          ...(evo.iso20ControlMode && { iso20ControlMode: evo.iso20ControlMode }),
          ...(evo.bidirectional && { bidirectional: true }),
        },
        energy: evo.energy,
        // a bidirectional EV gives energy back from the start (ISO 15118-20 BPT), as `nacs ev --service *-bpt`
        ...(evo.bidirectional && { discharge: true }),
        targetSocPercent: 90,
        matching: slacPort ? "slac" : "none",
        tls: tls !== undefined,
      }),
      socPercent: 50,
      batteryVoltageV: packTerminalV(battery, 50, 0),
      board: tapped,
      network: {
        iface: o.iface,
        slac: slacPort,
        modem: slacPort ? (o.modem ?? "none") : "none",
        hostMac: o.mac,
        ...(o.sdpServerPort !== undefined && { sdpServerPort: o.sdpServerPort }),
        ...(o.sdpTarget !== undefined && { sdpTarget: o.sdpTarget }),
        ...(tls && { tls }),
        tap,
        wireHook: intercept,
        logger: log,
      },
      logger: log,
    });
    const ev = live;
    let over = false;
    void ev.done.then((s) => {
      stopReason = s.stopReason;
      over = true;
    });
    const trigger = c.tester.kind === "normal" ? null : c.tester.at;
    const loops = (o.loopMessages ?? 3) + (trigger?.message === loopReq ? (trigger.occurrence ?? 1) : 0);
    let stopped = false;
    const pauseResume = c.tester.kind === "pause-resume";
    let pausedAt = 0;
    let resumed = false;
    let stoppedAfterResume = false;
    // SLAC and SDP cases end once the V2G session is up (and the SDP probes are done)
    const linkCase = c.slac !== undefined || c.sdp !== undefined;
    let probes: Promise<void> | null = null;
    let probesDone = c.sdp === undefined;
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      if (now() > deadlineMs) break;
      const zeroFor = dutyZeroSince === null ? 0 : now() - dutyZeroSince;
      const noPwmFor = noPwmSince === null ? 0 : now() - noPwmSince;
      if (
        !events.some((e) => e.kind === "open") &&
        (zeroFor > SUT_NOT_READY_MS || noPwmFor > SUT_NO_PWM_MS)
      ) {
        notReady = true;
        break;
      }
      if (observationDone(c, events, intercept.deviationAtMs, now(), limits)) {
        await new Promise((r) => setTimeout(r, 100));
        break;
      }
      if (over && !intercept.holding) break;
      if (c.sdp && !probes && events.some((e) => e.kind === "open")) {
        probes = runSdpProbes({
          iface: o.iface,
          ...(o.sdpTarget !== undefined && { sdpTarget: o.sdpTarget }),
          ...(o.sdpServerPort !== undefined && { sdpServerPort: o.sdpServerPort }),
          probes: c.sdp.probes,
          now,
          record,
        })
          .catch((e) => {
            testerError ??= `tester: SDP probes: ${(e as Error).message}`;
          })
          .finally(() => {
            probesDone = true;
          });
      }
      if (
        linkCase &&
        probesDone &&
        events.some((e) => e.kind === "rx" && e.name === "supportedAppProtocolRes")
      ) {
        await new Promise((r) => setTimeout(r, 100));
        // the cable is pulled before the connection closes: the SUT sees an unplug, not a lost connection
        // (which a charger takes for a fault, with a pause before the next plug-in)
        unplugFirst = true;
        break;
      }
      const loopsSent = intercept.sent.get(loopReq) ?? 0;
      // an SDP case keeps its session charging until its probes are answered (a short AC session would
      // otherwise end first, and a charger need not answer SDP between sessions)
      if (!stopped && loopsSent >= loops && (!c.sdp || probesDone)) {
        stopped = true;
        pausedAt = now();
        ev.push({ kind: pauseResume && !resumed ? "pause" : "stop" });
      }
      // pause-resume: once the paused session's connection is closed, resume; stop after its charge loop
      if (pauseResume && stopped && !resumed && events.some((e) => e.kind === "close" && e.tMs >= pausedAt)) {
        resumed = true;
        ev.push({ kind: "resume" });
      }
      if (pauseResume && resumed && stopped && loopsSent >= 2 * loops && !stoppedAfterResume) {
        stoppedAfterResume = true;
        ev.push({ kind: "stop" });
      }
    }
    await probes; // the probes' socket is closed before the next case
    if (!events.some((e) => e.kind === "open"))
      setupError = `no V2G connection to the SECC (${stopReason ?? "SDP or connect failed"})`;
    else if (!events.some((e) => e.kind === "rx" && e.name === "supportedAppProtocolRes"))
      setupError = "no supportedAppProtocolRes";
    else {
      const sap = events.find((e) => e.kind === "rx" && e.name === "supportedAppProtocolRes");
      if (sap?.kind === "rx" && sap.code !== "OK_SuccessfulNegotiation")
        setupError = `the SECC did not accept ${protocol} (supportedAppProtocolRes ${sap.code})`;
    }
  } catch (e) {
    setupError = `setup: ${(e as Error).message}`;
  } finally {
    intercept.release();
    if (stopReason) record({ kind: "ev-stop", tMs: now(), reason: stopReason });
    if (unplugFirst) {
      await board?.close().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
    await live?.close().catch(() => {});
    if (!unplugFirst) await board?.close().catch(() => {});
  }
  if (notReady) return null;
  if (testerError && !setupError) setupError = testerError;
  return {
    protocol,
    events,
    deviationAtMs: slacIcpt ? slacIcpt.deviationAtMs : intercept.deviationAtMs,
    ...(setupError !== undefined && { setupError }),
    durationMs: Math.round(now()),
    wire,
    ...(c.slac && {
      slac: {
        testerMac: hex(o.mac),
        ...(c.slac.kind === "second-ev" && { secondEvMac: c.slac.mac.toLowerCase() }),
      },
    }),
    ...(c.sdp && {
      sdp: { security: o.tls ? SDP_SECURITY_TLS : SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP },
    }),
  };
}

/** Run one case on `protocol`. Never throws: a failure to set up is an inconclusive verdict. */
export async function runCase(
  c: ConformanceCase,
  protocol: ConformanceProtocol,
  o: RunnerOptions,
): Promise<CaseResult> {
  let trace: CaseTrace | null = null;
  for (let i = 0; i < CASE_ATTEMPTS && !trace; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, NOT_READY_RETRY_MS));
    trace = await runAttempt(c, protocol, o);
  }
  trace ??= {
    protocol,
    events: [],
    deviationAtMs: null,
    setupError: `the SUT was not ready for a session in ${CASE_ATTEMPTS} attempts (pilot at 0 %: state F or no pilot)`,
    durationMs: 0,
  };
  const limits = o.limits;
  // a charger that ended the session abnormally may need a while (its fault state) before the next plug-in
  // (a SLAC or SDP case ends by pulling the cable once the V2G session is up: a charger takes that for a trip too)
  const aborted =
    trace.events.some(
      (e) => (e.kind === "close" && e.by === "remote") || (e.kind === "rx" && e.code?.startsWith("FAILED")),
    ) ||
    ((c.slac !== undefined || c.sdp !== undefined) &&
      trace.events.some((e) => e.kind === "rx" && e.name === "supportedAppProtocolRes"));
  await new Promise((r) => setTimeout(r, (o.betweenCasesMs ?? 300) + (aborted ? limits.recoveryMs : 0)));
  return {
    id: c.protocols.length > 1 && !c.protocolNeutral ? `${c.id}@${protocol}` : c.id,
    title: c.title,
    protocol,
    group: c.group,
    requirement: c.requirement,
    verdict: judge(c, trace, limits),
    ...(c.knownDeviation && { knownDeviation: c.knownDeviation }),
    durationMs: trace.durationMs,
    trace,
  };
}

/** Run `cases` one after the other on the protocols each names that the SUT offers. */
export async function runCases(
  cases: readonly ConformanceCase[],
  protocols: readonly ConformanceProtocol[],
  o: RunnerOptions,
  onResult?: (r: CaseResult, index: number, total: number) => void,
): Promise<CaseResult[]> {
  // a protocol-neutral case (SLAC, SDP) runs once, on the first of its protocols the SUT offers
  const runs = cases.flatMap((c) =>
    c.protocols
      .filter((p) => protocols.includes(p))
      .slice(0, c.protocolNeutral ? 1 : undefined)
      .map((p) => [c, p] as const),
  );
  const out: CaseResult[] = [];
  for (const [i, [c, p]] of runs.entries()) {
    const r = await runCase(c, p, o);
    out.push(r);
    onResult?.(r, i, runs.length);
  }
  return out;
}
