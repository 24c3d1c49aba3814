/**
 * Run one fleet session: advance it in {@link FLEET_CHUNK_MS} chunks of virtual time, exactly as
 * `nacs simulate` advances a session on its own (so the fleet's figures are the lone run's), and put the
 * energy of each chunk into the park's load-curve bins it falls in. With `--time-scale K` every virtual ms
 * of charging stands for K ms of park time: the session's duration and its place on the load curve are
 * stretched back (its energy and power are the charge's own).
 */

import { FAULTS, type FaultName } from "../dc/faults.js";
import type { DcSession } from "../dc/session.js";
import { FLEET_CHUNK_MS, type FleetSessionSpec } from "./plan.js";

/** What the fleet keeps of one session (small: it crosses from a worker thread). */
export interface FleetSessionResult {
  index: number;
  seed: number;
  /** The session ended normally (its own stop reason, or the one its fault names), without a crash. */
  ok: boolean;
  /** Why the session counts as failed (a crash's message, the time limit, an unexpected stop). */
  failure?: string;
  stopReason: string;
  protocol: string;
  evProfile: string;
  fault: string | null;
  energyWh: number;
  durationS: number;
  peakPowerW: number;
  socEnd: number;
  /** Virtual time the session ran (s): `durationS` without the stretch of `--time-scale`. */
  virtualS?: number;
  /** Park load: index of the first bin, then energy (Wh) per bin from there. */
  firstBin: number;
  binWh: number[];
}

/**
 * Stop reasons of a session without a fault that ended as it should: the EV reached its target SOC or the
 * driver stopped it (src/ev/dc/controller.ts).
 */
export const FLEET_NORMAL_STOPS: readonly string[] = ["target SOC reached", "stopped by the driver"];

/** Why a session with `stopReason` (and `fault`, if any) did not end normally, or null. */
export function fleetFailure(stopReason: string, fault: string | null): string | null {
  if (stopReason === "time limit" || stopReason === "not finished") return `ended by the ${stopReason}`;
  if (fault === null)
    return FLEET_NORMAL_STOPS.includes(stopReason) ? null : `unexpected stop without a fault: ${stopReason}`;
  const spec = FAULTS[fault as FaultName];
  if (!spec) return `unknown fault ${fault}`;
  return stopReason === spec.stopReason
    ? null
    : `fault ${fault} expected "${spec.stopReason}", got "${stopReason}"`;
}

/** Run `session` (built from `spec.options`) to its end; park bins of `binS` seconds (a multiple of 5 s). */
export function runFleetSession(
  session: DcSession,
  spec: FleetSessionSpec,
  binS: number,
): FleetSessionResult {
  const binMs = binS * 1000;
  const plugInMs = spec.plugInS * 1000;
  const firstBin = Math.floor(plugInMs / binMs);
  const stretch = (spec.options.timeScale ?? 1) - 1;
  const path = () => session.sim.path;
  const binWh: number[] = [];
  let lastWh = 0;
  let parkMs = plugInMs;
  for (let t = FLEET_CHUNK_MS; !session.done; t += FLEET_CHUNK_MS) {
    const scaledBefore = path().scaledMs;
    session.advance(t);
    const wh = path().energyWh;
    const spanMs = FLEET_CHUNK_MS + stretch * (path().scaledMs - scaledBefore);
    spread(binWh, parkMs, spanMs, binMs, firstBin, wh - lastWh);
    parkMs += spanMs;
    lastWh = wh;
  }
  for (let k = 0; k < binWh.length; k++) binWh[k] ??= 0;
  const r = session.summary();
  const stretchS = (stretch * path().scaledMs) / 1000;
  const fault = spec.options.fault ?? null;
  const failure = fleetFailure(r.stopReason, fault);
  return {
    index: spec.index,
    seed: spec.options.seed,
    ok: failure === null,
    ...(failure !== null && { failure }),
    stopReason: r.stopReason,
    protocol: r.protocol,
    evProfile: spec.options.evProfile,
    fault,
    energyWh: r.energyDeliveredWh,
    durationS: stretch > 0 ? Math.round((r.durationS + stretchS) * 1000) / 1000 : r.durationS,
    ...(stretch > 0 && { virtualS: r.durationS }),
    peakPowerW: r.peakPowerW,
    socEnd: r.socEnd,
    firstBin,
    binWh,
  };
}

/** Add `wh` spread evenly over park time [startMs, startMs + spanMs) to the bins of `binMs` (from `firstBin`). */
function spread(
  binWh: number[],
  startMs: number,
  spanMs: number,
  binMs: number,
  firstBin: number,
  wh: number,
) {
  const endMs = startMs + spanMs;
  for (let b = Math.floor(startMs / binMs); b * binMs < endMs; b++) {
    const lo = Math.max(startMs, b * binMs);
    const hi = Math.min(endMs, (b + 1) * binMs);
    const k = b - firstBin;
    binWh[k] = (binWh[k] ?? 0) + (wh * (hi - lo)) / spanMs;
  }
}

/** The result of a session that could not run (it threw, or its worker died): listed as failed. */
export function crashedFleetSession(
  spec: FleetSessionSpec,
  reason: string,
  binS: number,
): FleetSessionResult {
  return {
    index: spec.index,
    seed: spec.options.seed,
    ok: false,
    failure: reason,
    stopReason: "crashed",
    protocol: spec.options.protocol,
    evProfile: spec.options.evProfile,
    fault: spec.options.fault ?? null,
    energyWh: 0,
    durationS: 0,
    peakPowerW: 0,
    socEnd: spec.options.soc,
    firstBin: Math.floor(spec.plugInS / binS),
    binWh: [],
  };
}
