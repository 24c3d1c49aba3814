/**
 * Discrete-event simulator of a basic (PWM-only) AC charging set-up: EVSE controller, CP/PP circuit,
 * EV controller, OBC and battery (the DC pack model of src/ev/dc/battery.ts behind the on-board charger),
 * driven by the virtual clock of src/machine.
 *
 * Information flows only through the physics:
 *   EV switches (S2, ventilation, diode) → circuit plateaus (`cpSampleFor`) → EVSE ADC samples every
 *   `CP_SAMPLE_INTERVAL_MS` → `detectCp` → EVSE controller → generator duty / relay command → relay
 *   actuation → AC at the inlet → EV; and generator duty → waveform → duty measured by the EV.
 *
 * Time advances event to event. The EVSE samples the CP every `CP_SAMPLE_INTERVAL_MS` (10 ms) for
 * {@link SIM_FINE_WINDOW_MS} after any change of the circuit, and every {@link SIM_COARSE_SAMPLE_MS}
 * while nothing changes (the sampled voltages are then constant apart from ADC noise, so the detector
 * sees the same sequence of classifications it would see at 10 ms). Sampling restarts on the 10 ms grid
 * at the first change, so detection delays are those of continuous sampling. Charging energy is
 * integrated exactly (piecewise constant between events) with a battery/BMS update every
 * {@link SIM_PHYSICS_STEP_MS}.
 */

import {
  type EvAcConfig,
  type EvAcEffect,
  type EvAcEvent,
  type EvAcState,
  type EvStopReason,
  initialEvAc,
  stepEvAc,
} from "../ev/basic-ac.js";
import { bmsTargetCurrentA, type DcBatteryConfig, packTerminalV, socAfter } from "../ev/dc/battery.js";
import { obcLossW } from "../ev/obc.js";
import {
  type EvseAcConfig,
  type EvseAcEffect,
  type EvseAcEvent,
  type EvseAcState,
  initialEvseAc,
  stepEvseAc,
} from "../evse/basic-ac.js";
import {
  createMachineDriver,
  createVirtualClock,
  type MachineDriver,
  type VirtualClock,
} from "../machine/index.js";
import {
  CP_SAMPLE_INTERVAL_MS,
  type CpDetectorState,
  type CpLineFault,
  classifyPp,
  type DiodeCondition,
  detectCp,
  diodeVerified,
  initialCpDetector,
  type PpState,
  ppVoltage,
} from "../pilot/index.js";
import { acCarPack } from "./ac-pack.js";
import { type CableState, evMeasuredDuty, evseSample, ppSeenByEv, unpluggedCable } from "./cable.js";
import {
  SIM_COARSE_SAMPLE_MS,
  SIM_EV_AC_DETECT_MS,
  SIM_EV_PP_SAMPLE_MS,
  SIM_EV_PWM_MEASURE_MS,
  SIM_FINE_WINDOW_MS,
  SIM_GRID_NOISE,
  SIM_GRID_NOISE_PERIOD_MS,
  SIM_PHYSICS_STEP_MS,
  SIM_RELAY_CLOSE_MS,
  SIM_RELAY_OPEN_MS,
  SIM_TRACE_CURRENT_STEP_A,
  SIM_TRACE_LIMIT,
} from "./constants.js";
import { createRng, type Rng } from "./rng.js";
import type { TraceEntry, TraceKind } from "./trace.js";

/** Simulator configuration. */
export interface AcSimConfig {
  evse: EvseAcConfig;
  ev: EvAcConfig;
  /** The traction battery: usable capacity and the highest charge power its BMS accepts (DC side). */
  battery: { capacityKwh: number; maxChargeW: number };
  socStart: number;
  targetSoc: number;
  /** Actual grid voltage (V AC); default the EVSE's nominal `supplyVoltageV`. */
  gridVoltageV?: number;
  /** Seed for tolerance draws and noise; null = nominal components, no noise. */
  seed: number | null;
  traceLimit?: number;
}

type SimEvent =
  | { k: "sample"; gen: number }
  | { k: "relay"; closed: boolean; gen: number }
  | { k: "ev-duty" }
  | { k: "ev-pp" }
  | { k: "ev-supply" }
  | { k: "physics" }
  | { k: "action"; label: string; fn: () => void };

