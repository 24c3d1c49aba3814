/**
 * Discrete-event simulator of a J3400 DC session (issue 6 §4): the EVSE DC controller and the EV DC
 * controller (both pure step functions) connected only through models of what is physically between
 * them — the CP/PP circuit (src/sim/cable.ts), the PLC medium for SLAC (`InMemoryMedium`, every frame
 * through the SLAC codec), an SDP "UDP" stand-in (datagrams through the SDP codec), an in-memory byte pipe
 * for the V2G session (V2GTP framing + deframing, EXI inside the machines), and the DC power path
 * (physics.ts). Virtual time; no global tick: the EVCC paces the charge loop, the CP is sampled finely only
 * around changes, the power path is integrated analytically between events and sampled only while moving.
 *
 * Scripting: `at(t, label, fn)`, `atPhase(phase, delayMs, label, fn)`. Faults: `inject(name)` (faults.ts).
 */
import type { EvDcConfig } from "../../ev/dc/index.js";
import {
  createImd,
  type EvseDcConfig,
  type ImdState,
  imdAdvance,
  imdNextChangeMs,
} from "../../evse/dc/index.js";
import { createVirtualClock, type TimerHandle, type VirtualClock } from "../../machine/index.js";
import {
  CP_SAMPLE_INTERVAL_MS,
  type CpDetectorState,
  classifyPp,
  DUTY_X1,
  detectCp,
  diodeVerified,
  initialCpDetector,
  type PpState,
  ppVoltage,
} from "../../pilot/index.js";
import { InMemoryMedium } from "../../slac/index.js";
import { type CableState, drawComponents, evMeasuredDuty, evseSample, ppSeenByEv } from "../cable.js";
import {
  SIM_COARSE_SAMPLE_MS,
  SIM_EV_PP_SAMPLE_MS,
  SIM_EV_PWM_MEASURE_MS,
  SIM_FINE_WINDOW_MS,
} from "../constants.js";
import type { RecordEvent, RecordSink } from "../record/types.js";
import { createRng, type Rng } from "../rng.js";
import { SIM_PLC_ATTENUATION_DB, SIM_RECORD_SAMPLE_MS } from "./constants.js";
import { Controllers, type SimEvent } from "./controllers.js";
import type { DcSimPhase, FaultName } from "./faults.js";
import { applyFault } from "./inject.js";
import { DcPath } from "./physics.js";
import type { WireTap } from "./wire.js";

/** Simulator configuration. */
export interface DcSimConfig {
  evse: EvseDcConfig;
  ev: EvDcConfig;
  socStart: number;
  /** Seed for component tolerances, ADC noise and the PLC medium; null = nominal, noiseless. */
  seed: number | null;
  /** Receives every record event as it happens. */
  onRecord?: RecordSink;
  /** Receives every frame, datagram and V2GTP message as it is sent (pcap recording). */
  onWire?: WireTap;
  /**
   * Host clock (ms, wall) used only to measure the SECC's processing time per request (decode → step →
   * encode); default `performance.now()` where available. Never used for the simulation itself.
   */
  hostClock?: () => number;
}

/** One safety trip as measured in virtual time. */
export interface TripReport {
  fault: string;
  reason: string;
  detail: string;
  /** When the fault was injected (if it was). */
  injectedAtMs: number | null;
  detectedAtMs: number;
  /** The power module received the off command. */
  offAtMs: number | null;
  /** EVSE contactors commanded open, and the current at that moment. */
  contactorsOpenAtMs: number | null;
  currentAtOpenA: number | null;
  /** Inlet unlocked, and the inlet voltage at that moment. */
  unlockAtMs: number | null;
  voltageAtUnlockV: number | null;
}

/** A running DC simulation. */
export class DcSim {
  readonly cfg: DcSimConfig;
  /** Virtual time: every scheduled event is a timer of this clock. */
  readonly clock: VirtualClock = createVirtualClock();
  readonly rng: Rng | null;
  readonly cable: CableState;
  readonly path: DcPath;
  readonly medium: InMemoryMedium;
  readonly ctl: Controllers;
  imd: ImdState = createImd();
  det: CpDetectorState = initialCpDetector;
  phase: DcSimPhase = "connecting";
  readonly trips: TripReport[] = [];
  readonly evStops: { tMs: number; reason: string; fault: boolean }[] = [];
  /** Limit flags the EVSE reported (CurrentDemandRes EVSE…LimitAchieved), when they changed. */
  readonly limitEvents: { tMs: number; current: boolean; voltage: boolean; power: boolean }[] = [];
  /** EV DC contactor welded closed (fault `welded-contactor`): open commands have no effect. */
  welded = false;
  /** Emergency-stop button held down (latching). */
  emergencyButton = false;
  readonly injected: { tMs: number; name: FaultName }[] = [];
  /** CP wire pulled to −12 V (fault `cp-to-f`). */
  cpToF = false;
  /** Lock: physically engaged; forced open by a fault. */
  lock = { locked: false, forcedOpen: false };
  private readonly phaseActions = new Map<
    DcSimPhase,
    { delayMs: number; label: string; fn: (s: DcSim) => void }[]
  >();
  private sampleGen = 0;
  private nextSampleMs = Number.POSITIVE_INFINITY;
  private fineUntilMs = 0;
  nextMeasureMs = Number.POSITIVE_INFINITY;
  private lastPp: PpState | null = null;
  private lastDuty = -1;

