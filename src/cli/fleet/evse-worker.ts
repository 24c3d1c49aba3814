/**
 * Worker process of `nacs evse --fleet`: runs its share of the chargers, each the same EVSE controller as
 * `nacs evse` (`startLiveEvse`, DC, no SLAC) with its own board (`--board` per charger), SDP port
 * (`--sdp-port` + i) and V2G listener (`--port` + i, or a port of its own). A charger's sockets all live in
 * this process: sessions are sharded by charger, so no socket is handed between processes. Every session
 * report goes to the parent as it ends; SECC response times are kept here (up to {@link SECC_MAX_SAMPLES},
 * then a uniform sample of them, and every one in a mergeable histogram) and sent with `done`.
 * SIGINT/SIGTERM are the parent's to handle: the worker stops on the parent's `stop`, or when the parent is
 * gone (IPC closed).
 */
import { dcBatteryConfig } from "../../ev/dc/index.js";
import { evseDcConfig, powerModuleConfig } from "../../evse/dc/index.js";
import { startBoardThread } from "../../link/board/board-thread.js";
import { muxKeyOption } from "../../link/board/mux-auth.js";
import type { BoardMuxAddress, BoardMuxClient, BoardMuxPlace } from "../../link/board/mux-client.js";
import type { BoardStream } from "../../link/board/stream.js";
import { seccListenAddress, stderrLogger } from "../../link/host/cli-support.js";
import {
  createLatencyHistogram,
  type HistogramJson,
  histogramAdd,
  histogramToJson,
} from "../../link/host/latency-histogram.js";
import { type LiveEvse, startLiveEvse } from "../../link/host/live-evse.js";
import {
  type BoardMuxServer,
  boardMuxPath,
  connectBoardMuxes,
  listenBoardMux,
} from "../../sim/board/mux-socket.js";
import type { EvseOptions } from "../commands/evse.js";
import { evseTlsConfig } from "../commands/tls-options.js";
import { type LiveWorldSettings, openBoard, openBoardOnThread } from "../live/board.js";
import { seccSettingsOf } from "../live/secc-options.js";
import { random } from "../live/slac-link.js";
import { type ChargerSession, chargerSession } from "./charger-session.js";
import { isLoopResponse } from "./ev-vehicle.js";
import { fleetBoardSpec, fleetSimDir } from "./options.js";
import { createRttWindows, type RttWindowJson } from "./rtt-windows.js";
import {
  cpuPercentSince,
  lateMs,
  loopDelayMonitor,
  serveFleetWorker,
  toParent,
  toParentAndWait,
} from "./spawn.js";

/** SECC response samples kept per worker (beyond: reservoir sampling). Design choice. */
export const SECC_MAX_SAMPLES = 200_000;
const PROGRESS_MS = 1_000;

/** Parent → worker. */
export type EvseWorkerIn =
  /** `t0`: the fleet's start (epoch ms), window 0 of the timeline. */
  | {
      kind: "start";
      options: EvseOptions;
      indices: number[];
      t0: number;
      /** With `--board-mux`: this worker's mux among the park's (it listens on the port + its index). */
      muxPlace?: BoardMuxPlace;
    }
  | { kind: "stop" };

/** Worker → parent. */
export type EvseWorkerOut =
  | {
      kind: "ready";
      chargers: number;
      failed: { index: number; reason: string }[];
      /** `--board sim`: the simulated cables this worker hosts (the others joined a cable host's worlds). */
      cablesHosted: number;
      /** Of the joined ones: those joined over a cable host's board mux (the others over their own socket). */
      viaBoardMux: number;
      /** `--board-mux`: where this worker serves its cables over TCP, or why it cannot. */
      boardMux?: { where: string } | { error: string };
    }
  | { kind: "progress"; chargers: number; sessions: number; inLoop: number; trips: number }
  | { kind: "session"; session: ChargerSession }
  | {
      kind: "done";
      cpuPercent: number;
      wallMs: number;
      loopDelayP99Ms: number;
      /** The worker process's peak resident set (kB). */
      maxRssKb: number;
      /** SECC request received → response written (ms), every message, and the charge loop's. */
      responseMs: number[];
      loopResponseMs: number[];
      /** The same, every one of them, as mergeable histograms. */
      responseHistogram: HistogramJson;
      loopResponseHistogram: HistogramJson;
      responses: number;
      boardsLost: number;
      /** --board-thread: the interlock's actions by cause (the output switched off on the board thread). */
      interlocks: Record<string, number>;
      /** --board-thread: each interlock action's input → output-off written (ms). */
      interlockOffMs: number[];
      /** The charge loop's SECC responses and this worker's event-loop delay by window of wall time. */
      windows: RttWindowJson[];
    };