/** A running simulation. All methods act at the current virtual time. */
export class AcSim {
  readonly cfg: AcSimConfig;
  readonly trace: TraceEntry[] = [];
  /** Reasons the EV gave for stopping, in order. */
  readonly evStops: { tMs: number; reason: EvStopReason }[] = [];
  /** Virtual time: every scheduled event is a timer of this clock. */
  private readonly clock: VirtualClock = createVirtualClock();
  private readonly rng: Rng | null;
  private readonly cable: CableState;
  /** The two controllers on the machine driver, on this simulator's clock. */
  private readonly evseHost: MachineDriver<EvseAcState, EvseAcEvent>;
  private readonly evHost: MachineDriver<EvAcState, EvAcEvent>;
  private det: CpDetectorState = initialCpDetector;
  /** The pack (a 400 V class pack of the capacity, its BMS limited to the charge power) and its SOC (%). */
  readonly pack: DcBatteryConfig;
  private socPct: number;
  private relayClosed = false;
  private relayGen = 0;
  private sampleGen = 0;
  private nextSampleMs = Number.POSITIVE_INFINITY;
  private fineUntilMs = 0;
  private evSetpointA = 0;
  private gridNominalV: number;
  private gridV: number;
  private lastIntegrateMs = 0;
  private lastTracedA = 0;
  private lastEvDuty = -1;
  private lastPp: PpState | null = null;
  private lastSupplyV = -1;
  private traceLimit: number;
  /** Energy through the EVSE meter (Wh). */
  energyWh = 0;
  /** OBC losses (Wh). */
  lossesWh = 0;
  /** Highest grid power seen (W). */
  peakPowerW = 0;
  /** Virtual time with current flowing (ms). */
  chargingMs = 0;

  constructor(cfg: AcSimConfig) {
    this.cfg = cfg;
    this.rng = cfg.seed === null ? null : createRng(cfg.seed);
    this.traceLimit = cfg.traceLimit ?? SIM_TRACE_LIMIT;
    this.cable = unpluggedCable(this.rng);
    this.evseHost = createMachineDriver<EvseAcState, EvseAcEvent, EvseAcEffect>({
      step: stepEvseAc,
      state: initialEvseAc(cfg.evse),
      clock: this.clock,
      perform: (f) => this.evseEffect(f),
    });
    this.evHost = createMachineDriver<EvAcState, EvAcEvent, EvAcEffect>({
      step: stepEvAc,
      state: initialEvAc(cfg.ev),
      clock: this.clock,
      perform: (f) => this.evEffect(f),
    });
    this.pack = acCarPack(cfg.battery.capacityKwh, cfg.battery.maxChargeW);
    this.socPct = Math.min(100, Math.max(0, cfg.socStart));
    this.gridNominalV = cfg.gridVoltageV ?? cfg.evse.supplyVoltageV;
    this.gridV = this.gridNominalV;
    this.post(0, { k: "physics" });
    this.scheduleSample(0);
    this.post(0, { k: "ev-pp" });
    this.post(0, { k: "ev-duty" });
  }

  // ------------------------------------------------------------------ observation

  /** Current virtual time (ms). */
  get nowMs(): number {
    return this.clock.now();
  }
  /** State of charge (%). */
  get soc(): number {
    return this.socPct;
  }
  /** Contactor contacts closed (physical, after relay delay). */
  get contactorClosed(): boolean {
    return this.relayClosed;
  }
  /** Current flowing from the grid through the EVSE (A). */
  get currentA(): number {
    return this.cable.plugged && this.relayClosed ? this.evSetpointA : 0;
  }
  /** Grid power through the EVSE meter (W). */
  get powerW(): number {
    return this.currentA * this.gridV;
  }
  /** CP state as reported by the EVSE detector. */
  get cpState(): string {
    return this.evseHost.state().cp;
  }
  /** Duty the EVSE generator produces. */
  get duty(): number {
    return this.cable.genDuty;
  }
  /** Read-only views of the controllers (for tests and the progress display). */
  get evseState(): EvseAcState {
    return this.evseHost.state();
  }
  get evState(): EvAcState {
    return this.evHost.state();
  }
  /** Time of the next pending event. */
  nextEventMs(): number | undefined {
    return this.clock.peekTime();
  }

  // ------------------------------------------------------------------ actions (act at the current time)