  constructor(cfg: DcSimConfig) {
    this.cfg = cfg;
    this.rng = cfg.seed === null ? null : createRng(cfg.seed);
    this.cable = {
      components: drawComponents(this.rng),
      plugged: false,
      ppConnector: { kind: "none" },
      lineFault: "none",
      s2Closed: false,
      ventClosed: false,
      diode: "ok",
      genDuty: DUTY_X1,
    };
    this.path = new DcPath(cfg.evse.module, cfg.ev.battery, cfg.socStart);
    this.medium = new InMemoryMedium({ seed: cfg.seed ?? 1 });
    this.medium.attach("evse", cfg.evse.slac.mac);
    this.medium.attach("ev", cfg.ev.slac.mac);
    this.medium.setLink("evse", "ev", { attenuationDb: SIM_PLC_ATTENUATION_DB });
    this.ctl = new Controllers(this);
    this.scheduleSample(0);
    this.post(0, { k: "ev-duty" });
    this.post(SIM_RECORD_SAMPLE_MS, { k: "record-sample" });
  }

  // ------------------------------------------------------------------ observation

  /** Virtual time (ms). */
  get nowMs(): number {
    return this.clock.now();
  }
  get soc(): number {
    return this.path.soc;
  }
  get powerW(): number {
    return this.path.powerW;
  }
  get currentA(): number {
    return this.path.connected ? this.path.i : 0;
  }
  nextEventMs(): number | undefined {
    return this.clock.peekTime();
  }

  /** Emit a record event at the current time. */
  record(type: RecordEvent["type"], fields: Record<string, unknown> = {}): void {
    this.cfg.onRecord?.({ t: Math.round(this.nowMs) / 1000, type, ...fields });
  }

  // ------------------------------------------------------------------ scripting

  /** Run `fn` at virtual time `tMs`. */
  at(tMs: number, label: string, fn: (sim: DcSim) => void): void {
    this.post(tMs, { k: "action", label, fn: () => fn(this) });
  }
  /** Run `fn` `delayMs` after the session first enters `phase` (relative to now if already in it). */
  atPhase(phase: DcSimPhase, delayMs: number, label: string, fn: (sim: DcSim) => void): void {
    if (phase === this.phase) {
      this.at(this.nowMs + delayMs, label, fn);
      return;
    }
    const list = this.phaseActions.get(phase) ?? [];
    list.push({ delayMs, label, fn });
    this.phaseActions.set(phase, list);
  }
  /** Inject a named fault now (see faults.ts). */
  inject(name: FaultName): void {
    this.injected.push({ tMs: this.nowMs, name });
    this.record("fault", { name });
    applyFault(this, name);
  }
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
  /** Press the EVSE's emergency-stop button (it latches: the EVSE stays tripped until released + reset). */
  pressEmergencyStop(): void {
    this.emergencyButton = true;
    this.record("log", { side: "sim", level: "warn", msg: "emergency-stop button pressed" });
    this.post(this.nowMs, { k: "to-evse", ev: { kind: "emergency-stop", tMs: 0 } });
  }
  /** Release the emergency-stop button and reset the EVSE (operator). */
  releaseEmergencyStop(): void {
    this.emergencyButton = false;
    this.post(this.nowMs, { k: "to-evse", ev: { kind: "safety-reset", tMs: 0 } });
  }

  // ------------------------------------------------------------------ running

  /** Schedule `e` at virtual time `tMs` (the past runs next). */
  post(tMs: number, e: SimEvent): void {
    this.schedule(tMs, () => this.handle(e));
  }

  /**
   * Run `fn` at virtual time `tMs` as a simulation event: the power path is brought up to date first and
   * measuring is kept going after. Returns the clock's timer handle.
   */
  schedule(tMs: number, fn: () => void): TimerHandle {
    return this.clock.setTimeoutAt(() => {
      this.path.advance(this.nowMs);
      fn();
      this.ensureMeasure();
    }, tMs);
  }

  /** Process the next event; false when none is pending. */
  step(): boolean {
    return this.clock.runNext();
  }

  /** Process events up to `tMs`, then move the clock there. */
  runUntil(tMs: number): void {
    this.clock.runUntil(tMs);
    this.path.advance(tMs);
  }

