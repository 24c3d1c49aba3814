/**
 * The analog control-pilot circuit (SAE J1772 / IEC 61851-1 Fig. A.1): EVSE ±12 V source through R1, EV
 * diode and resistors to PE.
 * Computes the two plateau voltages the EVSE sense point sees, for any component values and for the faults
 * "diode shorted", "diode open", "CP shorted to PE" and "CP open".
 */
import {
  CP_R1_OHM,
  CP_SOURCE_HIGH_V,
  CP_SOURCE_LOW_V,
  DUTY_F,
  DUTY_X1,
  EV_DIODE_DROP_V,
  EV_R_FIXED_OHM,
  EV_R_S2_OHM,
  EV_R_VENT_OHM,
} from "./constants.js";
import { requireValue } from "./errors.js";
import type { CpSample, CpState } from "./types.js";

/**
 * Condition of the EV diode. "shorted" also models an EV built without a diode (the J1772 "diode missing"
 * case): electrically both put the resistors straight on CP, so the negative half-wave is divided too and
 * the low plateau no longer reaches −12 V. "open" disconnects the EV load: the EVSE sees state A.
 */
export type DiodeCondition = "ok" | "shorted" | "open";

/** EVSE side of the CP circuit: open-circuit source levels and R1. */
export interface EvseCpSource {
  vHigh: number;
  vLow: number;
  r1: number;
}

/**
 * EV side of the CP circuit. `s2Closed` adds `rS2` (state C); `ventClosed` is the state-D
 * load: the switched resistor is then `rVent` instead of `rS2` (J1772 S2 selecting the ventilation
 * resistor), so D = rFixed ∥ rVent ≈ 246 Ω (nsayer/ev_sim, InnoChargeLC), whether or not `s2Closed` is
 * also set.
 */
export interface EvCpLoad {
  rFixed: number;
  rS2: number;
  rVent: number;
  diodeDrop: number;
  diode: DiodeCondition;
  s2Closed: boolean;
  ventClosed: boolean;
}

/** Line faults between EVSE and EV: CP shorted to PE (state E), or the CP wire open. */
export type CpLineFault = "none" | "cp-short-pe" | "cp-open";

/** Nominal EVSE source: +12 V / −12 V through 1 kΩ (EVerest bring-up guide). */
export const NOMINAL_EVSE_SOURCE: EvseCpSource = Object.freeze({
  vHigh: CP_SOURCE_HIGH_V,
  vLow: CP_SOURCE_LOW_V,
  r1: CP_R1_OHM,
});

/** Nominal EV load with S2 and the ventilation switch open (state B). */
export const NOMINAL_EV_LOAD: EvCpLoad = Object.freeze({
  rFixed: EV_R_FIXED_OHM,
  rS2: EV_R_S2_OHM,
  rVent: EV_R_VENT_OHM,
  diodeDrop: EV_DIODE_DROP_V,
  diode: "ok" as DiodeCondition,
  s2Closed: false,
  ventClosed: false,
});

function parallel(a: number, b: number): number {
  return (a * b) / (a + b);
}

/** Resistance CP→PE behind the diode: rFixed, ∥ rVent when ventilating, else ∥ rS2 when S2 is closed. */
export function evLoadResistance(ev: EvCpLoad): number {
  requireValue("rFixed", ev.rFixed, "> 0 Ω", (v) => v > 0);
  if (ev.ventClosed) {
    requireValue("rVent", ev.rVent, "> 0 Ω", (v) => v > 0);
    return parallel(ev.rFixed, ev.rVent);
  }
  if (ev.s2Closed) {
    requireValue("rS2", ev.rS2, "> 0 Ω", (v) => v > 0);
    return parallel(ev.rFixed, ev.rS2);
  }
  return ev.rFixed;
}

/** EV load for the state the EV wants to show (A = unplugged ⇒ null). Starts from `base` (default nominal). */
export function evLoadForState(
  state: "A" | "B" | "C" | "D",
  base: EvCpLoad = NOMINAL_EV_LOAD,
): EvCpLoad | null {
  if (state === "A") return null;
  return { ...base, s2Closed: state === "C" || state === "D", ventClosed: state === "D" };
}

/**
 * Voltage of the CP node while the source drives `v` through R1 into the EV load (one plateau).
 * Diode conducting: V = Vd + (v − Vd)·R/(R1 + R) (derived; reproduces the SAE J1772 ranges); blocking: V = v.
 */
function plateau(v: number, r1: number, ev: EvCpLoad, r: number): number {
  switch (ev.diode) {
    case "open":
      return v;
    case "shorted":
      return (v * r) / (r1 + r);
    case "ok":
      return v > ev.diodeDrop ? ev.diodeDrop + ((v - ev.diodeDrop) * r) / (r1 + r) : v;
  }
}

/**
 * Plateau voltages the EVSE sense point sees while generating PWM.
 * `ev = null` means nothing plugged (state A). CP shorted to PE ⇒ both 0 V; CP open ⇒ like nothing plugged.
 * Throws {@link PilotError} (invalid-component) for a non-positive R1 or resistor, a negative diode drop
 * or non-finite source levels.
 */
export function cpPlateaus(
  src: EvseCpSource,
  ev: EvCpLoad | null,
  fault: CpLineFault = "none",
): { high: number; low: number } {
  requireValue("vHigh", src.vHigh, "a finite voltage", () => true);
  requireValue("vLow", src.vLow, "a finite voltage", () => true);
  requireValue("r1", src.r1, "> 0 Ω", (v) => v > 0);
  if (fault === "cp-short-pe") return { high: 0, low: 0 };
  if (fault === "cp-open" || ev === null) return { high: src.vHigh, low: src.vLow };
  requireValue("diodeDrop", ev.diodeDrop, "≥ 0 V", (v) => v >= 0);
  const r = evLoadResistance(ev);
  return { high: plateau(src.vHigh, src.r1, ev, r), low: plateau(src.vLow, src.r1, ev, r) };
}

/**
 * Build the {@link CpSample} the EVSE would measure at `tMs` while generating `duty`. With steady levels
 * there is only one plateau: duty 100 (X1) ⇒ low = high; duty 0 (F, steady vLow) ⇒ high = low.
 */
export function cpSampleFor(
  src: EvseCpSource,
  ev: EvCpLoad | null,
  duty: number,
  tMs: number,
  fault: CpLineFault = "none",
): CpSample {
  const p = cpPlateaus(src, ev, fault);
  if (duty >= DUTY_X1) return { tMs, duty, high: p.high, low: p.high };
  if (duty <= DUTY_F) return { tMs, duty, high: p.low, low: p.low };
  return { tMs, duty, high: p.high, low: p.low };
}

/** The state an EV load would nominally show (for simulators and tests): null ⇒ A, vent ⇒ D, S2 ⇒ C, else B. */
export function nominalStateOf(ev: EvCpLoad | null): CpState {
  if (ev === null) return "A";
  return ev.ventClosed ? "D" : ev.s2Closed ? "C" : "B";
}