  /** Schedule `fn` at virtual time `tMs` (recorded in the trace as an action). */
  at(tMs: number, label: string, fn: (sim: AcSim) => void): void {
    this.post(tMs, { k: "action", label, fn: () => fn(this) });
  }
  /** Plug the connector in, latched (PP 150 Ω, CP connected). */
  plugIn(): void {
    this.integrate();
    this.cable.plugged = true;
    this.cable.ppConnector = { kind: "latched" };
    this.physicalChange(true, true, true);
  }
  /** Pull the connector out (CP and PP disconnect at once). */
  unplug(): void {
    this.integrate();
    this.cable.plugged = false;
    this.physicalChange(true, true, true);
  }
  /** Press (true) or release (false) the handle button: PP reads unlatched / latched. */
  pressButton(pressed: boolean): void {
    this.cable.ppConnector = pressed ? { kind: "button-pressed" } : { kind: "latched" };
    this.physicalChange(false, true, false);
  }
  /** Inject or clear a CP line fault. */
  setLineFault(fault: CpLineFault): void {
    this.cable.lineFault = fault;
    this.physicalChange(true, false, false);
  }
  /** Change the EV diode condition (fault injection). */
  setDiode(diode: DiodeCondition): void {
    this.cable.diode = diode;
    this.physicalChange(true, false, false);
  }
  /** Change the grid voltage (V AC). */
  setGridVoltage(volts: number): void {
    this.integrate();
    this.gridNominalV = volts;
    this.gridV = volts;
    this.physicalChange(false, false, true);
  }
  /** Operator / backend command to the EVSE controller. */
  evseCommand(
    cmd:
      | { kind: "set-current"; amps: number }
      | { kind: "stop-pwm" }
      | { kind: "resume-pwm" }
      | { kind: "fault"; reason: string }
      | { kind: "reset" },
  ): void {
    this.toEvse({ ...cmd, tMs: this.nowMs } as EvseAcEvent);
  }

  // ------------------------------------------------------------------ running

  /** Process the next event; false when none is pending. */
  step(): boolean {
    return this.clock.runNext();
  }
  /** Schedule `e` at virtual time `tMs` (the past runs next). */
  private post(tMs: number, e: SimEvent): void {
    this.clock.setTimeoutAt(() => this.handle(e), tMs);
  }
  /** Process every event up to and including `tMs`, then advance the clock to `tMs`. */
  runUntil(tMs: number): void {
    this.clock.runUntil(tMs);
    this.integrate();
  }
  /** Bring the energy counters up to the current time. */
  integrate(): void {
    const now = this.nowMs;
    const dt = now - this.lastIntegrateMs;
    if (dt <= 0) return;
    this.lastIntegrateMs = now;
    const p = this.powerW;
    if (p <= 0) return;
    if (p > this.peakPowerW) this.peakPowerW = p;
    const loss = obcLossW(p);
    const hours = dt / 3_600_000;
    this.energyWh += p * hours;
    this.lossesWh += loss * hours;
    this.chargingMs += dt;
    this.socPct = socAfter(this.pack, this.socPct, (p - loss) * hours);
  }

  // ------------------------------------------------------------------ internals

  private record(kind: TraceKind, value: string | number | boolean): void {
    if (this.trace.length < this.traceLimit) this.trace.push({ tMs: this.nowMs, kind, value });
  }

  private handle(e: SimEvent): void {
    switch (e.k) {
      case "sample":
        if (e.gen === this.sampleGen) this.onSample();
        break;
      case "relay":
        if (e.gen === this.relayGen && e.closed !== this.relayClosed) {
          this.integrate();
          this.relayClosed = e.closed;
          this.record("contactor", e.closed);
          this.noteCurrent();
          this.post(this.nowMs + SIM_EV_AC_DETECT_MS, { k: "ev-supply" });
        }
        break;
      case "ev-duty": {
        const d = evMeasuredDuty(this.cable);
        if (d !== this.lastEvDuty) {
          this.lastEvDuty = d;
          this.record("ev-duty", d);
          this.toEv({ kind: "duty", duty: d, tMs: this.nowMs });
        }
        break;
      }
      case "ev-pp": {
        const pp = classifyPp(ppVoltage(this.cable.components.ppNetwork, ppSeenByEv(this.cable)));
        if (pp !== this.lastPp) {
          this.lastPp = pp;
          this.record("pp", pp);
          this.toEv({ kind: "pp", state: pp, tMs: this.nowMs });
        }
        break;
      }
      case "ev-supply": {
        const v = this.cable.plugged && this.relayClosed ? this.gridV : 0;
        if (v !== this.lastSupplyV) {
          if ((v === 0) !== (this.lastSupplyV === 0)) this.record("supply", Math.round(v * 10) / 10);
          this.lastSupplyV = v;
          this.toEv({ kind: "supply", volts: v, tMs: this.nowMs });
        }
        break;
      }
      case "physics":
        this.onPhysics();
        break;
      case "action":
        this.record("action", e.label);
        e.fn();
        break;
    }
  }

