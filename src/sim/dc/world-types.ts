/** The configuration and the ports of the simulated hardware ({@link DcWorld} in world.ts). */
import type { DcBatteryConfig } from "../../ev/dc/index.js";
import type { PowerModuleConfig } from "../../evse/dc/power-module.js";
import type { EvBoardEvent, EvseBoardEvent } from "../../link/host/controllers.js";
import type { Clock } from "../../machine/index.js";
import type { RecordEvent } from "../record/types.js";
import type { Rng } from "../rng.js";
import type { BmsReportRule } from "./bms-report.js";

/** Where the world's readings go: the controller (in-process host) or a board link, per side. */
export interface WorldSides {
  evse(reading: EvseBoardEvent): void;
  ev(reading: EvBoardEvent): void;
}

/** What the hardware did, for the safety figures of a report (trip → output off, contactors, unlock). */
export type WorldNote =
  | { kind: "module-off"; emergency: boolean }
  | { kind: "contactors-command"; closed: boolean; currentA: number }
  | { kind: "unlock-command"; inletVoltageV: number };

/** World configuration. */
export interface DcWorldConfig {
  module: PowerModuleConfig;
  battery: DcBatteryConfig;
  socStart: number;
  clock: Clock;
  /** Component tolerances and ADC noise; null = nominal, noiseless. */
  rng: Rng | null;
  record(type: RecordEvent["type"], fields?: Record<string, unknown>): void;
  /**
   * Keep measuring even if the power path looks settled: "fast" (1 ms) or "slow" (10 ms). The simulator
   * knows when a controller waits on a measurement (a tripped EVSE with current flowing or contactors
   * closed, an EV waiting to unlock); a real-time board measures every `measureEveryMs` instead.
   */
  measureHint?(): "fast" | "slow" | undefined;
  /**
   * Send measurements to both sides at least this often (ms); 0 = only on change (virtual time). A
   * measurement sent for another reason (a command, a transient) restarts the period.
   */
  measureEveryMs?: number;
  /**
   * Shortest period of the extra measurements while the power path moves (ms; default: 1 ms "fast", 10 ms
   * otherwise). A board process on the wall clock sends every measurement as a line, so it measures at
   * most every 10 ms (design choice).
   */
  measureFloorMs?: number;
  /** When the EV side gets a `bms` reading; default: with every measurement (virtual time). */
  bmsReport?: BmsReportRule;
  /**
   * Measuring period while the power path moves at its ordinary pace (a current ramp, a voltage slew or
   * discharge), ms; default SIM_SLOW_SAMPLE_MS (10). The fast period (trips, runaways, the wind-down after a
   * stop) is not changed by it (`nacs simulate --measure-ms`).
   */
  slowMeasureMs?: number;
  onNote?(note: WorldNote): void;
  /**
   * Record a `sample` whenever a value moved (event resolution, bounded: see SIM_RECORD_CHANGE_STEP), not
   * only every {@link SIM_RECORD_SAMPLE_MS}; `sampleExtras` adds fields the world does not know (the EV's
   * targets, the EVSE's limits). Default off (the live board simulator).
   */
  changeSamples?: boolean;
  /** False: no `sample` record is built at all (nobody records); the periodic sample events still run. */
  sampleRecords?: boolean;
  /**
   * False: no periodic sample event either (a live board, whose records go nowhere: a world event a second
   * per cable less). A virtual-time simulation keeps them, records or not, so that its runs stay the same.
   */
  periodicSamples?: boolean;
  sampleExtras?(): Record<string, number>;
  /** Energy moves this many times faster than real time (live hosts' `--time-scale`); default 1. */
  energyTimeScale?: number;
  /**
   * The charger's pins are wired to the mains (an AC charger): the supply voltage behind its relay and the
   * EV's on-board charger maximum. Absent: a DC charger (power module).
   */
  ac?: WorldAcSupply;
}

/** An AC charger's supply and the EV's on-board charger, as the world simulates them. */
export interface WorldAcSupply {
  supplyV: number;
  obcMaxA: number;
}

/** What {@link DcWorld.configure} may change (while unplugged). */
export interface DcWorldSettings {
  module?: PowerModuleConfig;
  battery?: DcBatteryConfig;
  /** State of charge (%, 0…100). */
  socPercent?: number;
  /** The charger's pins: on the power module ("dc") or on the mains relay ("ac", supply voltage V RMS). */
  supply?: { kind: "dc" } | { kind: "ac"; voltageV: number };
  /** The EV's on-board charger maximum input current (A). */
  obcMaxCurrentA?: number;
}
