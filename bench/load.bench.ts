/**
 * Load bench (issue 6 "`npm run bench`: … concurrent DC sessions in one process in real time in the
 * CurrentDemand loop — target 1,000 sessions on this 2-core machine with SECC p99 response < 10 ms;
 * emergency-stop detection-to-off p99 under that load — target < 1 ms").
 *
 * This process is the SECC: one {@link startSeccServer} on [::1] TCP serving every session, each with the
 * production DC safety supervisor attached (bench/load/session-safety.ts). The EVs are real EVCC machines
 * in one or two child processes (bench/load/ev-fleet.ts), started spread over a few seconds; each stays in
 * the CurrentDemand loop at its own cadence. Once every session is in the loop, a window of N seconds is
 * measured; an emergency-stop panel (child, bench/load/estop-panel.ts) presses the stop input of random
 * chargers meanwhile (stopped EVs plug in again after 1 s). Then every EV stops its session normally.
 *
 * The machine has 2 cores: the EV process competes with the SECC for them (≈ 0.12 ms of CPU per request on
 * each side, so 1000 sessions at 250 ms ≈ 0.45 core each), and so does everything else running on a shared
 * machine — the report gives the machine-wide CPU use and CPU pressure (PSI) during the window. The EVs use
 * the real V2G_EVCC_Msg_Timeout (250 ms for CurrentDemand): a stall of either process longer than that ends
 * sessions, which the report counts as failures.
 *
 * What is timed at the SECC: CurrentDemandReq received → CurrentDemandRes written (the host's own
 * samples, cut to the window); the emergency stop: supervisor handler start → power-stage off command, and
 * separately press → handled (the event-loop / scheduling delay an input event meets in this process).
 *
 * Parameters: NACS_BENCH_SESSIONS (1000), NACS_BENCH_WINDOW_S (20), NACS_BENCH_RAMP_S (10),
 * NACS_BENCH_LOOP_MS ("250" or "MIN-MAX"), NACS_BENCH_EV_PROCS (1), NACS_BENCH_ESTOP_HZ (15),
 * NACS_BENCH_TIME_SCALE (1), NACS_BENCH_TRACE=1 (per-second progress on stderr), NACS_BENCH_PROF_DIR (CPU
 * profiles of the children). Takes about rampS + windowS + 15 s.
 */
import { fileURLToPath } from "node:url";
import { startSeccServer } from "../src/link/host/secc-server.js";
import { timeStats } from "../src/link/host/stats.js";
import {
  type Child,
  fdLimit,
  type LoadConfig,
  lateMs,
  loadConfig,
  planProcesses,
  r3,
  sleep,
  spawnChild,
  traceEverySecond,
} from "./load/config.js";
import type { EvFleetConfig, EvFleetReport } from "./load/ev-fleet.js";
import {
  cpuJiffies,
  cpuPressurePercent,
  cpuPressureUs,
  machineBusyPercent,
  machineInfo,
} from "./load/machine.js";
import { SeccProbe } from "./load/secc-probe.js";
import { type BenchResult, target } from "./types.js";

const script = (name: string) => fileURLToPath(new URL(`./load/${name}`, import.meta.url));

/** Pause between "every session in the loop" and the window, so the last set-ups are not measured (ms). */
const SETTLE_MS = 2_000;
/** SECC p99 target, ms (issue 6). */
const SECC_P99_TARGET_MS = 10;
/** Emergency-stop detection → off p99 target, ms (issue 6). */
const ESTOP_P99_TARGET_MS = 1;

function stats(samples: number[]) {
  const s = timeStats(samples);
  return { count: s.count, p50: r3(s.median), p99: r3(s.p99), max: r3(s.max) };
}