  /** Enter a new phase: record it and schedule the actions anchored to it. */
  setPhase(p: DcSimPhase): void {
    if (p === this.phase) return;
    this.phase = p;
    this.record("phase", { phase: p });
    for (const a of this.phaseActions.get(p) ?? []) this.at(this.nowMs + a.delayMs, a.label, a.fn);
    this.phaseActions.delete(p);
  }

  private handle(e: SimEvent): void {
    switch (e.k) {
      case "cp-sample":
        if (e.gen === this.sampleGen) this.onCpSample();
        break;
      case "ev-duty": {
        const d = this.cpToF ? 0 : evMeasuredDuty(this.cable);
        if (d !== this.lastDuty) {
          this.lastDuty = d;
          this.ctl.toEv({ kind: "duty", duty: d, tMs: this.nowMs });
        }
        break;
      }
      case "pp-sample": {
        const pp = classifyPp(ppVoltage(this.cable.components.ppNetwork, ppSeenByEv(this.cable)));
        if (pp !== this.lastPp) {
          this.lastPp = pp;
          this.ctl.toEv({ kind: "pp", state: pp, tMs: this.nowMs });
          this.ctl.toEvse({ kind: "pp", state: pp, tMs: this.nowMs });
        }
        break;
      }
      case "imd":
        this.imd = imdAdvance(this.imd, this.nowMs);
        this.ctl.syncMeasurements(true);
        this.scheduleImd();
        break;
      case "record-sample":
        this.record("sample", {
          v: round1(this.path.evseVoltageV),
          i: round1(this.currentA),
          p: Math.round(this.powerW),
          soc: Math.round(this.soc * 1000) / 1000,
          cp: this.ctl.evse.cp,
        });
        this.post(this.nowMs + SIM_RECORD_SAMPLE_MS, { k: "record-sample" });
        break;
      case "action":
        this.record("log", { side: "sim", level: "info", msg: e.label });
        e.fn();
        break;
      default:
        this.ctl.handle(e);
    }
  }

  /** Schedule the next isolation-monitor change. */
  scheduleImd(): void {
    const at = imdNextChangeMs(this.imd);
    if (at !== null) this.post(at, { k: "imd" });
  }

  /** Keep measuring while the power path moves (fast after a trip or during a runaway). */
  private ensureMeasure(): void {
    const p = this.path;
    const fast =
      p.currentRunawayAtMs !== null ||
      p.voltageRunawayAtMs !== null ||
      (this.ctl.evse.safety.trip !== null && (p.i > 0 || this.ctl.evse.safety.contactorsCmd)) ||
      (!p.on && p.i > 0);
    if (!fast && !p.transient() && !this.ctl.pendingUnlock()) return;
    const period = fast ? 1 : 10;
    const at = Math.floor(this.nowMs / period) * period + period;
    if (at < this.nextMeasureMs || this.nextMeasureMs <= this.nowMs) {
      this.nextMeasureMs = at;
      this.post(at, { k: "measure" });
    }
  }

  private onCpSample(): void {
    const now = this.nowMs;
    let sample = evseSample(this.cable, now, this.rng);
    if (this.cpToF)
      sample = { ...sample, high: this.cable.components.src.vLow, low: this.cable.components.src.vLow };
    const before = diodeVerified(this.det);
    const [det, events] = detectCp(this.det, sample);
    this.det = det;
    if (diodeVerified(det) !== before)
      this.ctl.toEvse({ kind: "diode", verified: diodeVerified(det), tMs: now });
    for (const ce of events) {
      if (ce.kind === "state") {
        this.record("cp", { state: ce.state });
        this.ctl.toEvse({ kind: "cp", state: ce.state, tMs: now });
      } else this.ctl.toEvse({ kind: "cp-fault", fault: ce.fault, tMs: now });
    }
    const period = now < this.fineUntilMs ? CP_SAMPLE_INTERVAL_MS : SIM_COARSE_SAMPLE_MS;
    this.scheduleSample(now + period);
  }

  private scheduleSample(tMs: number): void {
    this.sampleGen++;
    this.nextSampleMs = tMs;
    this.post(tMs, { k: "cp-sample", gen: this.sampleGen });
  }

  /** Something physical changed on CP and/or PP: sample finely, let the EV re-measure. */
  physicalChange(cp: boolean, pp: boolean): void {
    const now = this.nowMs;
    if (cp) {
      this.fineUntilMs = now + SIM_FINE_WINDOW_MS;
      const grid = (Math.floor(now / CP_SAMPLE_INTERVAL_MS) + 1) * CP_SAMPLE_INTERVAL_MS;
      if (this.nextSampleMs > grid || this.nextSampleMs < now) this.scheduleSample(grid);
      this.post(now + SIM_EV_PWM_MEASURE_MS, { k: "ev-duty" });
    }
    if (pp) this.post(now + SIM_EV_PP_SAMPLE_MS, { k: "pp-sample" });
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
