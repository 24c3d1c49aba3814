/**
 * The summaries of the live fleets: `nacs ev --fleet` (vehicles, the charge loop reached, failures by the
 * phase they failed in with their reasons, charge-loop round trips and set-up times as percentiles,
 * energy, per-worker CPU, event-loop delay and back-pressure holds) and `nacs evse --fleet` (sessions,
 * trips by fault, SECC response percentiles). Pure: the JSON object of `--json` and its text form. Beside
 * each exact `Dist` the summary carries the mergeable histogram of the same figure (latency-histogram.ts),
 * which `nacs fleet merge` combines over shards.
 */
import {
  type Dist,
  type HistogramJson,
  histogramOf,
  histogramToJson,
  type LatencyHistogram,
} from "../../link/host/latency-histogram.js";
import { percentile } from "../../link/host/stats.js";
import type { ChargerSession } from "./charger-session.js";
import type { VehicleResult } from "./ev-vehicle.js";
import type { ChargeLoopRange, FleetShard } from "./options.js";
import { type FleetLateLoop, fleetLateLoop, formatRttWindows, type RttWindow } from "./rtt-windows.js";

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Count, p50, p90, p99 and max of `xs`. */
export function dist(xs: readonly number[]): Dist {
  const s = Float64Array.from(xs).sort();
  const at = (p: number) => r3(percentile(s as unknown as number[], p));
  return { count: s.length, p50: at(50), p90: at(90), p99: at(99), max: r3(s.length ? s[s.length - 1]! : 0) };
}

/** One worker process's figures. */
export interface WorkerFigures {
  pid: number;
  pairs: number;
  cpuPercent: number | null;
  loopDelayP99Ms: number | null;
  /** Peak resident set of the worker process (kB). */
  maxRssKb?: number | null;
  /** EV workers: plug-ins held for a late event loop (times, total ms). */
  holds?: number;
  holdMs?: number;
  /**
   * Simulated cables joined over a board mux (one connection for many): EV workers, their vehicles'; EVSE
   * workers, their chargers' (a cable host's, without `--board-thread`).
   */
  viaBoardMux?: number;
  /**
   * EVSE workers with `--board sim`: the simulated cables the worker hosted itself (the others it joined as
   * their charger, hosted by another process: `nacs board-sim --fleet`).
   */
  cablesHosted?: number;
  /** EVSE workers with `--board-mux`: where the worker served its simulated cables over TCP. */
  boardMux?: string;
  /** Set when the worker died: how, and its unfinished sessions count as failed. */
  died?: string;
  /** In a merged summary (`nacs fleet merge`): the shard of the process the worker belonged to. */
  shard?: FleetShard | null;
}

/** The `nacs ev --fleet` summary (`--json` prints it as it is). */
export interface EvFleetSummary {
  kind: "ev-fleet";
  vehicles: number;
  shard: FleetShard | null;
  workers: WorkerFigures[];
  wallS: number;
  started: number;
  reachedLoop: number;
  endedNormally: number;
  failed: number;
  /** Not plugged in: the fleet was stopped first. */
  notStarted: number;
  failuresByPhase: Record<string, { count: number; reasons: Record<string, number> }>;
  stopReasons: Record<string, number>;
  rttMs: Dist;
  setupMs: Dist;
  energyWh: { total: number; perVehicle: Dist };
  /** The samples of `rttMs`, `setupMs` and `energyWh.perVehicle` as mergeable histograms (±1 %). */
  rttHistogram: HistogramJson;
  setupHistogram: HistogramJson;
  energyPerVehicleHistogram: HistogramJson;
  backPressure: { maxStarting: number; holdDelayMs: number; holds: number; holdMs: number };
  /** The vehicles' pauses between charge-loop requests (`--charge-loop-ms`); absent from older summaries. */
  chargeLoopMs?: ChargeLoopRange;
  /** The first failed vehicles (index, phase, reason), at most 20. */
  firstFailures: { index: number; phase: string; reason: string }[];
  /** Every failed vehicle's index, ascending (to match against a charger's logs or a fault injection). */
  failedIndices?: number[];
  /**
   * The run by 10 s window of wall time: the charge-loop round trip (every sample, warm-up included), the
   * vehicles in the loop, the failures and the fleet's own event-loop delay. Where in the run the tail and
   * the failures come from. Not kept by `nacs fleet merge`.
   */
  rttWindows?: RttWindow[];
  /** With `rttWindows`: when window 0 starts (Unix epoch ms), to line it up with an EVSE fleet's `seccWindows`. */
  windowsFromEpochMs?: number;
  /**
   * With `rttWindows`: the windows where the fleet's own event loop was late, and the failures in them —
   * failures the load generator may have caused itself (its vehicles late to read answers that came in time).
   */
  lateLoop?: FleetLateLoop;
}