/** Bench entry point. */
export async function run(): Promise<BenchResult[]> {
  const cfg: LoadConfig = loadConfig();
  const limit = fdLimit();
  const evProcs = planProcesses(cfg.sessions, limit, cfg.evProcs);
  const server = await startSeccServer({
    host: "::1",
    port: 0,
    mode: "dc",
    plant: { timeScale: cfg.timeScale },
  });
  const probe = new SeccProbe(server, cfg.sessions);
  const panelPort = await probe.listenEstop();
  const untrace = traceEverySecond("secc", () => `inLoop=${probe.inLoop()} started=${probe.sessionsStarted}`);
  const panel = spawnChild(script("estop-panel.ts"), {
    NACS_LOAD_PANEL: JSON.stringify({ port: panelPort, slots: cfg.sessions, hz: cfg.estopHz }),
  });
  const evs: Child[] = [];
  for (let k = 0; k < evProcs; k++) {
    const count = Math.floor(cfg.sessions / evProcs) + (k < cfg.sessions % evProcs ? 1 : 0);
    const ec: EvFleetConfig = {
      port: server.local.port,
      count,
      rampMs: cfg.rampS * 1000,
      loopMinMs: cfg.loopMinMs,
      loopMaxMs: cfg.loopMaxMs,
      timeScale: cfg.timeScale,
      replugMs: cfg.replugMs,
    };
    evs.push(spawnChild(script("ev-fleet.ts"), { NACS_LOAD_EV: JSON.stringify(ec) }));
  }
  try {
    await Promise.all([panel.next("ready", 30_000), ...evs.map((c) => c.next("ready", 30_000))]);
    const t0 = performance.now();
    const deadline = t0 + cfg.rampS * 1000 + 20_000;
    const failed = () => evs.reduce((a, c) => a + (c.latest<{ failed: number }>("progress")?.failed ?? 0), 0);
    while (probe.inLoop() + failed() < cfg.sessions && performance.now() < deadline) await sleep(100);
    const reachMs = performance.now() - t0;
    await sleep(SETTLE_MS);
    const inLoopAtStart = probe.inLoop();

    const dones = evs.map((c) => c.next<EvFleetReport>("done", cfg.windowS * 1000 + 60_000));
    const panelDone = panel.next<PanelDone>("done", cfg.windowS * 1000 + 60_000);
    const cpu0 = process.cpuUsage();
    const j0 = cpuJiffies();
    const psi0 = cpuPressureUs();
    const w0 = performance.now();
    probe.windowStart();
    for (const c of evs) c.send("window-start");
    panel.send("start");
    await sleep(cfg.windowS * 1000);
    panel.send("stop");
    probe.windowEnd();
    const windowMs = performance.now() - w0;
    const cpuSecc = process.cpuUsage(cpu0);
    const j1 = cpuJiffies();
    const psi1 = cpuPressureUs();
    const inLoopAtEnd = probe.inLoop();
    for (const c of evs) c.send("stop");
    const reports = await Promise.all(dones);
    const panelReport = await panelDone;
    await Promise.all([...evs.map((c) => c.exited), panel.exited]);
    const until = performance.now() + 5_000;
    while (server.active.size > 0 && performance.now() < until) await sleep(20);
    return report(cfg, {
      evProcs,
      limit,
      reachMs,
      inLoopAtStart,
      inLoopAtEnd,
      windowMs,
      seccCpuMs: (cpuSecc.user + cpuSecc.system) / 1000,
      machineBusy: machineBusyPercent(j0, j1),
      cpuPressure: cpuPressurePercent(psi0, psi1, windowMs),
      probe,
      reports,
      panel: panelReport,
    });
  } finally {
    untrace();
    for (const c of [panel, ...evs]) c.kill();
    probe.close();
    await server.close();
  }
}

interface Run {
  evProcs: number;
  limit: number;
  reachMs: number;
  inLoopAtStart: number;
  inLoopAtEnd: number;
  windowMs: number;
  seccCpuMs: number;
  machineBusy: number | null;
  cpuPressure: number | null;
  probe: SeccProbe;
  reports: EvFleetReport[];
  panel: PanelDone;
}

