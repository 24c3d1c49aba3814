/**
 * The simulated hardware of a J3400 DC session: what a board measures and switches on each side of the
 * cable, and the cable, inlet and battery between them. The EVSE side has the pilot generator and CP
 * detector (IEC 61851-1 Annex A), the PP detector, the power module, the EVSE contactors, the isolation
 * monitor, the meter and the emergency-stop button; the EV side has S2 and the EV's CP network, the PP
 * reading, the inlet lock, the EV contactors, the inlet sensing and the BMS. The world takes the
 * controllers' board effects as commands and produces their board events as readings; it never looks
 * into a controller. It runs on any {@link Clock}: virtual in `nacs simulate`, the wall clock behind
 * `--board sim` and `nacs board-sim`.
 */
import type { DcBatteryConfig } from "../../ev/dc/index.js";
import { OBC_DEFAULT_MAX_CURRENT_A } from "../../ev/obc.js";
import {
  createImd,
  type ImdState,
  imdAdvance,
  imdNextChangeMs,
  imdSetResistance,
  imdStart,
  imdStop,
} from "../../evse/dc/index.js";
import type { PowerModuleConfig } from "../../evse/dc/power-module.js";
import type {
  EvBoardEffect,
  EvBoardEvent,
  EvseBoardEffect,
  EvseBoardEvent,
} from "../../link/host/controllers.js";
import type { Clock, TimerHandle } from "../../machine/index.js";
import {
  CP_SAMPLE_INTERVAL_MS,
  type CpDetectorState,
  type CpState,
  classifyPp,
  detectCp,
  diodeVerified,
  initialCpDetector,
  type PpState,
  ppVoltage,
} from "../../pilot/index.js";
import { type CableState, evMeasuredDuty, evseSample, ppSeenByEv, unpluggedCable } from "../cable.js";
import {
  SIM_COARSE_SAMPLE_MS,
  SIM_EV_PP_SAMPLE_MS,
  SIM_EV_PWM_MEASURE_MS,
  SIM_FINE_WINDOW_MS,
} from "../constants.js";
import type { RecordEvent } from "../record/types.js";
import type { Rng } from "../rng.js";
import { AcPath } from "./ac-path.js";
import {
  SIM_DC_CONTACTOR_CLOSE_MS,
  SIM_DC_CONTACTOR_OPEN_MS,
  SIM_LOCK_ACTUATE_MS,
  SIM_LOCK_FEEDBACK_MS,
  SIM_MODULE_CMD_LATENCY_MS,
  SIM_RECORD_CHANGE_CAP_PER_S,
  SIM_RECORD_CHANGE_STEP,
  SIM_RECORD_MIN_SPACING_MS,
  SIM_RECORD_SAMPLE_MS,
} from "./constants.js";
import type { DcPath } from "./physics.js";
import { newPath, rebuildPath } from "./world-path.js";

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
  /** Send measurements to both sides at least this often (ms); 0 = only on change (virtual time). */
  measureEveryMs?: number;
  onNote?(note: WorldNote): void;
  /**
   * Record a `sample` whenever a value moved (event resolution, bounded: see SIM_RECORD_CHANGE_STEP), not
   * only every {@link SIM_RECORD_SAMPLE_MS}; `sampleExtras` adds fields the world does not know (the EV's
   * targets, the EVSE's limits). Default off (the live board simulator).
   */
  changeSamples?: boolean;
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

