/**
 * One simulated AC charging session, as `nacs simulate --mode ac` runs it: plug in at t = 0, charge to the
 * target SOC (or until the user unplugs), stop, report. Pure and platform-neutral; the CLI adds the
 * terminal progress bar, JSON output and wall-clock pacing (`--realtime`) on top of {@link AcSession}.
 */

import { evAcConfig } from "../ev/basic-ac.js";
import { OBC_DEFAULT_MAX_CURRENT_A } from "../ev/obc.js";
import { evseAcConfig } from "../evse/basic-ac.js";
import { DUTY_X1 } from "../pilot/index.js";
import { AcSim } from "./ac-sim.js";
import type { TraceEntry } from "./trace.js";

/** Default rated battery charge power (W, DC): above any AC power, so AC charging is OBC/EVSE-limited until the taper. */
export const SESSION_DEFAULT_BATTERY_MAX_CHARGE_W = 11_500;
/** Default limit of virtual session time (s): 7 days. */
export const SESSION_DEFAULT_MAX_DURATION_S = 7 * 24 * 3600;
/** Time from pressing the handle button to the connector being out, for `unplugAfterS` (ms). Design choice (D). */
export const SESSION_UNPLUG_PULL_MS = 1000;
/** Most timeline entries reported. */
export const SESSION_TIMELINE_LIMIT = 1000;

/** Options of a session (validated by the CLI). */
export interface AcSessionOptions {
  batteryKwh: number;
  socStart: number;
  targetSoc: number;
  /** Current the EVSE offers (A). */
  maxCurrentA: number;
  supplyVoltageV: number;
  /** Seed for tolerance draws and noise (null = nominal, noiseless). */
  seed: number | null;
  /** The user presses the button and pulls the plug this many seconds after plug-in. */
  unplugAfterS?: number;
  maxDurationS?: number;
  obcMaxCurrentA?: number;
  batteryMaxChargeW?: number;
  /** EV: delay from a usable PWM to closing S2 (ms, J3400 "delayed S2 closure"); default the EV's own. */
  s2CloseDelayMs?: number;
}

/** One entry of the session timeline: written whenever CP state, duty, contactor or current changes. */
export interface TimelineEntry {
  tS: number;
  cp: string;
  duty: number;
  contactor: boolean;
  currentA: number;
}

/** The session report (the `--json` object). */
export interface AcSessionSummary {
  mode: "ac";
  batteryKwh: number;
  /** Energy from the grid through the EVSE meter (Wh). */
  energyDeliveredWh: number;
  /** On-board charger losses (Wh). */
  lossesWh: number;
  durationS: number;
  socStart: number;
  socEnd: number;
  peakPowerW: number;
  stopReason: string;
  events: TimelineEntry[];
}

/** Session phase for progress displays. */
export type SessionPhase = "connecting" | "charging" | "tapering" | "stopping" | "done";

/** Progress snapshot. */
export interface SessionStatus {
  tMs: number;
  soc: number;
  powerW: number;
  phase: SessionPhase;
}

/** A session that can be advanced piecewise (for progress display or wall-clock pacing). */
export class AcSession {
  readonly sim: AcSim;
  readonly opts: AcSessionOptions;
  private stopReason: string | null = null;
  private finished = false;
  private userUnplugged = false;
  private readonly maxMs: number;

  constructor(opts: AcSessionOptions) {
    this.opts = opts;
    this.maxMs = (opts.maxDurationS ?? SESSION_DEFAULT_MAX_DURATION_S) * 1000;
    this.sim = new AcSim({
      evse: evseAcConfig({ maxCurrentA: opts.maxCurrentA, supplyVoltageV: opts.supplyVoltageV }),
      ev: evAcConfig({
        maxCurrentA: opts.obcMaxCurrentA ?? OBC_DEFAULT_MAX_CURRENT_A,
        ...(opts.s2CloseDelayMs !== undefined && { s2CloseDelayMs: opts.s2CloseDelayMs }),
      }),
      battery: {
        capacityKwh: opts.batteryKwh,
        maxChargeW: opts.batteryMaxChargeW ?? SESSION_DEFAULT_BATTERY_MAX_CHARGE_W,
      },
      socStart: opts.socStart,
      targetSoc: opts.targetSoc,
      seed: opts.seed,
    });
    this.sim.at(0, "plug in", (s) => s.plugIn());
    if (opts.unplugAfterS !== undefined) {
      const t = opts.unplugAfterS * 1000;
      this.sim.at(t, "press handle button", (s) => {
        this.userUnplugged = true;
        s.pressButton(true);
      });
      this.sim.at(t + SESSION_UNPLUG_PULL_MS, "unplug", (s) => s.unplug());
    }
  }

