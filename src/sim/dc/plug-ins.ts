/**
 * One entry per plug-in of the connector: a scenario that unplugs and plugs in again runs several charging
 * sessions in one simulation (IEC 61851-1 control pilot: the vehicle connects with the CP leaving state A
 * and disconnects with its return to state A). The simulator opens a {@link PlugIn} at each plug-in and
 * takes the previous one's figures then; the summary gives each one's energy, SOC, stop reason, phases
 * and safety trips. What happens from one plug-in up to the next belongs to the first (a trip detected
 * just after an unplug is a consequence of that session). Pure bookkeeping.
 */
import { REFUSAL_STOP_REASONS } from "../../evse/dc/secc-glue.js";
import type { TripReport } from "./dc-sim.js";
import type { DcSimPhase } from "./faults.js";

/** Cumulative figures of the simulator at one moment (the difference of two is one plug-in's share). */
export interface PlugInFigures {
  tMs: number;
  soc: number;
  energyWh: number;
  lossesWh: number;
  /** Highest power since the plug-in began (W). */
  peakPowerW: number;
  messages: Record<string, number>;
}

/** One plug-in as the simulator records it. */
export interface PlugIn {
  /** 1-based plug-in number. */
  n: number;
  start: PlugInFigures;
  /** Figures at the next plug-in; null while this is the last one. */
  end: PlugInFigures | null;
  unpluggedAtMs: number | null;
  /** Session phases entered during this plug-in, from "connecting". */
  phases: { phase: DcSimPhase; tMs: number }[];
  /** The EVSE's first stop reason seen during this plug-in. */
  evseStopReason: string | null;
  /** The V2G protocol the SECC negotiated during this plug-in. */
  protocol: string | null;
}

/** One plug-in in the summary (`sessions[]` of `nacs simulate --json`). */
export interface DcPlugInSummary {
  /** 1-based plug-in number. */
  n: number;
  /** Virtual time of the plug-in and of the unplug (null: still plugged in at the end), s. */
  pluggedInS: number;
  unpluggedS: number | null;
  /** Plug-in to unplug (or to the end of the run), s. */
  durationS: number;
  stopReason: string;
  /** V2G protocol negotiated in this plug-in, null if no V2G session was set up. */
  protocol: string | null;
  socStart: number;
  socEnd: number;
  energyDeliveredWh: number;
  lossesWh: number;
  peakPowerW: number;
  /** Time spent in the "charging" phase (s), summed over its periods (a pause and resume enters it twice). */
  chargingS: number;
  /** Phases entered, with their virtual time (s). */
  phases: { phase: DcSimPhase; tS: number }[];
  messages: Record<string, number>;
  safety: TripReport[];
}

/** An EV-side stop as the simulator records it. */
export interface EvStopNote {
  tMs: number;
  reason: string;
  fault: boolean;
}

const REFUSAL_REASONS = Object.values(REFUSAL_STOP_REASONS) as string[];

/** A trip that is only the EVSE's view of the EV's own decision (S2 opened, connection closed). */
const CONSEQUENCE_TRIPS = new Set(["ev-stop-cp", "comm-loss", "connection-lost", "session-error"]);

/**
 * The stop reason: the earliest named reason of either side (EV stop or EVSE trip / stop); a
 * safety-relevant EV finding (welded contactor, pre-charge failure) outranks a normal stop before it; a
 * trip that only reflects the EV's own earlier stop does not name the cause.
 */
export function pickStopReason(
  evStops: readonly EvStopNote[],
  trips: readonly TripReport[],
  evseReason: string | null,
  fallback: string,
): string {
  const ev = evStops.find((e) => e.fault) ?? evStops[0];
  const trip = trips[0];
  const consequence =
    trip && CONSEQUENCE_TRIPS.has(trip.fault) && ev !== undefined && ev.tMs < trip.detectedAtMs;
  if (trip && !consequence) return trip.reason;
  // a Plug & Charge refusal: the SECC's named reason says why (the EV only saw the FAILED code)
  if (evseReason && REFUSAL_REASONS.some((r) => evseReason.startsWith(r))) return evseReason;
  if (ev) return ev.reason;
  return evseReason ?? fallback;
}

/** Everything {@link plugInSummaries} reads from the simulator. */
export interface PlugInSource {
  plugIns: readonly PlugIn[];
  evStops: readonly EvStopNote[];
  trips: readonly TripReport[];
  /** Figures now (for the last plug-in). */
  now: PlugInFigures;
  /** Stop reason of the last plug-in when nothing named one ("time limit" / "not finished"). */
  fallback: string;
}

/** Summary entries, one per plug-in. */
export function plugInSummaries(src: PlugInSource): DcPlugInSummary[] {
  return src.plugIns.map((p, k) => {
    const next = src.plugIns[k + 1];
    const end = p.end ?? src.now;
    const fromMs = p.start.tMs;
    const toMs = next ? next.start.tMs : Number.POSITIVE_INFINITY;
    const inside = (t: number) => t >= fromMs && t < toMs;
    const evStops = src.evStops.filter((e) => inside(e.tMs));
    const trips = src.trips.filter((t) => inside(t.detectedAtMs));
    const fallback = p.unpluggedAtMs !== null ? "unplugged" : src.fallback;
    const lastMs = p.unpluggedAtMs ?? src.now.tMs;
    return {
      n: p.n,
      pluggedInS: round(fromMs / 1000, 3),
      unpluggedS: p.unpluggedAtMs === null ? null : round(p.unpluggedAtMs / 1000, 3),
      durationS: round((lastMs - fromMs) / 1000, 3),
      stopReason: pickStopReason(evStops, trips, p.evseStopReason, fallback),
      protocol: p.protocol,
      socStart: round(p.start.soc, 4),
      socEnd: round(end.soc, 4),
      energyDeliveredWh: round(end.energyWh - p.start.energyWh, 3),
      lossesWh: round(end.lossesWh - p.start.lossesWh, 3),
      peakPowerW: round(end.peakPowerW, 1),
      chargingS: round(chargingMs(p.phases, end.tMs) / 1000, 3),
      phases: p.phases.map((x) => ({ phase: x.phase, tS: round(x.tMs / 1000, 3) })),
      messages: diffCounts(end.messages, p.start.messages),
      safety: trips.map((t) => ({ ...t })),
    };
  });
}

/** Time in "charging": from each entry to the next phase change (or `endMs`). */
function chargingMs(phases: PlugIn["phases"], endMs: number): number {
  let ms = 0;
  phases.forEach((x, k) => {
    if (x.phase === "charging") ms += (phases[k + 1]?.tMs ?? endMs) - x.tMs;
  });
  return ms;
}

function diffCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(a)) {
    const d = v - (b[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
