/**
 * `nacs simulate --fleet N`: N independent simulated DC sessions in virtual time over `--workers W` worker
 * threads (default: the cores), each with its own seed, EV, protocol, pack and SOC from the mix, plugged in
 * over the park's window; then one aggregate report (text, or one JSON object with `--json`) and, with
 * `--out-dir DIR`, the park load curve as CSV and HTML. Work is handed out in small batches; a worker that
 * dies has its unfinished sessions listed as failed with its error, and a new worker takes over the rest.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../../link/start-worker.js";
import { SIM_SLOW_SAMPLE_MS } from "../../sim/dc/index.js";
import {
  aggregateFleet,
  crashedFleetSession,
  DEFAULT_FLEET_MIX,
  type FleetPlanInput,
  type FleetReport,
  type FleetSessionResult,
  type FleetSessionSpec,
  loadCurveCsv,
  loadCurveHtml,
  planFleetSession,
} from "../../sim/fleet/index.js";
import { formatDuration } from "../../sim/format-time.js";
import { DEFAULT_CHARGE_LOOP_MS } from "../charge-loop.js";
import { ensureDir } from "../ensure-dir.js";
import {
  defaultWorkers,
  FLEET_DEFAULT_BIN_S,
  FLEET_DEFAULT_WINDOW_S,
  fixedFleetOptions,
  readFleetMix,
} from "./fleet-options.js";
import type { FleetWorkerData, FleetWorkerReply, FleetWorkerRequest } from "./fleet-worker.js";
import type { SimulateOptions } from "./simulate-options.js";

/** Test hooks and output of {@link runFleet}. */
export interface RunFleetExtra {
  /** Raw options as given (which session flags were given explicitly and fix that parameter). */
  raw?: Record<string, unknown>;
  /** Progress lines (default: stderr when it is a terminal and not --json). */
  progress?: ((s: string) => void) | null;
  /** Test hook: the worker that reaches this session index dies. */
  crashAtIndex?: number;
  /** Where to write the load curve (default: `--out-dir` when given explicitly). */
  outDir?: string;
}

/** Sessions per batch handed to a worker: small enough to share the tail, large enough to keep messages rare. */
export function fleetBatchSize(n: number, workers: number): number {
  return Math.max(1, Math.min(32, Math.ceil(n / (workers * 16))));
}

/** The worker thread's module: the .ts source under tsx (loader registered in the thread), else the .js. */
function startWorker(data: FleetWorkerData): Worker {
  return startModuleWorker(import.meta.url, "./fleet-worker", { ...data, fleetWorker: true });
}

/** Run the fleet of `o.fleet` sessions; returns the report (not printed). */
export async function runFleet(o: SimulateOptions, extra: RunFleetExtra = {}): Promise<FleetReport> {
  const n = o.fleet ?? 1;
  const workers = Math.min(n, o.workers ?? defaultWorkers());
  const binS = o.fleetBin ?? FLEET_DEFAULT_BIN_S;
  const windowS = o.fleetWindow ?? FLEET_DEFAULT_WINDOW_S;
  const mix = o.fleetMix !== undefined ? readFleetMix(o.fleetMix) : DEFAULT_FLEET_MIX;
  const plan: FleetPlanInput = { seed: o.seed, windowS, mix, fixed: fixedFleetOptions(extra.raw ?? {}, o) };
  const specs: FleetSessionSpec[] = Array.from({ length: n }, (_, i) => planFleetSession(plan, i));
  const t0 = performance.now();
  const results = await runOnWorkers(specs, {
    workers,
    data: { plan, binS, ...(extra.crashAtIndex !== undefined && { crashAtIndex: extra.crashAtIndex }) },
    progress: extra.progress ?? null,
  });
  const wallS = (performance.now() - t0) / 1000;
  const report = aggregateFleet(results, specs, { workers, seed: o.seed, windowS, binS, wallS });
  if (extra.outDir !== undefined) {
    const dir = resolve(extra.outDir);
    ensureDir(dir, "--out-dir");
    const files = { csv: join(dir, "fleet-load.csv"), plot: join(dir, "fleet-load.html") };
    writeFileSync(files.csv, loadCurveCsv(report.loadCurve));
    writeFileSync(files.plot, loadCurveHtml({ ...report, files }));
    report.files = files;
  }
  return report;
}

