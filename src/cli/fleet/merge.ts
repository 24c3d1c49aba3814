/**
 * `nacs fleet merge`: several `--json` summaries of one fleet run over several processes (`--shard K/S`),
 * as one. Counts are summed (vehicles, failures by phase and reason, stop reasons, energy, holds …), the
 * workers are listed with their shard, the longest wall time is kept, and every percentile is taken from
 * the merged histograms (latency-histogram.ts: within their relErr, ±1 %; max exact) — never from the
 * shards' percentiles. Pure: parsed JSON in, merged summary (itself mergeable again) and its text out.
 *
 * Design choice: the processes of a sharded fleet run side by side, so `wallS` is the longest one's and
 * `backPressure.maxStarting` the sum of their limits (each process limits its own set-ups); the first
 * failures are the first 20 by index over every file; `chargeLoopMs` spans every file's pauses.
 */

import {
  histogramDist,
  histogramFromJson,
  histogramToJson,
  type LatencyHistogram,
  mergeHistograms,
} from "../../link/host/latency-histogram.js";
import type { FleetShard } from "./options.js";
import {
  type EvFleetSummary,
  type EvseFleetSummary,
  formatEvFleetSummary,
  formatEvseFleetSummary,
  type WorkerFigures,
} from "./summary.js";

/** One summary as read: where from (file name, "-" for stdin) and its parsed JSON. */
export interface MergeInput {
  file: string;
  json: unknown;
}

/** What a merged summary adds: the files with their shards, and how the percentiles were taken. */
export interface MergeInfo {
  files: { file: string; shard: FleetShard | null }[];
  /** e.g. "p50, p90, p99 from merged histograms, ±1 %; max exact". */
  percentiles: string;
}

export type MergedEvFleetSummary = EvFleetSummary & { merged: MergeInfo };
export type MergedEvseFleetSummary = EvseFleetSummary & { merged: MergeInfo };

/** The merged summary, and notes on the shards (the same shard twice, one missing) for stderr. */
export interface MergeResult {
  summary: MergedEvFleetSummary | MergedEvseFleetSummary;
  notes: string[];
}

/** A summary that cannot be merged: the message names the file and the field. */
export class FleetMergeError extends Error {
  override name = "FleetMergeError";
}

const EV_HISTOGRAMS = ["rttHistogram", "setupHistogram", "energyPerVehicleHistogram"] as const;
const EVSE_HISTOGRAMS = ["seccResponseHistogram", "seccLoopResponseHistogram"] as const;

/** A field: "backPressure.holds", or its path when a key may hold a dot (a failure phase). */
type Field = string | readonly string[];
const nameOf = (f: Field) => (typeof f === "string" ? f : f.join("."));

/** Typed reads of one file's fields; every failure names the file and the field. */
class Reader {
  constructor(
    readonly file: string,
    private readonly o: Record<string, unknown>,
  ) {}
  fail(field: Field, what: string): never {
    throw new FleetMergeError(`${this.file}: field ${nameOf(field)}: ${what}`);
  }
  get(field: Field): unknown {
    let x: unknown = this.o;
    for (const k of typeof field === "string" ? field.split(".") : field)
      x = typeof x === "object" && x !== null ? (x as Record<string, unknown>)[k] : undefined;
    return x;
  }
  num(field: Field): number {
    const x = this.get(field);
    return typeof x === "number" && Number.isFinite(x)
      ? x
      : this.fail(field, x === undefined ? "missing" : "expected a number");
  }
  counts(field: Field): Record<string, number> {
    const x = this.get(field);
    if (typeof x !== "object" || x === null || Array.isArray(x))
      this.fail(field, "expected an object of counts");
    for (const [k, v] of Object.entries(x))
      if (typeof v !== "number") this.fail(`${nameOf(field)}.${k}`, "expected a number");
    return x as Record<string, number>;
  }
  array<T>(field: string): T[] {
    const x = this.get(field);
    return Array.isArray(x)
      ? (x as T[])
      : this.fail(field, x === undefined ? "missing" : "expected an array");
  }
  shard(): FleetShard | null {
    const x = this.get("shard");
    if (x === null) return null;
    const s = x as Partial<FleetShard> | undefined;
    if (typeof s?.index !== "number" || typeof s.count !== "number")
      this.fail("shard", "expected {index, count} or null");
    return { index: s.index, count: s.count };
  }
  histogram(field: string): LatencyHistogram {
    const x = this.get(field);
    if (x === undefined)
      this.fail(
        field,
        "missing (a summary without mergeable histograms: run the fleet again with this nacs)",
      );
    try {
      return histogramFromJson(x, field);
    } catch (e) {
      throw new FleetMergeError(`${this.file}: field ${(e as Error).message}`);
    }
  }
}