/** The simulated hardware of both sides of the cable. */
export class DcWorld {
  readonly cfg: DcWorldConfig;
  readonly cable: CableState;
  readonly path: DcPath;
  sides: WorldSides = { evse() {}, ev() {} };
  imd: ImdState = createImd();
  det: CpDetectorState = initialCpDetector;
  /** CP state last reported by the EVSE's detector. */
  cp: CpState = "A";
  /** EV DC contactor welded closed (fault `welded-contactor`): open commands have no effect. */
  welded = false;
  /** Emergency-stop button held down (latching). */
  emergencyButton = false;
  /** CP wire pulled to −12 V (fault `cp-to-f`). */
  cpToF = false;
  /** Lock: physically engaged; forced open by a fault. */
  lock = { locked: false, forcedOpen: false };
  private sampleGen = 0;
  private nextSampleMs = Number.POSITIVE_INFINITY;
  private fineUntilMs = 0;
  private nextMeasureMs = Number.POSITIVE_INFINITY;
  private lastPp: PpState | null = null;
  private lastDuty = -1;
  private lastSyncMs = -1;
  private relayGen = { evse: 0, ev: 0 };
  /** The EV's on-board charger maximum (A), kept for a later switch to an AC supply. */
  private obcMaxA: number;
  private stopped = false;
  /** The last recorded sample, and the change-sample budget of the current virtual second. */
  private lastSample: { tMs: number; v: Record<string, number | string> } | null = null;
  private changeWindow = { second: -1, count: 0 };

  constructor(cfg: DcWorldConfig) {
    this.cfg = cfg;
    this.obcMaxA = cfg.ac?.obcMaxA ?? OBC_DEFAULT_MAX_CURRENT_A;
    this.cable = unpluggedCable(cfg.rng);
    this.path = newPath(cfg, cfg.module, cfg.battery, cfg.socStart);
    this.path.energyTimeScale = cfg.energyTimeScale ?? 1;
    this.scheduleSample(this.now);
    this.at(this.now, () => this.measureEvDuty());
    this.at(this.now + SIM_RECORD_SAMPLE_MS, () => this.recordSample());
    if (cfg.measureEveryMs) this.at(this.now + cfg.measureEveryMs, () => this.periodicMeasure());
  }

  get now(): number {
    return this.cfg.clock.now();
  }
  get currentA(): number {
    return this.path.connected ? this.path.i : 0;
  }

  /**
   * Run `fn` at time `tMs` as a world event: the power path is brought up to date first and measuring is
   * kept going after. Returns the clock's timer handle.
   */
  at(tMs: number, fn: () => void): TimerHandle {
    const c = this.cfg.clock;
    return c.setTimeout(() => {
      if (this.stopped) return;
      this.path.advance(c.now());
      fn();
      this.ensureMeasure();
      if (this.cfg.changeSamples) this.changeSample();
    }, tMs - c.now());
  }

  /** Stop every world activity (a board simulator shutting down). */
  stop(): void {
    this.stopped = true;
  }

  // ------------------------------------------------------------------ physical actions

  /** Plug the connector in (latched). */
  plugIn(): void {
    this.cable.plugged = true;
    this.cable.ppConnector = { kind: "latched" };
    this.physicalChange(true, true);
  }
  /** Press / release the handle button (PP unlatched / latched). */
  pressButton(pressed: boolean): void {
    this.cable.ppConnector = pressed ? { kind: "button-pressed" } : { kind: "latched" };
    this.physicalChange(false, true);
  }
  /** Unplug (CP and PP disconnect). */
  unplug(): void {
    this.cable.plugged = false;
    this.physicalChange(true, true);
  }
  /** Press (latching) or release the EVSE's emergency-stop button. */
  setEmergencyButton(pressed: boolean): void {
    this.emergencyButton = pressed;
    this.cfg.record("log", {
      side: "sim",
      level: pressed ? "warn" : "info",
      msg: `emergency-stop button ${pressed ? "pressed" : "released"}`,
    });
    if (pressed) this.sides.evse({ kind: "emergency-stop", tMs: this.now });
  }
  /** Isolation resistance change (fault injection). */
  setIsolation(ohm: number): void {
    this.imd = imdSetResistance(this.imd, ohm, this.now);
    this.scheduleImd();
  }
  /** The lock is forced open (fault `lock-opened`): the feedback switch reports it shortly. */
  forceLockOpen(): void {
    this.lock.forcedOpen = true;
    this.lock.locked = false;
    this.at(this.now + SIM_LOCK_FEEDBACK_MS, () => this.lockMoved(false));
  }

  // ------------------------------------------------------------------ configuration