  /** True once the session has ended (power off after a stop, or the time limit). */
  get done(): boolean {
    return this.finished;
  }

  /** Process events up to virtual time `untilMs` (or until the session ends). */
  advance(untilMs: number): void {
    const sim = this.sim;
    while (!this.finished) {
      const t = sim.nextEventMs();
      if (t === undefined || t > untilMs) break;
      if (t > this.maxMs) {
        sim.runUntil(this.maxMs);
        this.stopReason ??= "time limit";
        this.finished = true;
        break;
      }
      sim.step();
      this.checkEnd();
    }
    if (!this.finished && untilMs > sim.nowMs) sim.runUntil(Math.min(untilMs, this.maxMs));
  }

  /** Run to the end and return the summary. */
  run(): AcSessionSummary {
    this.advance(Number.POSITIVE_INFINITY);
    return this.summary();
  }

  private checkEnd(): void {
    const sim = this.sim;
    if (this.stopReason === null) {
      const evStop = sim.evStops[0];
      if (this.userUnplugged) this.stopReason = "unplugged";
      else if (sim.evseState.fault) this.stopReason = `EVSE fault: ${sim.evseState.fault}`;
      else if (evStop) this.stopReason = evStop.reason;
    }
    if (this.stopReason === null) return;
    const off = !sim.contactorClosed && !sim.evseState.contactorClosed && sim.currentA === 0;
    const pulled = !this.userUnplugged || sim.evseState.cp === "A";
    if (off && pulled) {
      sim.integrate();
      this.finished = true;
    }
  }

  /** Progress snapshot. */
  status(): SessionStatus {
    const sim = this.sim;
    let phase: SessionPhase = "connecting";
    if (this.finished) phase = "done";
    else if (this.stopReason !== null) phase = "stopping";
    else if (sim.currentA > 0) phase = sim.soc >= sim.pack.bulkSocPercent ? "tapering" : "charging";
    return { tMs: sim.nowMs, soc: sim.soc, powerW: sim.powerW, phase };
  }

  /** The report of the session so far. */
  summary(): AcSessionSummary {
    const sim = this.sim;
    sim.integrate();
    return {
      mode: "ac",
      batteryKwh: this.opts.batteryKwh,
      energyDeliveredWh: round(sim.energyWh, 3),
      lossesWh: round(sim.lossesWh, 3),
      durationS: round(sim.nowMs / 1000, 3),
      socStart: this.opts.socStart,
      socEnd: round(sim.soc, 4),
      peakPowerW: round(sim.peakPowerW, 1),
      stopReason: this.stopReason ?? "not finished",
      events: timelineOf(sim.trace),
    };
  }
}

/** Run a whole session (accelerated virtual time) and return its summary. */
export function runAcSession(opts: AcSessionOptions): AcSessionSummary {
  return new AcSession(opts).run();
}

/**
 * Build the session timeline from the simulator trace: one entry per instant at which the EVSE-detected CP
 * state, the generator duty, the contactor (physical) or the current changed. Bounded by
 * {@link SESSION_TIMELINE_LIMIT}.
 */
export function timelineOf(trace: readonly TraceEntry[]): TimelineEntry[] {
  const cur: TimelineEntry = { tS: 0, cp: "A", duty: DUTY_X1, contactor: false, currentA: 0 };
  const out: TimelineEntry[] = [{ ...cur }];
  for (const e of trace) {
    if (e.kind === "cp") cur.cp = String(e.value);
    else if (e.kind === "duty") cur.duty = Number(e.value);
    else if (e.kind === "contactor") cur.contactor = Boolean(e.value);
    else if (e.kind === "current") cur.currentA = Number(e.value);
    else continue;
    const entry = { ...cur, tS: round(e.tMs / 1000, 3) };
    const last = out[out.length - 1];
    if (last && last.tS === entry.tS) out[out.length - 1] = entry;
    else if (!last || !sameValues(last, entry)) out.push(entry);
    if (out.length >= SESSION_TIMELINE_LIMIT) break;
  }
  return out;
}

function sameValues(a: TimelineEntry, b: TimelineEntry): boolean {
  return a.cp === b.cp && a.duty === b.duty && a.contactor === b.contactor && a.currentA === b.currentA;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
