/**
 * Tolerance corners of the CP circuit (derived corner calculation): source ±5 % (high and low
 * independently), R1 ±3 %, each EV resistor ±3 %, diode drop 0.55–0.85 V. Used by the property tests and
 * available to the simulator for worst-case runs.
 */

import type { EvCpLoad, EvseCpSource } from "./circuit.js";
import {
  CP_R1_OHM,
  CP_R1_TOLERANCE,
  CP_SOURCE_HIGH_V,
  CP_SOURCE_LOW_V,
  CP_SOURCE_TOLERANCE,
  EV_DIODE_DROP_MAX_V,
  EV_DIODE_DROP_MIN_V,
  EV_R_FIXED_OHM,
  EV_R_S2_OHM,
  EV_R_TOLERANCE,
  EV_R_VENT_OHM,
} from "./constants.js";

/** One tolerance corner: an EVSE source and an EV load (S2 and vent open; set them per state). */
export interface CpCorner {
  src: EvseCpSource;
  ev: EvCpLoad;
}

/** Inclusive [min, max] of every toleranced CP parameter (sources in `constants.ts`). */
export const CP_TOLERANCE_RANGES = Object.freeze({
  vHigh: [
    CP_SOURCE_HIGH_V * (1 - CP_SOURCE_TOLERANCE),
    CP_SOURCE_HIGH_V * (1 + CP_SOURCE_TOLERANCE),
  ] as const,
  vLow: [CP_SOURCE_LOW_V * (1 + CP_SOURCE_TOLERANCE), CP_SOURCE_LOW_V * (1 - CP_SOURCE_TOLERANCE)] as const,
  r1: [CP_R1_OHM * (1 - CP_R1_TOLERANCE), CP_R1_OHM * (1 + CP_R1_TOLERANCE)] as const,
  rFixed: [EV_R_FIXED_OHM * (1 - EV_R_TOLERANCE), EV_R_FIXED_OHM * (1 + EV_R_TOLERANCE)] as const,
  rS2: [EV_R_S2_OHM * (1 - EV_R_TOLERANCE), EV_R_S2_OHM * (1 + EV_R_TOLERANCE)] as const,
  rVent: [EV_R_VENT_OHM * (1 - EV_R_TOLERANCE), EV_R_VENT_OHM * (1 + EV_R_TOLERANCE)] as const,
  diodeDrop: [EV_DIODE_DROP_MIN_V, EV_DIODE_DROP_MAX_V] as const,
});

type RangeKey = keyof typeof CP_TOLERANCE_RANGES;
const KEYS: readonly RangeKey[] = ["vHigh", "vLow", "r1", "rFixed", "rS2", "rVent", "diodeDrop"];

/** Build a corner/point from one value per parameter. */
export function cpPoint(v: Record<RangeKey, number>): CpCorner {
  return {
    src: { vHigh: v.vHigh, vLow: v.vLow, r1: v.r1 },
    ev: {
      rFixed: v.rFixed,
      rS2: v.rS2,
      rVent: v.rVent,
      diodeDrop: v.diodeDrop,
      diode: "ok",
      s2Closed: false,
      ventClosed: false,
    },
  };
}

/** All 2^7 = 128 corners of {@link CP_TOLERANCE_RANGES}. */
export function cpToleranceCorners(): CpCorner[] {
  const out: CpCorner[] = [];
  for (let mask = 0; mask < 1 << KEYS.length; mask++) {
    const v = {} as Record<RangeKey, number>;
    KEYS.forEach((k, i) => {
      v[k] = CP_TOLERANCE_RANGES[k][(mask >> i) & 1] as number;
    });
    out.push(cpPoint(v));
  }
  return out;
}