  /**
   * Change the power module, the battery and/or the state of charge (`nacs board-sim`, the `sim` settings
   * of a host hello). Allowed only while unplugged: the power path is rebuilt, keeping the switch positions,
   * set points and voltages, with the energy counters back at 0 (design choice: a new vehicle or charger
   * is a new session). The SOC stays where it was unless `socPercent` is given. Throws otherwise.
   */
  configure(c: DcWorldSettings): void {
    if (this.cable.plugged)
      throw new Error(
        "simulated world: the module, battery and SOC can only be changed while the connector is unplugged",
      );
    if (c.socPercent !== undefined && !(c.socPercent >= 0 && c.socPercent <= 100))
      throw new RangeError(`simulated world: socPercent ${c.socPercent} is not within 0…100 %`);
    this.path.advance(this.now);
    const r = rebuildPath(this.path, this.cfg, this.obcMaxA, c);
    this.obcMaxA = r.obcMaxA;
    (this as { path: DcPath }).path = r.path;
    this.cfg.record("log", { side: "sim", level: "info", msg: `configured: ${r.summary}` });
    this.syncMeasurements(true);
  }

  // ------------------------------------------------------------------ board commands

  /** An EVSE board command (pilot duty, power module, contactors, isolation monitor). */
  evseCommand(f: EvseBoardEffect): void {
    const now = this.now;
    this.path.advance(now);
    switch (f.kind) {
      case "duty":
        this.cable.genDuty = f.duty;
        this.cfg.record("duty", { duty: f.duty });
        this.physicalChange(true, false);
        break;
      case "module":
        this.at(now + SIM_MODULE_CMD_LATENCY_MS, () => {
          this.applyModule(f);
          this.syncMeasurements(true);
        });
        break;
      case "contactors": {
        this.cfg.record("log", {
          side: "evse",
          level: "info",
          msg: `contactors ${f.closed ? "close" : "open"} command at ${this.currentA.toFixed(2)} A`,
        });
        this.cfg.onNote?.({ kind: "contactors-command", closed: f.closed, currentA: this.currentA });
        this.relay("evse", f.closed);
        break;
      }
      case "isolation":
        this.imd = f.op === "start" ? imdStart(this.imd, f.voltageV, now) : imdStop(this.imd);
        this.scheduleImd();
        break;
    }
  }

  /** An EV board command (S2, EV contactors, on-board charger, inlet lock). */
  evCommand(f: EvBoardEffect): void {
    const now = this.now;
    this.path.advance(now);
    switch (f.kind) {
      case "s2":
        this.cable.s2Closed = f.closed;
        this.cfg.record("s2", { closed: f.closed });
        this.physicalChange(true, false);
        break;
      case "contactors":
        this.relay("ev", f.closed);
        break;
      case "charger":
        // The on-board charger ramps at once: keep both sides measuring while it moves (a command from a
        // board link arrives outside the world's own events).
        if (this.path instanceof AcPath) this.path.obcSetA = f.currentA;
        this.syncMeasurements(true);
        this.ensureMeasure();
        break;
      case "lock":
        if (!f.locked) this.cfg.onNote?.({ kind: "unlock-command", inletVoltageV: this.path.inletVoltageV });
        this.at(now + (this.lock.forcedOpen ? SIM_LOCK_FEEDBACK_MS : SIM_LOCK_ACTUATE_MS), () =>
          this.lockMoved(f.locked),
        );
        break;
    }
  }

  private relay(side: "evse" | "ev", closed: boolean): void {
    const gen = ++this.relayGen[side];
    this.at(this.now + (closed ? SIM_DC_CONTACTOR_CLOSE_MS : SIM_DC_CONTACTOR_OPEN_MS), () => {
      if (gen !== this.relayGen[side]) return;
      if (side === "ev" && !closed && this.welded && this.path.k2) {
        this.cfg.record("log", { side: "sim", level: "warn", msg: "EV contactor welded: stays closed" });
        return;
      }
      if (side === "evse") this.path.k1 = closed;
      else this.path.k2 = closed;
      this.cfg.record("contactor", { side, closed });
      this.syncMeasurements(true);
    });
  }

