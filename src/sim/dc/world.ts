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
import type { EvBoardEffect, EvseBoardEffect } from "../../link/host/controllers.js";
import type { TimerHandle } from "../../machine/index.js";
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
import { AcPath } from "./ac-path.js";
import { type BmsReported, bmsDue } from "./bms-report.js";
import {
  SIM_DC_CONTACTOR_CLOSE_MS,
  SIM_DC_CONTACTOR_OPEN_MS,
  SIM_FAST_SAMPLE_MS,
  SIM_LOCK_ACTUATE_MS,
  SIM_LOCK_FEEDBACK_MS,
  SIM_MODULE_CMD_LATENCY_MS,
  SIM_RECORD_SAMPLE_MS,
  SIM_SLOW_SAMPLE_MS,
} from "./constants.js";
import type { DcPath } from "./physics.js";
import { RecordSampler, type SampleValues } from "./record-sampler.js";
import { newPath, rebuildPath } from "./world-path.js";

import type { DcWorldConfig, DcWorldSettings, WorldSides } from "./world-types.js";

export type { DcWorldConfig, DcWorldSettings, WorldAcSupply, WorldNote, WorldSides } from "./world-types.js";

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
  /** The last `bms` reading sent to the EV side (null: the next measurement sends one). */
  private lastBms: BmsReported | null = null;
  private relayGen = { evse: 0, ev: 0 };
  /** The EV's on-board charger maximum (A), kept for a later switch to an AC supply. */
  private obcMaxA: number;
  private stopped = false;
  private readonly sampler = new RecordSampler();

  constructor(cfg: DcWorldConfig) {
    this.cfg = cfg;
    this.obcMaxA = cfg.ac?.obcMaxA ?? OBC_DEFAULT_MAX_CURRENT_A;
    this.cable = unpluggedCable(cfg.rng);
    this.path = newPath(cfg, cfg.module, cfg.battery, cfg.socStart);
    this.path.energyTimeScale = cfg.energyTimeScale ?? 1;
    this.scheduleSample(this.now);
    this.at(this.now, () => this.measureEvDuty());
    if (cfg.periodicSamples !== false) this.at(this.now + SIM_RECORD_SAMPLE_MS, () => this.recordSample());
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
    this.lastBms = null;
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
    this.syncMeasurements(true, { bms: true });
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
          // A board measuring periodically reports an unchanged set point with its next measurement (the
          // charge loop repeats it every cycle); in virtual time (no periodic measuring) the command measures.
          if (this.applyModule(f) || !this.cfg.measureEveryMs) this.syncMeasurements(true);
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

  /** Carry out a module command; true when it changed the module's state. */
  private applyModule(c: Extract<EvseBoardEffect, { kind: "module" }>): boolean {
    const p = this.path;
    if (c.op === "set") {
      const same = p.on && p.setV === c.voltageV && p.setI === c.currentA;
      p.on = true;
      p.setV = c.voltageV;
      p.setI = c.currentA;
      return !same;
    }
    p.on = false;
    p.setI = 0;
    p.currentRunawayAtMs = null;
    p.voltageRunawayAtMs = null;
    this.cfg.onNote?.({ kind: "module-off", emergency: c.emergency });
    return true;
  }

  // ------------------------------------------------------------------ readings

  /**
   * Deliver fresh measurements to both sides (if time moved, or `force`); the EV's `bms` reading as the
   * configured {@link BmsReportRule} says, or always with `bms` (a host that just attached).
   */
  syncMeasurements(force: boolean, o?: { bms?: boolean }): void {
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
    if (o?.bms || bmsDue(this.cfg.bmsReport, this.lastBms, now, p.soc, p.batteryV)) {
      this.lastBms = { atMs: now, socPercent: p.soc, batteryVoltageV: p.batteryV };
      this.sides.ev({ kind: "bms", socPercent: p.soc, batteryVoltageV: p.batteryV, tMs: now });
    }
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
  private sampleValues(): SampleValues {
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
    const v =
      this.cfg.sampleRecords === false
        ? undefined
        : this.sampler.periodic(this.now, () => this.sampleValues());
    if (v) this.cfg.record("sample", v);
    this.at(this.now + SIM_RECORD_SAMPLE_MS, () => this.recordSample());
  }

  /** A `sample` now if a value moved enough since the last one (see {@link RecordSampler}). */
  private changeSample(): void {
    const v = this.sampler.change(this.now, () => this.sampleValues());
    if (v) this.cfg.record("sample", v);
  }

  private periodicMeasure(): void {
    const every = this.cfg.measureEveryMs ?? 0;
    // A measurement sent since (on a command, during a transient) counts: the next is due a period after it.
    const dueMs = this.lastSyncMs + every;
    if (this.lastSyncMs < 0 || dueMs <= this.now) this.syncMeasurements(false);
    if (every > 0) this.at(Math.max(this.now + 1, this.lastSyncMs + every), () => this.periodicMeasure());
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
    const every = this.cfg.measureEveryMs ?? 0;
    // a board measuring periodically at least as often as the ordinary pace needs no second chain
    if (!fast && every > 0 && (this.cfg.slowMeasureMs ?? SIM_SLOW_SAMPLE_MS) >= every) return;
    const period = Math.max(
      fast ? SIM_FAST_SAMPLE_MS : (this.cfg.slowMeasureMs ?? SIM_SLOW_SAMPLE_MS),
      this.cfg.measureFloorMs ?? 0,
    );
    // a wall-clock board measures from now; virtual time keeps every cable on one grid (reproducible runs)
    const at = every > 0 ? this.now + period : Math.floor(this.now / period) * period + period;
    if (at < this.nextMeasureMs || this.nextMeasureMs < this.now) {
      this.nextMeasureMs = at;
      this.at(at, () => {
        // superseded by a sooner one: that one measures (one measuring chain, not one per reschedule)
        if (this.nextMeasureMs !== at) return;
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

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
