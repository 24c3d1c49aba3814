/**
 * Simple pure isolation-monitor model for the SECC port: a test started at a voltage answers
 * after `testDurationMs` with the configured resistance, classified by digest §5.6 (EV-EM 100 kΩ rule and
 * the Ω/V classes).
 */
import { isolationLevelFor } from "../../session/dc-physics.js";
import type { IsolationReading } from "../secc-ports.js";

/** Default test duration (ms) — model parameter; real IMDs take seconds. */
export const DEFAULT_ISOLATION_TEST_MS = 2_000;

/** Isolation monitor state. */
export interface IsolationMonitorModel {
  resistanceOhm: number;
  testDurationMs: number;
  /** Set when a test runs. */
  startedAtMs: number | null;
  voltageV: number;
  reading: IsolationReading;
}

/** A monitor that will measure `resistanceOhm` (default 5 MΩ: Valid at any voltage up to 1000 V). */
export function createIsolationMonitor(
  resistanceOhm = 5_000_000,
  testDurationMs = DEFAULT_ISOLATION_TEST_MS,
): IsolationMonitorModel {
  return {
    resistanceOhm,
    testDurationMs,
    startedAtMs: null,
    voltageV: 0,
    reading: { state: "idle", level: "Invalid" },
  };
}

/** Start a test at `voltageV`. */
export function startIsolationTest(
  m: IsolationMonitorModel,
  voltageV: number,
  tMs: number,
): IsolationMonitorModel {
  return { ...m, startedAtMs: tMs, voltageV, reading: { state: "running", level: "Invalid" } };
}

/** Stop monitoring (keeps the last level). */
export function stopIsolationTest(m: IsolationMonitorModel): IsolationMonitorModel {
  return { ...m, startedAtMs: null };
}

/** Advance to `tMs`: a running test finishes once its duration elapsed. */
export function advanceIsolationMonitor(m: IsolationMonitorModel, tMs: number): IsolationMonitorModel {
  if (m.startedAtMs === null || m.reading.state !== "running" || tMs - m.startedAtMs < m.testDurationMs)
    return m;
  return {
    ...m,
    reading: {
      state: "done",
      level: isolationLevelFor(m.resistanceOhm, m.voltageV),
      resistanceOhm: m.resistanceOhm,
    },
  };
}