/** Hand the sessions to `workers` threads in batches; every session gets exactly one result. */
function runOnWorkers(
  specs: readonly FleetSessionSpec[],
  cfg: { workers: number; data: FleetWorkerData; progress: ((s: string) => void) | null },
): Promise<FleetSessionResult[]> {
  const n = specs.length;
  const batch = fleetBatchSize(n, cfg.workers);
  const results: (FleetSessionResult | undefined)[] = new Array(n);
  let next = 0;
  let done = 0;
  let respawns = cfg.workers; // at most this many replacements for workers that died
  const t0 = performance.now();
  let lastDraw = 0;
  const draw = (force = false) => {
    const now = performance.now();
    if (!cfg.progress || (!force && now - lastDraw < 200)) return;
    lastDraw = now;
    const rate = done / Math.max(1e-3, (now - t0) / 1000);
    const eta = rate > 0 ? formatDuration((n - done) / rate) : "?";
    cfg.progress(`\rfleet: ${done} / ${n} sessions, ${rate.toFixed(1)}/s, ETA ${eta}\x1b[K`);
  };
  return new Promise((resolveAll) => {
    const live = new Set<Worker>();
    const finishIfDone = () => {
      if (done < n) return;
      for (const w of live) w.postMessage({ kind: "stop" } satisfies FleetWorkerRequest);
      draw(true);
      cfg.progress?.("\n");
      resolveAll(results as FleetSessionResult[]);
    };
    const put = (r: FleetSessionResult) => {
      if (results[r.index] !== undefined) return;
      results[r.index] = r;
      done++;
      draw();
    };
    const spawn = () => {
      const w = startWorker(cfg.data);
      const inFlight = new Set<number>();
      let dead = false;
      live.add(w);
      const feed = () => {
        if (next >= n) return;
        const indices: number[] = [];
        while (indices.length < batch && next < n) indices.push(next++);
        for (const i of indices) inFlight.add(i);
        w.postMessage({ kind: "run", indices } satisfies FleetWorkerRequest);
      };
      const died = (why: string) => {
        if (dead) return;
        dead = true;
        live.delete(w);
        for (const i of inFlight) {
          const spec = specs[i];
          if (spec) put(crashedFleetSession(spec, `worker crashed: ${why}`, cfg.data.binS));
        }
        inFlight.clear();
        if (next < n) {
          if (respawns-- > 0) spawn();
          else if (live.size === 0)
            while (next < n) {
              const spec = specs[next++];
              if (spec) put(crashedFleetSession(spec, `no worker left: ${why}`, cfg.data.binS));
            }
        }
        finishIfDone();
      };
      w.on("message", (m: FleetWorkerReply) => {
        if (m.kind === "result") {
          inFlight.delete(m.result.index);
          put(m.result);
          finishIfDone();
        } else feed();
      });
      w.on("error", (err) => died(err.message));
      w.on("exit", (code) => {
        if (done < n || inFlight.size > 0) died(`worker exited with code ${code}`);
        live.delete(w);
      });
      feed();
    };
    for (let k = 0; k < cfg.workers; k++) spawn();
    finishIfDone();
  });
}

const kwh = (wh: number) => `${(wh / 1000).toFixed(2)} kWh`;

/** `--time-scale K --charge-loop-ms L --measure-ms M`, "(full)" when all three are the single-session defaults. */
function formatFidelity(f: FleetReport["fidelity"]): string {
  const k = f.timeScale ?? 1;
  const loop = f.chargeLoopMs ?? DEFAULT_CHARGE_LOOP_MS;
  const m = f.measureMs ?? SIM_SLOW_SAMPLE_MS;
  const full = k === 1 && loop === DEFAULT_CHARGE_LOOP_MS && m === SIM_SLOW_SAMPLE_MS;
  return `--time-scale ${k} --charge-loop-ms ${loop} --measure-ms ${m}${full ? " (full)" : ""}`;
}

/** The human report of a fleet. */
export function formatFleetReport(r: FleetReport): string {
  const s = (x: { p50: number; p90: number; p99: number; max: number }, f: (v: number) => string) =>
    `p50 ${f(x.p50)}, p90 ${f(x.p90)}, p99 ${f(x.p99)}, max ${f(x.max)}`;
  const rows: [string, string][] = [
    [
      "sessions",
      `${r.sessions} (${r.completed} ran to an end), seed ${r.seed}, plug-ins over ${formatDuration(r.windowS)}`,
    ],
    [
      "wall time",
      `${r.wallS.toFixed(1)} s on ${r.workers} worker${r.workers === 1 ? "" : "s"} (${r.sessionsPerS} sessions/s)`,
    ],
    ["fidelity", formatFidelity(r.fidelity)],
    ["energy", `${(r.energyWh.total / 1000).toFixed(1)} kWh in all; per session ${s(r.energyWh, kwh)}`],
    ["duration", s(r.durationS, (v) => formatDuration(v))],
    ["peak power", s(r.peakPowerW, (v) => `${(v / 1000).toFixed(1)} kW`)],
    [
      "park load peak",
      `${r.loadCurve.peakKw.toFixed(1)} kW at ${formatDuration(r.loadCurve.peakAtS)} (${r.loadCurve.binS} s bins)`,
    ],
    [
      "protocols",
      Object.entries(r.protocols)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ],
    [
      "EV profiles",
      Object.entries(r.evProfiles)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  let out = `nacs simulate --fleet ${r.sessions}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n")}\n`;
  out += "\nstop reasons:\n";
  for (const [k, v] of Object.entries(r.stopReasons).sort((a, b) => b[1] - a[1]))
    out += `  ${String(v).padStart(7)}  ${k}\n`;
  out += `\nfailures: ${r.failures.length}\n`;
  for (const f of r.failures.slice(0, 20)) out += `  #${f.index} ${f.reason}\n    ${f.command}\n`;
  if (r.failures.length > 20) out += `  … ${r.failures.length - 20} more (--json)\n`;
  if (r.files) out += `\n  load curve  ${r.files.csv}\n  plot        ${r.files.plot}\n`;
  return out;
}
