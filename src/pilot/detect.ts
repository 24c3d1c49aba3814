/**
 * EVSE-side CP state detection as a pure step function (IEC 61851-1 Table A.4 states): each sample is
 * classified (classify.ts), and a new state or fault is reported only after {@link CP_DEBOUNCE_SAMPLES} (= 2)
 * equal consecutive classifications (chargebyte CPUtils). With {@link CP_SAMPLE_INTERVAL_MS} = 10 ms the
 * worst-case delay from a change on the wire to its report is just under 2 sample periods (< 20 ms), inside
 * the 50 ms filter budget
 * ({@link CP_FILTER_MAX_MS}, EVerest bring-up guide).
 */
import { type CpFault, type CpLevelClass, evaluateCpSample } from "./classify.js";
import { CP_DEBOUNCE_SAMPLES, CP_FILTER_MAX_MS, CP_SAMPLE_INTERVAL_MS } from "./constants.js";
import type { CpSample, CpState } from "./types.js";

export type { CpSample, CpState };
export { CP_FILTER_MAX_MS, CP_SAMPLE_INTERVAL_MS };

/** Detector memory. Treat as opaque; read it with {@link currentCpState}, {@link activeCpFault}, {@link diodeVerified}. */
export interface CpDetectorState {
  readonly reported: CpState;
  readonly activeFault: CpFault | null;
  /** State classification of the last samples and how many in a row (null = the sample showed no state). */
  readonly runState: CpState | null;
  readonly runStateCount: number;
  readonly runFault: CpFault | null;
  readonly runFaultCount: number;
  /** Hysteresis memory: class of each plateau on the previous sample. */
  readonly prevHigh: CpLevelClass;
  readonly prevLow: CpLevelClass;
  /** The −12 V low level was seen with an EV present since the last A/E/F report (J1772 / IEC 61851-1). */
  readonly diodeSeen: boolean;
}

/** What the detector reports: a debounced state change, or a debounced newly active fault. */
export type CpEvent =
  | { kind: "state"; state: CpState; tMs: number }
  | { kind: "fault"; fault: "diode-fault" | "cp-short" | "pilot-fault"; tMs: number };

/** Initial detector: reports A (nothing plugged), no fault, hysteresis memory A (high) / F (low). */
export const initialCpDetector: CpDetectorState = Object.freeze({
  reported: "A",
  activeFault: null,
  runState: null,
  runStateCount: 0,
  runFault: null,
  runFaultCount: 0,
  prevHigh: "A",
  prevLow: "F",
  diodeSeen: false,
});

/**
 * Feed one sample; returns the new detector and the events it reports. A new state is reported only after
 * two equal consecutive classifications (chargebyte CPUtils); a fault likewise. A fault clears (silently,
 * see {@link activeCpFault}) after two fault-free samples.
 */
export function detectCp(s: CpDetectorState, sample: CpSample): [CpDetectorState, CpEvent[]] {
  const r = evaluateCpSample(sample, s.prevHigh, s.prevLow);
  const events: CpEvent[] = [];
  const runStateCount = r.state === s.runState ? Math.min(s.runStateCount + 1, CP_DEBOUNCE_SAMPLES) : 1;
  const runFaultCount = r.fault === s.runFault ? Math.min(s.runFaultCount + 1, CP_DEBOUNCE_SAMPLES) : 1;

  let reported = s.reported;
  let diodeSeen = s.diodeSeen;
  if (r.state !== null && runStateCount >= CP_DEBOUNCE_SAMPLES && r.state !== reported) {
    reported = r.state;
    events.push({ kind: "state", state: reported, tMs: sample.tMs });
    if (reported === "A" || reported === "E" || reported === "F") diodeSeen = false;
  }
  let activeFault = s.activeFault;
  if (runFaultCount >= CP_DEBOUNCE_SAMPLES && r.fault !== activeFault) {
    activeFault = r.fault;
    if (r.fault !== null) events.push({ kind: "fault", fault: r.fault, tMs: sample.tMs });
  }
  if (r.fault === "diode-fault") diodeSeen = false;
  else if (r.diodeProven) diodeSeen = true;

  const next: CpDetectorState = {
    reported,
    activeFault,
    runState: r.state,
    runStateCount,
    runFault: r.fault,
    runFaultCount,
    prevHigh: r.highClass,
    prevLow: r.lowClass,
    diodeSeen,
  };
  return [next, events];
}

/** The last reported (debounced) CP state. */
export function currentCpState(s: CpDetectorState): CpState {
  return s.reported;
}

/** The fault currently reported as active (debounced), or null. */
export function activeCpFault(s: CpDetectorState): CpFault | null {
  return s.activeFault;
}

/**
 * True when the EVSE has seen the −12 V low level with an EV present since the last A/E/F report and no
 * diode fault since: the precondition for closing the contactor (SAE J1772 / IEC 61851-1 diode check).
 */
export function diodeVerified(s: CpDetectorState): boolean {
  return s.diodeSeen;
}

/** Worst-case delay from a change on the wire to its report: just under (samples) sample periods. */
export function cpWorstCaseFilterMs(intervalMs: number = CP_SAMPLE_INTERVAL_MS): number {
  return CP_DEBOUNCE_SAMPLES * intervalMs;
}