/** Keep at most `cap` samples, each of the `seen` so far equally likely (reservoir sampling). */
function keep(into: number[], cap: number, seen: number, v: number): void {
  if (into.length < cap) into.push(v);
  else {
    const j = Math.floor(Math.random() * seen);
    if (j < cap) into[j] = v;
  }
}

/** How often the timeline samples the event-loop delay (ms), as the EV fleet's workers. */
const LOOP_DELAY_SAMPLE_MS = 500;

async function run(m: Extract<EvseWorkerIn, { kind: "start" }>): Promise<void> {
  const o = m.options;
  const log = stderrLogger(o.logLevel, "evse-fleet");
  // every EV that leaves a simulated cable hosted here is a "host lost" warning of that board: with
  // thousands of them the default level keeps the board to errors (the summary counts boards lost)
  const boardLog = o.logLevel === "warn" ? stderrLogger("error", "evse-fleet") : log;
  const tls = await evseTlsConfig(o);
  const host = await seccListenAddress(o.iface);
  const module = powerModuleConfig(
    o.chargerClass,
    o.maxPowerKw * 1000,
    o.maxCurrent ? { maxCurrentA: o.maxCurrent } : {},
  );
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  const delay = loopDelayMonitor();
  delay.enable();
  // the timeline: charge-loop responses with the sessions in the loop (as of the last progress), and the
  // event-loop delay of every half second
  const windows = createRttWindows(m.t0);
  let inLoopNow = 0;
  const recent = loopDelayMonitor();
  recent.enable();
  const watch = setInterval(() => {
    windows.loopDelay(lateMs(recent.percentile(99)));
    recent.reset();
  }, LOOP_DELAY_SAMPLE_MS);
  const response: number[] = [];
  const loopResponse: number[] = [];
  const responseHistogram = createLatencyHistogram();
  const loopResponseHistogram = createLatencyHistogram();
  let responses = 0;
  let loopResponses = 0;
  let sessions = 0;
  let trips = 0;
  let boardsLost = 0;
  const chargers: { index: number; live: LiveEvse; close(): Promise<void> }[] = [];
  const failed: { index: number; reason: string }[] = [];
  const acceptors = new Map<number, (stream: BoardStream) => void>();
  // --board-thread: one board thread carries every charger's board link (and its interlock)
  const thread = o.boardThread ? startBoardThread() : null;
  const settings: LiveWorldSettings = {
    module,
    battery: dcBatteryConfig(),
    socPercent: 30,
    seed: null,
    energyTimeScale: o.timeScale,
    supply: { kind: "dc" },
  };
  // cables a cable host serves (nacs board-sim --fleet): the chargers join them over its board mux, one
  // connection for all; on the board thread, the thread's own (this one only reads which cables it hosts)
  const simDir = fleetSimDir(o.board);
  const mine = new Set(m.indices);
  const hostMuxes: BoardMuxClient[] = [];
  for (const x of simDir ? await connectBoardMuxes(simDir, boardLog) : []) {
    // a mux of no cable of this worker (another worker's of this park, say) is not kept open
    const kept = [...x.hosts].some((i) => mine.has(i));
    if (kept) hostMuxes.push(x);
    // on the board thread the thread connects itself: this connection only read the header
    if (!kept || thread) x.close();
  }
  const muxOf = (i: number) => hostMuxes.find((x) => x.hosts.has(i));
  let viaMux = 0;
  for (const i of m.indices) {
    try {
      const spec = fleetBoardSpec(o.board, i);
      const mux = muxOf(i);
      const board = thread
        ? await openBoardOnThread(
            thread,
            "evse",
            spec,
            settings,
            boardLog,
            mux?.address.kind === "unix"
              ? { mux: { path: mux.address.path, channel: i }, where: `board mux ${mux.where}` }
              : undefined,
          )
        : await openBoard(
            "evse",
            spec,
            settings,
            boardLog,
            mux ? { stream: mux.open(i), where: `board mux ${mux.where}` } : undefined,
          );
      if (mux) viaMux++;
      const live = await startLiveEvse({
        config: (sdp) =>
          evseDcConfig({
            module,
            slac: { mac: Uint8Array.of(0x02, 0x4e, 0x53, i >> 16, (i >> 8) & 0xff, i & 0xff), random },
            sdp,
            matching: "none",
            secc: seccSettingsOf(o),
          }),
        board: board.port,
        network: {
          iface: o.iface,
          slac: null,
          modem: "none",
          sdpPort: o.sdpPort + i,
          v2g: {
            host,
            ...(o.port !== undefined ? { port: o.port + i, allowAnyPort: true } : {}),
            ...(tls ? { tls } : {}),
          },
          logger: log,
        },
        onSession(s) {
          sessions++;
          trips += s.safety.length;
          toParent({ kind: "session", session: chargerSession(i, s) } satisfies EvseWorkerOut);
        },
        onResponseTime(name, ms) {
          keep(response, SECC_MAX_SAMPLES, ++responses, ms);
          histogramAdd(responseHistogram, ms);
          if (isLoopResponse(name)) {
            keep(loopResponse, SECC_MAX_SAMPLES, ++loopResponses, ms);
            histogramAdd(loopResponseHistogram, ms);
            windows.add(ms, inLoopNow);
          }
        },
        onBoardLost: () => {
          boardsLost++;
        },
        // the worker keeps every response time itself (histograms, samples, the timeline)
        sessionResponseTimes: false,
        logger: log,
      });
      if (board.accept) acceptors.set(i, board.accept);
      chargers.push({
        index: i,
        live,
        async close() {
          await live.close();
          await board.close();
        },
      });
    } catch (e) {
      failed.push({ index: i, reason: (e as Error).message });
    }
  }
  // the cables hosted here are served over one board mux connection too (an EV fleet uses it)
  const serveCables = (address: BoardMuxAddress, place?: BoardMuxPlace, key?: Uint8Array) =>
    listenBoardMux({
      address,
      ...(place && { place }),
      ...(key && { key }),
      hosts: acceptors.keys(),
      accept: (ch, stream) => acceptors.get(ch)?.(stream),
      logger: boardLog,
    });
  const mux =
    simDir && acceptors.size > 0
      ? await serveCables({ kind: "unix", path: boardMuxPath(simDir) }).catch((e: Error) => {
          log.warn({}, `${e.message}: the EV fleet joins each cable over its own socket`);
          return null;
        })
      : null;
  // --board-mux: the same cables over TCP too, for an EV fleet on another machine
  let tcpMux: BoardMuxServer | null = null;
  let boardMux: { where: string } | { error: string } | undefined;
  if (o.boardMux && m.muxPlace) {
    const { host, port } = o.boardMux;
    try {
      const key = muxKeyOption(o.boardMuxKey);
      tcpMux = await serveCables({ kind: "tcp", host, port: port + m.muxPlace.index }, m.muxPlace, key);
      boardMux = { where: tcpMux.where };
    } catch (e) {
      boardMux = { error: (e as Error).message };
    }
  }
  toParent({
    kind: "ready",
    chargers: chargers.length,
    failed,
    cablesHosted: acceptors.size,
    viaBoardMux: viaMux,
    ...(boardMux && { boardMux }),
  } satisfies EvseWorkerOut);
  const inLoop = () => chargers.filter((c) => c.live.host.state().secc.powerDelivery === "start").length;
  const progress = setInterval(() => {
    inLoopNow = inLoop();
    toParent({
      kind: "progress",
      chargers: chargers.length,
      sessions,
      inLoop: inLoopNow,
      trips,
    } satisfies EvseWorkerOut);
  }, PROGRESS_MS);
  await new Promise<void>((r) => {
    process.on("message", (x: EvseWorkerIn) => x.kind === "stop" && r());
    process.once("disconnect", () => r());
  });
  clearInterval(progress);
  clearInterval(watch);
  recent.disable();
  await mux?.close();
  await tcpMux?.close();
  for (const c of chargers.splice(0)) await c.close().catch(() => undefined);
  for (const x of hostMuxes) x.close();
  const interlocks: Record<string, number> = {};
  const interlockOffMs: number[] = [];
  for (const n of thread?.interlocks ?? []) {
    interlocks[n.cause] = (interlocks[n.cause] ?? 0) + 1;
    interlockOffMs.push(n.offAtMs - n.inputAtMs);
  }
  await thread?.close();
  delay.disable();
  const wallMs = performance.now() - w0;
  await toParentAndWait({
    kind: "done",
    cpuPercent: cpuPercentSince(cpu0, wallMs),
    wallMs: Math.round(wallMs),
    loopDelayP99Ms: lateMs(delay.percentile(99)),
    maxRssKb: process.resourceUsage().maxRSS,
    responseMs: response,
    loopResponseMs: loopResponse,
    responseHistogram: histogramToJson(responseHistogram),
    loopResponseHistogram: histogramToJson(loopResponseHistogram),
    responses,
    boardsLost,
    interlocks,
    interlockOffMs,
    windows: windows.toJson(),
  } satisfies EvseWorkerOut);
}

serveFleetWorker<EvseWorkerIn>("nacs evse --fleet", run);