  private lockMoved(locked: boolean): void {
    if (this.lock.forcedOpen && locked) return;
    this.lock.locked = locked;
    this.cfg.record("lock", { locked, v: Math.round(this.path.inletVoltageV * 10) / 10 });
    this.sides.ev({ kind: "lock", locked, tMs: this.now });
  }

  private applyModule(c: Extract<EvseBoardEffect, { kind: "module" }>): void {
    const p = this.path;
    if (c.op === "set") {
      p.on = true;
      p.setV = c.voltageV;
      p.setI = c.currentA;
      return;
    }
    p.on = false;
    p.setI = 0;
    p.currentRunawayAtMs = null;
    p.voltageRunawayAtMs = null;
    this.cfg.onNote?.({ kind: "module-off", emergency: c.emergency });
  }

  // ------------------------------------------------------------------ readings

  /** Deliver fresh measurements to both sides (if time moved, or `force`). */
  syncMeasurements(force: boolean): void {
    const now = this.now;
    if (!force && now === this.lastSyncMs) return;
    this.lastSyncMs = now;
    const p = this.path;
    this.sides.evse({
      kind: "measure",
      m: {
        voltageV: p.evseVoltageV,
        currentA: this.currentA,
        energyWh: p.energyWh,
        dischargedWh: p.dischargedWh,
        isolation: this.imd.reading,
        contactorsClosed: p.k1,
      },
      tMs: now,
    });
    this.sides.ev({ kind: "bms", socPercent: p.soc, batteryVoltageV: p.batteryV, tMs: now });
    this.sides.ev({
      kind: "inlet",
      voltageV: p.inletVoltageV,
      currentA: p.inletCurrentA,
      acPresent: p.acPresent,
      tMs: now,
    });
  }

  private measureEvDuty(): void {
    const d = this.cpToF ? 0 : evMeasuredDuty(this.cable);
    if (d === this.lastDuty) return;
    this.lastDuty = d;
    this.sides.ev({ kind: "duty", duty: d, tMs: this.now });
  }

  private samplePp(): void {
    const pp = classifyPp(ppVoltage(this.cable.components.ppNetwork, ppSeenByEv(this.cable)));
    if (pp === this.lastPp) return;
    this.lastPp = pp;
    this.sides.ev({ kind: "pp", state: pp, tMs: this.now });
    this.sides.evse({ kind: "pp", state: pp, tMs: this.now });
  }

  /** The values of a `sample` record now. */
  private sampleValues(): Record<string, number | string> {
    return {
      v: round1(this.path.evseVoltageV),
      i: round1(this.currentA),
      p: Math.round(this.path.powerW),
      soc: Math.round(this.path.soc * 1000) / 1000,
      cp: this.cp,
      ...this.cfg.sampleExtras?.(),
    };
  }

  private recordSample(): void {
    const last = this.lastSample;
    // a change sample in this very millisecond already says it all
    if (!last || this.now - last.tMs >= SIM_RECORD_MIN_SPACING_MS) {
      const v = this.sampleValues();
      this.cfg.record("sample", v);
      this.lastSample = { tMs: this.now, v };
    }
    this.at(this.now + SIM_RECORD_SAMPLE_MS, () => this.recordSample());
  }

  /** A `sample` now if a value moved enough since the last one (within the spacing and the budget). */
  private changeSample(): void {
    const now = this.now;
    const last = this.lastSample;
    if (last && now - last.tMs < SIM_RECORD_MIN_SPACING_MS) return;
    const v = this.sampleValues();
    if (last && !movedEnough(last.v, v)) return;
    const second = Math.floor(now / 1000);
    if (second !== this.changeWindow.second) this.changeWindow = { second, count: 0 };
    if (this.changeWindow.count >= SIM_RECORD_CHANGE_CAP_PER_S) return;
    this.changeWindow.count++;
    this.cfg.record("sample", v);
    this.lastSample = { tMs: now, v };
  }

