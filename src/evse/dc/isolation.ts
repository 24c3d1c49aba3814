/**
 * Isolation monitor (IMD) of the EVSE (IEC 61851-23 cable check): a cable-check test at the cable-check
 * voltage answers after {@link IMD_TEST_MS}; afterwards the monitor keeps watching and reports a changed
 * resistance after {@link IMD_MONITOR_RESPONSE_MS}. Classification by `isolationLevelFor` (EVerest
 * EvseManager 100 kΩ rule, then the Ω/V classes). Pure: the host asks {@link imdNextChangeMs} when to look
 * again.
 */
import { type IsolationReading, isolationLevelFor } from "../../v2g/index.js";

/** Duration of the cable-check isolation test (ms). Design choice (D); real IMDs take seconds. */
export const IMD_TEST_MS = 2_000;
/** Continuous-monitoring response time to a resistance change (ms). Design choice (D). */
export const IMD_MONITOR_RESPONSE_MS = 1_000;
/** Isolation resistance of a healthy cable and vehicle (Ω): Valid at any voltage up to 1000 V. Design choice (D). */
export const IMD_HEALTHY_OHM = 5_000_000;

/** IMD state. `resistanceOhm` is the physical truth; `reading` is what the monitor reports. */
export interface ImdState {
  readonly resistanceOhm: number;
  readonly testVoltageV: number;
  readonly testStartedAtMs: number | null;
  readonly monitoring: boolean;
  /** When the resistance last changed while monitoring (pending report). */
  readonly changedAtMs: number | null;
  readonly reading: IsolationReading;
  /** How long a cable-check test takes (ms), {@link IMD_TEST_MS} unless a slower monitor is modelled. */
  readonly testMs: number;
}

/** A monitor (idle) measuring `resistanceOhm`, whose test takes `testMs`. */
export function createImd(resistanceOhm = IMD_HEALTHY_OHM, testMs = IMD_TEST_MS): ImdState {
  return {
    testMs,
    resistanceOhm,
    testVoltageV: 0,
    testStartedAtMs: null,
    monitoring: false,
    changedAtMs: null,
    reading: { state: "idle", level: "Invalid" },
  };
}

/** Start the cable-check test at `voltageV`. */
export function imdStart(m: ImdState, voltageV: number, tMs: number): ImdState {
  return {
    ...m,
    testVoltageV: voltageV,
    testStartedAtMs: tMs,
    monitoring: false,
    changedAtMs: null,
    reading: { state: "running", level: "Invalid" },
  };
}

/** Stop monitoring (the last level stays readable). */
export function imdStop(m: ImdState): ImdState {
  return { ...m, testStartedAtMs: null, monitoring: false, changedAtMs: null };
}

/** The physical isolation resistance changes (fault injection, repair). */
export function imdSetResistance(m: ImdState, ohm: number, tMs: number): ImdState {
  return { ...m, resistanceOhm: ohm, changedAtMs: m.monitoring ? tMs : m.changedAtMs };
}

/** Time at which the monitor's reading will next change, or null. */
export function imdNextChangeMs(m: ImdState): number | null {
  if (m.testStartedAtMs !== null && m.reading.state === "running") return m.testStartedAtMs + m.testMs;
  if (m.monitoring && m.changedAtMs !== null) return m.changedAtMs + IMD_MONITOR_RESPONSE_MS;
  return null;
}

/** Advance to `tMs`: finish a test, or report a change seen while monitoring. */
export function imdAdvance(m: ImdState, tMs: number): ImdState {
  const due = imdNextChangeMs(m);
  if (due === null || tMs < due) return m;
  const level = isolationLevelFor(m.resistanceOhm, Math.max(m.testVoltageV, 1));
  return {
    ...m,
    testStartedAtMs: null,
    monitoring: true,
    changedAtMs: null,
    reading: { state: "done", level, resistanceOhm: m.resistanceOhm },
  };
}