/** The panel's `done` line (estop-panel.ts). */
interface PanelDone {
  pressed: number;
  idleDelayP50Ms: number;
  idleDelayP99Ms: number;
  idleDelayMaxMs: number;
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

function report(cfg: LoadConfig, r: Run): BenchResult[] {
  const secc = r.probe.results();
  const st = stats(secc.windowSamples);
  const rtt = stats(r.reports.flatMap((x) => x.rtt));
  const es = r.probe.estop;
  const off = stats(es.detectToOff);
  const input = stats(es.inputToHandled);
  const total = stats(es.inputToOff);
  const evCpuPct = r.reports.map((x) => Math.round((100 * x.cpuMsWindow) / x.windowMs));
  const seccCpuPct = Math.round((100 * r.seccCpuMs) / r.windowMs);
  // failures: EV sessions that did not end normally and were not emergency-stopped by the bench
  const unexplained = r.reports.flatMap((x) => x.abnormal).filter((a) => !es.ports.has(a.port));
  const reachedLoop = r.reports.reduce((a, x) => a + x.evsReachedLoop, 0);
  const evEnds: Record<string, number> = {};
  for (const x of r.reports) for (const [k, v] of Object.entries(x.ends)) evEnds[k] = (evEnds[k] ?? 0) + v;
  const reqPerS = Math.round((st.count * 1000) / r.windowMs);
  const label = `${cfg.sessions} DC sessions, [::1] TCP`;
  const loopMs = cfg.loopMinMs === cfg.loopMaxMs ? `${cfg.loopMinMs}` : `${cfg.loopMinMs}-${cfg.loopMaxMs}`;
  const setup = {
    sessions: cfg.sessions,
    windowS: r3(r.windowMs / 1000),
    rampS: cfg.rampS,
    evLoopPauseMs: loopMs,
    evProcesses: r.evProcs,
    fdLimit: r.limit,
    timeScale: cfg.timeScale,
    ...machineInfo(),
  };
  return [
    {
      name: `sessions reached the CurrentDemand loop (${label})`,
      value: reachedLoop,
      unit: "sessions",
      target: target(">=", cfg.sessions, reachedLoop),
      detail: {
        ...setup,
        allInLoopAfterS: r3(r.reachMs / 1000),
        inLoopAtWindowStart: r.inLoopAtStart,
        inLoopAtWindowEnd: r.inLoopAtEnd,
        seccSessionsStarted: r.probe.sessionsStarted,
        seccSessionsReachedLoop: secc.sessionsReachedLoop,
        evSessionsStarted: r.reports.reduce((a, x) => a + x.started, 0),
      },
    },
    {
      name: `CurrentDemandReq served by the SECC in the window (${label})`,
      value: st.count,
      unit: "requests",
      detail: { perSecond: reqPerS },
    },
    {
      name: `SECC CurrentDemandReq received → CurrentDemandRes written, ${label} (median)`,
      value: st.p50,
      unit: "ms",
      detail: { samples: st.count, max: st.max },
    },
    {
      name: `SECC CurrentDemandReq received → CurrentDemandRes written, ${label} (p99)`,
      value: st.p99,
      unit: "ms",
      target: target("<=", SECC_P99_TARGET_MS, st.p99),
      detail: {
        samples: st.count,
        max: st.max,
        seccEventLoopDelayP99Ms: lateMs(r.probe.loopDelay, 99, 1),
        seccEventLoopDelayMaxMs: lateMs(r.probe.loopDelay, 100, 1),
      },
    },
    {
      name: `EV-observed CurrentDemand round trip, ${label} (p99)`,
      value: rtt.p99,
      unit: "ms",
      detail: {
        ...rtt,
        evEventLoopDelayP99Ms: r.reports.map((x) => x.loopDelayP99Ms),
        evEventLoopDelayMaxMs: r.reports.map((x) => x.loopDelayMaxMs),
        note: "written by the EV → response handed to the EV machine: both event loops' queueing included",
      },
    },
    {
      name: `emergency stop detection → power-stage off command under load, ${label} (p99)`,
      value: off.p99,
      unit: "ms",
      target: target("<=", ESTOP_P99_TARGET_MS, off.p99),
      detail: { ...off, presses: r.panel.pressed, notInLoop: es.notInLoop },
    },
    {
      name: `emergency stop input → handled by the SECC process (event-loop delay), ${label} (p99)`,
      value: input.p99,
      unit: "ms",
      detail: {
        ...input,
        inputToOff: total,
        idleProcessDelayMs: {
          p50: r.panel.idleDelayP50Ms,
          p99: r.panel.idleDelayP99Ms,
          max: r.panel.idleDelayMaxMs,
          note: "timer lateness of the nearly idle panel process meanwhile: the machine's own scheduling delay",
        },
      },
    },
    {
      name: `CPU use during the window, SECC process (${label})`,
      value: seccCpuPct,
      unit: "% of one core",
      detail: {
        evProcessesPercentOfOneCore: evCpuPct,
        machineBusyPercentAllCores: r.machineBusy,
        machineCpuPressureSomePercent: r.cpuPressure,
        note: "machine-wide figures include every other process on this shared machine",
      },
    },
    {
      name: `session failures (ended abnormally, not emergency-stopped), ${label}`,
      value: unexplained.length + secc.unfinished,
      unit: "sessions",
      target: target("<=", 0, unexplained.length + secc.unfinished),
      detail: {
        evEnds,
        seccEnds: secc.ends,
        emergencyStopped: es.ports.size,
        failuresByPhase: countBy(unexplained.map((a) => a.phase)),
        unfinishedAtSecc: secc.unfinished,
        examples: unexplained.slice(0, 5),
      },
    },
  ];
}
