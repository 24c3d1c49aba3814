/**
 * EV side of the load bench, run as a child process (so the EVs' EXI work does not run on the SECC's event
 * loop): `count` real EVCC machines ({@link runEvccSession}) over TCP to the SECC on [::1], started spread
 * over `rampMs`, each charging slowly so it stays in the CurrentDemand loop. An EV whose session the SECC
 * closed (emergency stop) plugs in again after `replugMs` with a new session, so the load stays up; an EV
 * whose session failed on its own side (timeout) stays out.
 *
 * Commands on stdin: `window-start` (begin collecting round trips), `stop` (stop every session normally,
 * then report). Messages on stdout (JSON lines): `ready`, `progress` (every 250 ms), `done`.
 * Round trip = CurrentDemandReq written → CurrentDemandRes delivered to the machine, on this process's clock.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { type EvccSession, runEvccSession } from "../../src/link/host/evcc-session.js";
import { tcpConnect } from "../../src/link/tcp.js";
import type { V2gConnection } from "../../src/link/types.js";
import { DEFAULT_EVCC_PACING } from "../../src/v2g/index.js";
import { cpuMs, emit, lateMs, r3, sleep, traceEverySecond } from "./config.js";

/** What the bench passes in NACS_LOAD_EV. */
export interface EvFleetConfig {
  port: number;
  count: number;
  rampMs: number;
  loopMinMs: number;
  loopMaxMs: number;
  timeScale: number;
  replugMs: number;
}

/** A session that did not end normally, and the bench phase it ended in. */
export interface Abnormal {
  port: number;
  reason: string;
  detail: string;
  phase: "ramp" | "window" | "stopping";
}

/** The `done` report. */
export interface EvFleetReport {
  event: "done";
  /** Sessions started (first plug-ins + re-plugs). */
  started: number;
  /** Of those, sessions that reached the CurrentDemand loop. */
  reachedLoop: number;
  /** Slots (EVs) whose first session reached the loop. */
  evsReachedLoop: number;
  connectFailures: number;
  /** How sessions ended: stop reason (or close code) → count. */
  ends: Record<string, number>;
  /** Sessions that did not end "terminated": local port (= the SECC's remote port), reason, detail, phase. */
  abnormal: Abnormal[];
  /** Round trips (ms) of CurrentDemandReq sent inside the window. */
  rtt: number[];
  windowMs: number;
  cpuMsWindow: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const cfg = JSON.parse(process.env.NACS_LOAD_EV ?? "null") as EvFleetConfig | null;
if (!cfg) throw new Error("ev-fleet: NACS_LOAD_EV (JSON config) missing");

/** The EVs stop their sessions at random moments within this many ms after `stop`. */
const STOP_SPREAD_MS = 3_000;

let phase: "ramp" | "window" | "stopping" = "ramp";
/** Read through a call so the compiler does not narrow it across awaits. */
const stopping = (): boolean => phase === "stopping";
const rtt: number[] = [];
const active = new Set<EvccSession>();
const ends: Record<string, number> = {};
const abnormal: Abnormal[] = [];
let started = 0;
let reachedLoop = 0;
let evsReachedLoop = 0;
let connectFailures = 0;
let windowT0 = 0;
let windowCpu0: NodeJS.CpuUsage | undefined;
let windowMs = 0;
let cpuMsWindow = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 1 });

/** `conn` with round-trip timing of CurrentDemandReq (written → response handed to the machine). */
function timed(conn: V2gConnection, inLoopReq: () => boolean, reached: () => void): V2gConnection {
  let sentAt = -1;
  return {
    get id() {
      return conn.id;
    },
    transport: conn.transport,
    local: conn.local,
    remote: conn.remote,
    send(payloadType, payload) {
      const t = performance.now();
      conn.send(payloadType, payload);
      sentAt = phase === "window" && inLoopReq() ? t : -1;
    },
    sendRaw: (b) => conn.sendRaw(b),
    onMessage(cb) {
      return conn.onMessage((m) => {
        if (sentAt >= 0) rtt.push(r3(performance.now() - sentAt));
        sentAt = -1;
        cb(m);
        reached();
      });
    },
    [Symbol.asyncIterator]: () => conn[Symbol.asyncIterator](),
    close: (r) => conn.close(r),
    closed: conn.closed,
    get isClosed() {
      return conn.isClosed;
    },
  };
}