const addCounts = (into: Record<string, number>, x: Record<string, number>) => {
  for (const [k, v] of Object.entries(x)) into[k] = (into[k] ?? 0) + v;
};
const sum = (rs: readonly Reader[], field: string) => rs.reduce((a, r) => a + r.num(field), 0);
const max = (rs: readonly Reader[], field: string) => Math.max(...rs.map((r) => r.num(field)));
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** The histograms of `field` of every file, merged; refuses a different unit or relErr naming the file. */
function mergedHistogram(rs: readonly Reader[], field: string): LatencyHistogram {
  let m: LatencyHistogram | null = null;
  for (const r of rs) {
    const h = r.histogram(field);
    try {
      m = m ? mergeHistograms(m, h) : h;
    } catch (e) {
      r.fail(field, (e as Error).message);
    }
  }
  return m!;
}

const shardName = (s: FleetShard) => `${s.index}/${s.count}`;

/** Notes on the shards: the same one twice, shards of different S, shards missing. */
function shardNotes(rs: readonly Reader[]): string[] {
  const notes: string[] = [];
  const seen = new Map<string, string>();
  const counts = new Set<number>();
  for (const r of rs) {
    const s = r.shard();
    if (!s) continue;
    counts.add(s.count);
    const prev = seen.get(shardName(s));
    if (prev !== undefined) notes.push(`${prev} and ${r.file} are both shard ${shardName(s)}`);
    else seen.set(shardName(s), r.file);
  }
  if (counts.size > 1) notes.push(`shards of different counts S: ${[...counts].join(", ")}`);
  else if (counts.size === 1) {
    const [n] = counts;
    const missing = Array.from({ length: n! }, (_, k) => `${k}/${n}`).filter((k) => !seen.has(k));
    if (missing.length > 0 && missing.length < n!)
      notes.push(`shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")} not given`);
  }
  return notes;
}

function workersOf(rs: readonly Reader[]): WorkerFigures[] {
  return rs.flatMap((r) => {
    const shard = r.shard();
    return r
      .array<WorkerFigures>("workers")
      .map((w) => ({ ...w, shard: w.shard !== undefined ? w.shard : shard }));
  });
}

function info(rs: readonly Reader[], relErr: number): MergeInfo {
  return {
    files: rs.map((r) => ({ file: r.file, shard: r.shard() })),
    percentiles: `p50, p90, p99 from merged histograms, ±${r3(relErr * 100)} %; max exact`,
  };
}

function mergeEv(rs: readonly Reader[]): MergedEvFleetSummary {
  const [rtt, setup, energy] = EV_HISTOGRAMS.map((f) => mergedHistogram(rs, f)) as [
    LatencyHistogram,
    LatencyHistogram,
    LatencyHistogram,
  ];
  const failuresByPhase: EvFleetSummary["failuresByPhase"] = {};
  const stopReasons: Record<string, number> = {};
  for (const r of rs) {
    addCounts(stopReasons, r.counts("stopReasons"));
    const phases = r.get("failuresByPhase");
    if (typeof phases !== "object" || phases === null) r.fail("failuresByPhase", "expected an object");
    for (const phase of Object.keys(phases)) {
      const f = failuresByPhase[phase] ?? { count: 0, reasons: {} };
      failuresByPhase[phase] = f;
      f.count += r.num(["failuresByPhase", phase, "count"]);
      addCounts(f.reasons, r.counts(["failuresByPhase", phase, "reasons"]));
    }
  }
  const histograms: Pick<EvFleetSummary, (typeof EV_HISTOGRAMS)[number]> = {
    rttHistogram: histogramToJson(rtt),
    setupHistogram: histogramToJson(setup),
    energyPerVehicleHistogram: histogramToJson(energy),
  };
  return {
    kind: "ev-fleet",
    vehicles: sum(rs, "vehicles"),
    shard: null,
    workers: workersOf(rs),
    wallS: max(rs, "wallS"),
    started: sum(rs, "started"),
    reachedLoop: sum(rs, "reachedLoop"),
    endedNormally: sum(rs, "endedNormally"),
    failed: sum(rs, "failed"),
    notStarted: sum(rs, "notStarted"),
    failuresByPhase,
    stopReasons,
    rttMs: histogramDist(rtt),
    setupMs: histogramDist(setup),
    energyWh: { total: sum(rs, "energyWh.total"), perVehicle: histogramDist(energy) },
    ...histograms,
    backPressure: {
      maxStarting: sum(rs, "backPressure.maxStarting"),
      holdDelayMs: max(rs, "backPressure.holdDelayMs"),
      holds: sum(rs, "backPressure.holds"),
      holdMs: sum(rs, "backPressure.holdMs"),
    },
    ...chargeLoopOf(rs),
    firstFailures: rs
      .flatMap((r) => r.array<EvFleetSummary["firstFailures"][number]>("firstFailures"))
      .sort((a, b) => a.index - b.index)
      .slice(0, 20),
    // a summary from before the failed vehicles were listed has none: then the merge lists none
    ...(rs.every((r) => r.get("failedIndices") !== undefined) && {
      failedIndices: rs.flatMap((r) => r.array<number>("failedIndices")).sort((a, b) => a - b),
    }),
    merged: info(rs, rtt.relErr),
  };
}