const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

/** The EV fleet summary from every vehicle's result. */
export function evFleetSummary(
  results: readonly VehicleResult[],
  x: {
    vehicles: number;
    shard: FleetShard | null;
    workers: WorkerFigures[];
    wallS: number;
    notStarted: number;
    maxStarting: number;
    rttWindows?: RttWindow[];
    windowsFromEpochMs?: number;
    holdDelayMs: number;
    chargeLoopMs: ChargeLoopRange;
  },
): EvFleetSummary {
  const failuresByPhase: EvFleetSummary["failuresByPhase"] = {};
  const stopReasons: Record<string, number> = {};
  const rtt: number[] = [];
  const setup: number[] = [];
  const energy: number[] = [];
  const firstFailures: EvFleetSummary["firstFailures"] = [];
  for (const r of [...results].sort((a, b) => a.index - b.index)) {
    bump(stopReasons, r.stopReason ?? "none");
    for (const v of r.rtt) rtt.push(v);
    if (r.setupMs !== null) setup.push(r.setupMs);
    energy.push(r.energyWh);
    if (r.failure) {
      const f = failuresByPhase[r.failure.phase] ?? { count: 0, reasons: {} };
      failuresByPhase[r.failure.phase] = f;
      f.count++;
      bump(f.reasons, r.failure.reason);
      if (firstFailures.length < 20) firstFailures.push({ index: r.index, ...r.failure });
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  return {
    kind: "ev-fleet",
    vehicles: x.vehicles,
    shard: x.shard,
    workers: x.workers,
    wallS: r3(x.wallS),
    started: results.length,
    reachedLoop: results.filter((r) => r.reachedLoop).length,
    endedNormally: results.length - failed,
    failed,
    notStarted: x.notStarted,
    failuresByPhase,
    stopReasons,
    rttMs: dist(rtt),
    setupMs: dist(setup),
    energyWh: { total: Math.round(energy.reduce((a, b) => a + b, 0)), perVehicle: dist(energy) },
    rttHistogram: histogramToJson(histogramOf(rtt)),
    setupHistogram: histogramToJson(histogramOf(setup)),
    energyPerVehicleHistogram: histogramToJson(histogramOf(energy, "Wh")),
    ...(x.rttWindows && { rttWindows: x.rttWindows, lateLoop: fleetLateLoop(x.rttWindows) }),
    ...(x.windowsFromEpochMs !== undefined && { windowsFromEpochMs: x.windowsFromEpochMs }),
    backPressure: {
      maxStarting: x.maxStarting,
      holdDelayMs: x.holdDelayMs,
      holds: x.workers.reduce((a, w) => a + (w.holds ?? 0), 0),
      holdMs: x.workers.reduce((a, w) => a + (w.holdMs ?? 0), 0),
    },
    chargeLoopMs: x.chargeLoopMs,
    firstFailures,
    failedIndices: results
      .filter((r) => !r.ok)
      .map((r) => r.index)
      .sort((a, b) => a - b),
  };
}

const loopText = (r: ChargeLoopRange) =>
  r.minMs === r.maxMs ? `${r.minMs} ms` : `${r.minMs}–${r.maxMs} ms (each vehicle its own)`;

const d = (x: Dist) => `p50 ${x.p50}, p90 ${x.p90}, p99 ${x.p99}, max ${x.max} ms (${x.count} samples)`;
const shardText = (s: FleetShard | null) => (s ? `, shard ${s.index}/${s.count}` : "");

function workerLines(ws: readonly WorkerFigures[]): string {
  return ws
    .map(
      (w) =>
        `  worker ${w.pid}${w.shard ? ` (shard ${w.shard.index}/${w.shard.count})` : ""}: ${w.pairs} pairs, CPU ${w.cpuPercent ?? "?"} %, event-loop delay p99 ${w.loopDelayP99Ms ?? "?"} ms` +
        (w.holds !== undefined ? `, ${w.holds} holds (${w.holdMs ?? 0} ms)` : "") +
        (w.viaBoardMux ? `, ${w.viaBoardMux} cables over the board mux` : "") +
        (w.cablesHosted !== undefined ? `, ${w.cablesHosted} simulated cables hosted here` : "") +
        (w.boardMux ? `, cables served on the board mux ${w.boardMux}` : "") +
        (w.died ? `, DIED: ${w.died}` : ""),
    )
    .join("\n");
}

/** The human text of the EV fleet summary. */
export function formatEvFleetSummary(s: EvFleetSummary): string {
  let out = `nacs ev --fleet ${s.vehicles}${shardText(s.shard)}: ${s.started} vehicles plugged in over ${s.wallS} s\n`;
  out += `  reached the charge loop  ${s.reachedLoop}\n`;
  out += `  ended normally          ${s.endedNormally}\n`;
  out += `  failed                  ${s.failed}\n`;
  if (s.notStarted > 0) out += `  not plugged in          ${s.notStarted} (stopped first)\n`;
  out += `  charge-loop round trip  ${d(s.rttMs)}\n`;
  out += formatRttWindows(s.rttWindows ?? []);
  out += `  set-up (plug-in → first charge-loop response)  ${d(s.setupMs)}\n`;
  out += `  energy                  ${(s.energyWh.total / 1000).toFixed(2)} kWh (per vehicle p50 ${s.energyWh.perVehicle.p50} Wh)\n`;
  if (s.chargeLoopMs) out += `  charge-loop pause       ${loopText(s.chargeLoopMs)}\n`;
  out += `  back-pressure           at most ${s.backPressure.maxStarting} in set-up; ${s.backPressure.holds} holds for event-loop delay > ${s.backPressure.holdDelayMs} ms (${s.backPressure.holdMs} ms)\n`;
  out += `${workerLines(s.workers)}\n`;
  out += "stop reasons:\n";
  for (const [k, v] of Object.entries(s.stopReasons).sort((a, b) => b[1] - a[1]))
    out += `  ${String(v).padStart(7)}  ${k}\n`;
  if (s.failed > 0) {
    out += "failures by phase:\n";
    for (const [phase, f] of Object.entries(s.failuresByPhase)) {
      out += `  ${String(f.count).padStart(7)}  ${phase}\n`;
      for (const [reason, n] of Object.entries(f.reasons)) out += `           ${n} × ${reason}\n`;
    }
  }
  return out;
}

/** The `nacs evse --fleet` summary. */
export interface EvseFleetSummary {
  kind: "evse-fleet";
  chargers: number;
  shard: FleetShard | null;
  workers: WorkerFigures[];
  wallS: number;
  /** Chargers that could not start (their reason). */
  notStarted: { index: number; reason: string }[];
  sessions: number;
  sessionsReachedLoop: number;
  sessionsNormal: number;
  tripsByFault: Record<string, number>;
  stopReasons: Record<string, number>;
  energyWh: number;
  /** SECC request received → response written (every message, and the charge loop's). */
  seccResponseMs: Dist;
  seccLoopResponseMs: Dist;
  /**
   * Every SECC response time as mergeable histograms (±1 %), built in the workers: they count every
   * response, while the exact `Dist`s above come from each worker's first 200,000 (then a uniform sample).
   */
  seccResponseHistogram: HistogramJson;
  seccLoopResponseHistogram: HistogramJson;
  boardsLost: number;
  /** --board-thread: the interlock's actions by cause (output switched off on the board thread). */
  interlocksByCause: Record<string, number>;
  /**
   * Time to switch the output off, when anything was switched off: `trips`, each safety trip's detection by
   * the EVSE controller → its output-off command; `interlock` (`--board-thread`), each interlock action's
   * input received → output-off written on the board thread (emergency stop, unlatch, …: `interlocksByCause`).
   * Not kept by `nacs fleet merge`.
   */
  outputOffMs?: { trips?: Dist; interlock?: Dist };
  /** Chargers whose worker died (their sessions are lost with it). */
  lostChargers: number;
  /**
   * The run by 10 s window of wall time from the fleet's start: the SECC's charge-loop response (request
   * received → response written) with the sessions in the loop, the sessions that did not end normally
   * (`failed`, when the fleet learnt of them) and the fleet's own event-loop delay. Not kept by `nacs fleet merge`.
   */
  seccWindows?: RttWindow[];
  /** With `seccWindows`: when window 0 starts (Unix epoch ms), to line it up with an EV fleet's `rttWindows`. */
  windowsFromEpochMs?: number;
  /** With `seccWindows`: the windows where the fleet's own event loop was late, and the failed sessions in them. */
  lateLoop?: FleetLateLoop;
}

/** The EVSE fleet summary. */
export function evseFleetSummary(
  sessions: readonly ChargerSession[],
  x: Omit<
    EvseFleetSummary,
    | "kind"
    | "sessions"
    | "sessionsReachedLoop"
    | "sessionsNormal"
    | "tripsByFault"
    | "stopReasons"
    | "energyWh"
    | "seccResponseMs"
    | "seccLoopResponseMs"
    | "seccResponseHistogram"
    | "seccLoopResponseHistogram"
    | "lateLoop"
    | "outputOffMs"
  > & {
    responseMs: number[];
    loopResponseMs: number[];
    /** Every interlock action's input → output off (ms). */
    interlockOffMs?: number[];
    /** Of every response (the workers' merged); default: of `responseMs` / `loopResponseMs`. */
    responseHistogram?: LatencyHistogram;
    loopResponseHistogram?: LatencyHistogram;
  },
): EvseFleetSummary {
  const tripsByFault: Record<string, number> = {};
  const stopReasons: Record<string, number> = {};
  for (const s of sessions) {
    for (const t of s.trips) bump(tripsByFault, t.fault);
    bump(stopReasons, s.stopReason ?? "none");
  }
  const { responseMs, loopResponseMs, responseHistogram, loopResponseHistogram, interlockOffMs, ...rest } = x;
  const tripOff = sessions.flatMap((s) =>
    s.trips.flatMap((t) => (t.offLatencyMs === null ? [] : [t.offLatencyMs])),
  );
  const outputOffMs = {
    ...(tripOff.length > 0 && { trips: dist(tripOff) }),
    ...(interlockOffMs && interlockOffMs.length > 0 && { interlock: dist(interlockOffMs) }),
  };
  return {
    kind: "evse-fleet",
    ...rest,
    wallS: r3(x.wallS),
    sessions: sessions.length,
    sessionsReachedLoop: sessions.filter((s) => s.reachedLoop).length,
    sessionsNormal: sessions.filter((s) => s.normal).length,
    tripsByFault,
    stopReasons,
    energyWh: Math.round(sessions.reduce((a, s) => a + s.energyWh, 0)),
    seccResponseMs: dist(responseMs),
    seccLoopResponseMs: dist(loopResponseMs),
    seccResponseHistogram: histogramToJson(responseHistogram ?? histogramOf(responseMs)),
    seccLoopResponseHistogram: histogramToJson(loopResponseHistogram ?? histogramOf(loopResponseMs)),
    ...(x.seccWindows && { lateLoop: fleetLateLoop(x.seccWindows) }),
    ...(Object.keys(outputOffMs).length > 0 && { outputOffMs }),
  };
}

/** Counts added up key by key. */
export function sumCounts(counts: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The human text of the EVSE fleet summary. */
export function formatEvseFleetSummary(s: EvseFleetSummary): string {
  let out = `nacs evse --fleet ${s.chargers}${shardText(s.shard)}: ${s.sessions} sessions in ${s.wallS} s\n`;
  out += `  reached the charge loop  ${s.sessionsReachedLoop}\n`;
  out += `  ended without a trip    ${s.sessionsNormal}\n`;
  out += `  trips                   ${
    Object.entries(s.tripsByFault)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "none"
  }\n`;
  out += `  energy                  ${(s.energyWh / 1000).toFixed(2)} kWh\n`;
  out += `  SECC response           ${d(s.seccResponseMs)}\n`;
  out += `  SECC charge-loop resp.  ${d(s.seccLoopResponseMs)}\n`;
  if (s.outputOffMs?.trips) out += `  trip → output off       ${d(s.outputOffMs.trips)}\n`;
  if (s.outputOffMs?.interlock) out += `  interlock input → off   ${d(s.outputOffMs.interlock)}\n`;
  if (s.boardsLost > 0) out += `  boards lost             ${s.boardsLost}\n`;
  const interlocks = Object.entries(s.interlocksByCause);
  if (interlocks.length > 0)
    out += `  board-thread interlock  ${interlocks.map(([k, v]) => `${k} ${v}`).join(", ")}\n`;
  if (s.notStarted.length > 0)
    out += `  chargers not started    ${s.notStarted.length} (first: #${s.notStarted[0]!.index} ${s.notStarted[0]!.reason})\n`;
  if (s.lostChargers > 0) out += `  chargers lost with their worker  ${s.lostChargers}\n`;
  out += formatRttWindows(s.seccWindows ?? [], "evse");
  out += `${workerLines(s.workers)}\n`;
  out += "stop reasons:\n";
  for (const [k, v] of Object.entries(s.stopReasons).sort((a, b) => b[1] - a[1]))
    out += `  ${String(v).padStart(7)}  ${k}\n`;
  return out;
}