  private onPhysics(): void {
    this.integrate();
    if (this.rng && this.nowMs % SIM_GRID_NOISE_PERIOD_MS === 0) {
      this.gridV = this.gridNominalV * (1 + this.rng.uniform(-SIM_GRID_NOISE, SIM_GRID_NOISE));
      if (this.relayClosed && this.cable.plugged) this.post(this.nowMs, { k: "ev-supply" });
    }
    // What the BMS accepts now (DC side): its current at the terminal voltage it would take.
    const i = bmsTargetCurrentA(this.pack, this.socPct);
    const maxChargeW = i * packTerminalV(this.pack, this.socPct, i);
    const targetReached = this.socPct >= this.cfg.targetSoc;
    const ev = this.evHost.state();
    if (maxChargeW !== ev.bmsMaxChargeW || targetReached !== ev.targetReached) {
      this.toEv({ kind: "bms", maxChargeW, targetReached, tMs: this.nowMs });
    }
    this.post(this.nowMs + SIM_PHYSICS_STEP_MS, { k: "physics" });
  }

  private onSample(): void {
    const now = this.nowMs;
    const before = diodeVerified(this.det);
    const [det, events] = detectCp(this.det, evseSample(this.cable, now, this.rng));
    this.det = det;
    const after = diodeVerified(det);
    if (after !== before) {
      this.record("diode", after);
      this.toEvse({ kind: "diode", verified: after, tMs: now });
    }
    for (const ce of events) {
      if (ce.kind === "state") {
        this.record("cp", ce.state);
        this.toEvse({ kind: "cp", state: ce.state, tMs: now });
      } else {
        this.record("cp-fault", ce.fault);
        this.toEvse({ kind: "cp-fault", fault: ce.fault, tMs: now });
      }
    }
    const period = now < this.fineUntilMs ? CP_SAMPLE_INTERVAL_MS : SIM_COARSE_SAMPLE_MS;
    this.scheduleSample(now + period);
  }

  private scheduleSample(tMs: number): void {
    this.sampleGen++;
    this.nextSampleMs = tMs;
    this.post(tMs, { k: "sample", gen: this.sampleGen });
  }

  /** Something physical changed: re-sample the CP finely, let the EV re-measure what it can see. */
  private physicalChange(cp: boolean, pp: boolean, supply: boolean): void {
    const now = this.nowMs;
    this.noteCurrent();
    if (cp) {
      this.fineUntilMs = now + SIM_FINE_WINDOW_MS;
      const grid = (Math.floor(now / CP_SAMPLE_INTERVAL_MS) + 1) * CP_SAMPLE_INTERVAL_MS;
      if (this.nextSampleMs > grid) this.scheduleSample(grid);
      this.post(now + SIM_EV_PWM_MEASURE_MS, { k: "ev-duty" });
    }
    if (pp) this.post(now + SIM_EV_PP_SAMPLE_MS, { k: "ev-pp" });
    if (supply) this.post(now + SIM_EV_AC_DETECT_MS, { k: "ev-supply" });
  }

  private noteCurrent(): void {
    const a = this.currentA;
    const crossed = (a === 0) !== (this.lastTracedA === 0);
    if (crossed || Math.abs(a - this.lastTracedA) >= SIM_TRACE_CURRENT_STEP_A) {
      this.lastTracedA = a;
      this.record("current", Math.round(a * 10) / 10);
    }
  }

  private toEvse(ev: EvseAcEvent): void {
    this.evseHost.push(ev);
  }

  private evseEffect(f: EvseAcEffect): void {
    switch (f.kind) {
      case "set-duty":
        this.cable.genDuty = f.duty;
        this.record("duty", Math.round(f.duty * 100) / 100);
        this.physicalChange(true, false, false);
        break;
      case "contactor": {
        this.record("contactor-cmd", f.closed);
        const gen = ++this.relayGen;
        this.post(this.nowMs + (f.closed ? SIM_RELAY_CLOSE_MS : SIM_RELAY_OPEN_MS), {
          k: "relay",
          closed: f.closed,
          gen,
        });
        break;
      }
      case "log":
        this.record("evse-log", f.msg);
        break;
    }
  }

  private toEv(ev: EvAcEvent): void {
    this.evHost.push(ev);
  }

  private evEffect(f: EvAcEffect): void {
    switch (f.kind) {
      case "s2":
        this.cable.s2Closed = f.closed;
        this.record("s2", f.closed);
        this.physicalChange(true, false, false);
        break;
      case "vent":
        this.cable.ventClosed = f.closed;
        this.record("vent", f.closed);
        this.physicalChange(true, false, false);
        break;
      case "current":
        this.integrate();
        this.evSetpointA = f.amps;
        this.noteCurrent();
        break;
      case "stop":
        this.evStops.push({ tMs: this.nowMs, reason: f.reason });
        this.record("ev-stop", f.reason);
        break;
      case "log":
        this.record("ev-log", f.msg);
        break;
    }
  }
}