/** The pauses of every process's vehicles (from the least to the most); none when a file lacks them. */
function chargeLoopOf(rs: readonly Reader[]): Pick<EvFleetSummary, "chargeLoopMs"> {
  if (rs.some((r) => r.get("chargeLoopMs") === undefined)) return {};
  const lo = rs.map((r) => r.num("chargeLoopMs.minMs"));
  const hi = rs.map((r) => r.num("chargeLoopMs.maxMs"));
  return { chargeLoopMs: { minMs: Math.min(...lo), maxMs: Math.max(...hi) } };
}

function mergeEvse(rs: readonly Reader[]): MergedEvseFleetSummary {
  const [response, loopResponse] = EVSE_HISTOGRAMS.map((f) => mergedHistogram(rs, f)) as [
    LatencyHistogram,
    LatencyHistogram,
  ];
  const tripsByFault: Record<string, number> = {};
  const stopReasons: Record<string, number> = {};
  const interlocksByCause: Record<string, number> = {};
  for (const r of rs) {
    addCounts(tripsByFault, r.counts("tripsByFault"));
    addCounts(stopReasons, r.counts("stopReasons"));
    // a summary from before the board thread's interlock was counted has none
    if (r.get("interlocksByCause") !== undefined) addCounts(interlocksByCause, r.counts("interlocksByCause"));
  }
  return {
    kind: "evse-fleet",
    chargers: sum(rs, "chargers"),
    shard: null,
    workers: workersOf(rs),
    wallS: max(rs, "wallS"),
    notStarted: rs
      .flatMap((r) => r.array<EvseFleetSummary["notStarted"][number]>("notStarted"))
      .sort((a, b) => a.index - b.index),
    sessions: sum(rs, "sessions"),
    sessionsReachedLoop: sum(rs, "sessionsReachedLoop"),
    sessionsNormal: sum(rs, "sessionsNormal"),
    tripsByFault,
    stopReasons,
    energyWh: sum(rs, "energyWh"),
    seccResponseMs: histogramDist(response),
    seccLoopResponseMs: histogramDist(loopResponse),
    seccResponseHistogram: histogramToJson(response),
    seccLoopResponseHistogram: histogramToJson(loopResponse),
    boardsLost: sum(rs, "boardsLost"),
    interlocksByCause,
    lostChargers: sum(rs, "lostChargers"),
    merged: info(rs, response.relErr),
  };
}

/**
 * Merge the summaries of `inputs` (at least one, all of one kind: `ev-fleet` or `evse-fleet`). Throws a
 * {@link FleetMergeError} naming the file and the field: not a fleet summary, a mix of kinds, a missing or
 * bad histogram or count.
 */
export function mergeFleetSummaries(inputs: readonly MergeInput[]): MergeResult {
  if (inputs.length === 0) throw new FleetMergeError("no summary to merge");
  const rs = inputs.map(({ file, json }) => {
    if (typeof json !== "object" || json === null || Array.isArray(json))
      throw new FleetMergeError(`${file}: not a fleet summary (expected one JSON object)`);
    return new Reader(file, json as Record<string, unknown>);
  });
  const kind = rs[0]!.get("kind");
  for (const r of rs) {
    const k = r.get("kind");
    if (k !== "ev-fleet" && k !== "evse-fleet")
      r.fail(
        "kind",
        `expected "ev-fleet" or "evse-fleet" (the --json summary of nacs ev/evse --fleet), got ${JSON.stringify(k)}`,
      );
    if (k !== kind)
      r.fail(
        "kind",
        `${k} summary, but ${rs[0]!.file} is an ${String(kind)} summary: merge summaries of one kind`,
      );
  }
  return { summary: kind === "ev-fleet" ? mergeEv(rs) : mergeEvse(rs), notes: shardNotes(rs) };
}

/** The text form: which files, how the percentiles were taken, then the summary as a single run prints it. */
export function formatMergedSummary(s: MergedEvFleetSummary | MergedEvseFleetSummary): string {
  const files = s.merged.files
    .map((f) => `${f.file}${f.shard ? ` (shard ${shardName(f.shard)})` : ""}`)
    .join(", ");
  const n = s.merged.files.length;
  const head = `nacs fleet merge: ${n} ${s.kind} ${n === 1 ? "summary" : "summaries"}: ${files}\n  percentiles: ${s.merged.percentiles}\n`;
  return head + (s.kind === "ev-fleet" ? formatEvFleetSummary(s) : formatEvseFleetSummary(s));
}