  private periodicMeasure(): void {
    this.syncMeasurements(false);
    const every = this.cfg.measureEveryMs ?? 0;
    if (every > 0) this.at(this.now + every, () => this.periodicMeasure());
  }

  /** Schedule the next isolation-monitor change. */
  scheduleImd(): void {
    const at = imdNextChangeMs(this.imd);
    if (at !== null)
      this.at(at, () => {
        this.imd = imdAdvance(this.imd, this.now);
        this.syncMeasurements(true);
        this.scheduleImd();
      });
  }

  /** Keep measuring while the power path moves (fast after a trip or during a runaway). */
  private ensureMeasure(): void {
    const p = this.path;
    const hint = this.cfg.measureHint?.();
    const fast =
      p.currentRunawayAtMs !== null || p.voltageRunawayAtMs !== null || hint === "fast" || p.windingDown;
    if (!fast && !p.transient() && hint !== "slow") return;
    const period = fast ? 1 : 10;
    const at = Math.floor(this.now / period) * period + period;
    if (at < this.nextMeasureMs || this.nextMeasureMs <= this.now) {
      this.nextMeasureMs = at;
      this.at(at, () => {
        this.nextMeasureMs = Number.POSITIVE_INFINITY;
        this.syncMeasurements(true);
      });
    }
  }

  private onCpSample(gen: number): void {
    if (gen !== this.sampleGen) return;
    const now = this.now;
    let sample = evseSample(this.cable, now, this.cfg.rng);
    if (this.cpToF)
      sample = { ...sample, high: this.cable.components.src.vLow, low: this.cable.components.src.vLow };
    const before = diodeVerified(this.det);
    const [det, events] = detectCp(this.det, sample);
    this.det = det;
    if (diodeVerified(det) !== before)
      this.sides.evse({ kind: "diode", verified: diodeVerified(det), tMs: now });
    for (const ce of events) {
      if (ce.kind === "state") {
        this.cp = ce.state;
        this.cfg.record("cp", { state: ce.state });
        this.sides.evse({ kind: "cp", state: ce.state, tMs: now });
      } else this.sides.evse({ kind: "cp-fault", fault: ce.fault, tMs: now });
    }
    const period = now < this.fineUntilMs ? CP_SAMPLE_INTERVAL_MS : SIM_COARSE_SAMPLE_MS;
    this.scheduleSample(now + period);
  }

  private scheduleSample(tMs: number): void {
    const gen = ++this.sampleGen;
    this.nextSampleMs = tMs;
    this.at(tMs, () => this.onCpSample(gen));
  }

  /** Something physical changed on CP and/or PP: sample finely, let the EV re-measure. */
  physicalChange(cp: boolean, pp: boolean): void {
    const now = this.now;
    if (cp) {
      this.fineUntilMs = now + SIM_FINE_WINDOW_MS;
      const grid = (Math.floor(now / CP_SAMPLE_INTERVAL_MS) + 1) * CP_SAMPLE_INTERVAL_MS;
      if (this.nextSampleMs > grid || this.nextSampleMs < now) this.scheduleSample(grid);
      this.at(now + SIM_EV_PWM_MEASURE_MS, () => this.measureEvDuty());
    }
    if (pp) this.at(now + SIM_EV_PP_SAMPLE_MS, () => this.samplePp());
  }
}

/** Whether sample `b` differs from `a` by at least one step of SIM_RECORD_CHANGE_STEP (or in CP / fields). */
function movedEnough(a: Record<string, number | string>, b: Record<string, number | string>): boolean {
  const step = SIM_RECORD_CHANGE_STEP;
  const far = (k: string, d: number) => Math.abs(Number(a[k] ?? 0) - Number(b[k] ?? 0)) >= d;
  if (a.cp !== b.cp || Object.keys(a).length !== Object.keys(b).length) return true;
  return (
    far("v", step.v) ||
    far("i", step.i) ||
    far("p", step.p) ||
    far("soc", step.soc) ||
    far("evTargetV", step.v) ||
    far("evTargetA", step.i)
  );
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