async function ev(c: EvFleetConfig, slot: number): Promise<void> {
  await sleep((slot * c.rampMs) / c.count + Math.random() * 5);
  let first = true;
  while (!stopping()) {
    let conn: V2gConnection;
    try {
      conn = await tcpConnect({ host: "::1", port: c.port });
    } catch (e) {
      connectFailures++;
      abnormal.push({ port: 0, reason: "connect-failed", detail: String(e), phase });
      break;
    }
    let s: EvccSession | undefined;
    let inLoop = false;
    const wasFirst = first;
    first = false;
    const w = timed(
      conn,
      () => s?.state().pending === "CurrentDemand",
      () => {
        if (inLoop || !s?.state().charging) return;
        inLoop = true;
        reachedLoop++;
        if (wasFirst) evsReachedLoop++;
      },
    );
    const loopMs = c.loopMinMs + Math.random() * (c.loopMaxMs - c.loopMinMs);
    s = runEvccSession(w, {
      mode: "dc",
      config: { pacing: { ...DEFAULT_EVCC_PACING, loopMs } },
      readings: { fullSocPercent: 100 },
      plant: { socPercent: 10 + Math.random() * 20, timeScale: c.timeScale },
    });
    active.add(s);
    started++;
    if (stopping()) s.control({ op: "stop" });
    const sum = await s.done;
    active.delete(s);
    const reason = sum.stopReason ?? sum.close.code;
    ends[reason] = (ends[reason] ?? 0) + 1;
    if (sum.stopReason !== "terminated")
      abnormal.push({ port: conn.local.port, reason, detail: sum.stopDetail, phase });
    // the SECC closed the session (what an emergency stop looks like from the car): plug in again;
    // after a failure on the EV side (timeout, error) this EV stays out, so overload cannot snowball
    if (stopping() || reason !== "peer-closed") break;
    await sleep(c.replugMs);
  }
}

/** EVs out for good: sessions that failed on the EV side or could not connect. */
function failedNow(): number {
  return abnormal.filter((a) => a.reason !== "peer-closed").length;
}

function inLoopNow(): number {
  let n = 0;
  for (const s of active) if (s.state().charging) n++;
  return n;
}

const c = cfg;
const evs = Array.from({ length: c.count }, (_, i) => ev(c, i));
const progress = setInterval(
  () => emit({ event: "progress", inLoop: inLoopNow(), active: active.size, failed: failedNow() }),
  250,
);
traceEverySecond("ev", () => {
  return `inLoop=${inLoopNow()} active=${active.size} failed=${failedNow()} rtt=${rtt.length}`;
});
emit({ event: "ready" });

createInterface({ input: process.stdin }).on("line", (cmd) => {
  if (cmd === "window-start" && phase === "ramp") {
    phase = "window";
    windowT0 = performance.now();
    windowCpu0 = process.cpuUsage();
    loopDelay.enable();
  } else if (cmd === "stop" && phase !== "stopping") {
    if (phase === "window") {
      windowMs = performance.now() - windowT0;
      cpuMsWindow = cpuMs(windowCpu0);
      loopDelay.disable();
    }
    phase = "stopping";
    // drivers stop at different moments: spread over STOP_SPREAD_MS so the end is not one burst
    for (const s of active) setTimeout(() => s.control({ op: "stop" }), Math.random() * STOP_SPREAD_MS);
    void finish();
  }
});

async function finish(): Promise<void> {
  // a session that does not end within 30 s of the stop is closed (counted by its close code)
  const force = setTimeout(() => {
    for (const s of active) s.conn.close("bench: stop timeout");
  }, 30_000);
  await Promise.all(evs);
  clearTimeout(force);
  clearInterval(progress);
  const report: EvFleetReport = {
    event: "done",
    started,
    reachedLoop,
    evsReachedLoop,
    connectFailures,
    ends,
    abnormal,
    rtt,
    windowMs,
    cpuMsWindow,
    loopDelayP99Ms: lateMs(loopDelay, 99, 1),
    loopDelayMaxMs: lateMs(loopDelay, 100, 1),
  };
  emit(report as unknown as { event: string });
  process.stdout.write("", () => process.exit(0));
}
