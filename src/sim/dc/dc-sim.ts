/**
 * Discrete-event simulator of a J3400 DC session: the EVSE DC controller and the EV DC
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
import type { EvseDcConfig } from "../../evse/dc/index.js";
import type { V2gCarrier } from "../../link/tcp-carrier.js";
import { createVirtualClock, type VirtualClock } from "../../machine/index.js";
import { InMemoryMedium } from "../../slac/index.js";
import type { RecordEvent, RecordSink } from "../record/types.js";
import { createRng, type Rng } from "../rng.js";
import type { BmsReportRule } from "./bms-report.js";
import { SIM_PLC_ATTENUATION_DB, SIM_TIME_SCALE_REAL_RATE_SOC } from "./constants.js";
import { Controllers, type SimEvent } from "./controllers.js";
import type { DcSimPhase, FaultName } from "./faults.js";
import { applyFault } from "./inject.js";
import type { PlugIn, PlugInFigures } from "./plug-ins.js";
import type { WireTap } from "./wire.js";
import { DcWorld, type WorldNote } from "./world.js";

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
  /**
   * Carry the V2G bytes over this transport (real TCP on [::1], `--transport tcp`) instead of the
   * in-memory pipe; the caller runs the session with `DcSession.runAsync` so I/O can complete.
   */
  v2gCarrier?: V2gCarrier;
  /**
   * The battery's energy (and so its SOC) moves this many times faster than the current alone would move
   * it (default 1): the charge takes 1/K of its virtual time, with K× fewer charge-loop messages; SLAC, SDP,
   * the handshake, cable check, pre-charge, ramps and timeouts keep their real time (`--time-scale`).
   */
  energyTimeScale?: number;
  /** Measuring period while the power path ramps or slews (ms; default 10, `--measure-ms`). */
  slowMeasureMs?: number;
  /** When the EV side gets a `bms` reading (default: with every measurement). */
  bmsReport?: BmsReportRule;
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

const NONE = { evseStopReason: null, protocol: null } as const;

/** A running DC simulation: the world, the in-memory network and the two controller hosts. */
export class DcSim {
  readonly cfg: DcSimConfig;
  /** Virtual time: every scheduled event is a timer of this clock. */
  readonly clock: VirtualClock = createVirtualClock();
  readonly rng: Rng | null;
  /** The simulated hardware (cable, CP/PP, power path, battery, IMD, lock, e-stop). */
  readonly world: DcWorld;
  readonly medium: InMemoryMedium;
  readonly ctl: Controllers;
  phase: DcSimPhase = "connecting";
  readonly trips: TripReport[] = [];
  readonly evStops: { tMs: number; reason: string; fault: boolean }[] = [];
  /** Limit flags the EVSE reported (CurrentDemandRes EVSE…LimitAchieved), when they changed. */
  readonly limitEvents: { tMs: number; current: boolean; voltage: boolean; power: boolean }[] = [];
  readonly injected: { tMs: number; name: FaultName }[] = [];
  /** One entry per plug-in of the connector (plug-ins.ts). */
  readonly plugIns: PlugIn[] = [];
  private readonly phaseActions = new Map<
    DcSimPhase,
    { delayMs: number; label: string; fn: (s: DcSim) => void }[]
  >();

  constructor(cfg: DcSimConfig) {
    this.cfg = cfg;
    this.rng = cfg.seed === null ? null : createRng(cfg.seed);
    this.world = new DcWorld({
      module: cfg.evse.module,
      battery: cfg.ev.battery,
      socStart: cfg.socStart,
      clock: this.clock,
      rng: this.rng,
      record: (type, fields) => this.record(type, fields),
      measureHint: () => this.measureHint(),
      onNote: (n) => this.onWorldNote(n),
      // nobody records (a fleet): no sample values built; the same events run, so the physics is the same
      changeSamples: cfg.onRecord !== undefined,
      ...(cfg.energyTimeScale !== undefined && { energyTimeScale: cfg.energyTimeScale }),
      ...(cfg.slowMeasureMs !== undefined && { slowMeasureMs: cfg.slowMeasureMs }),
      ...(cfg.bmsReport && { bmsReport: cfg.bmsReport }),
      sampleRecords: cfg.onRecord !== undefined,
      sampleExtras: () => this.sampleExtras(),
      ...(cfg.evse.pins === "ac" && {
        ac: { supplyV: cfg.evse.ac.nominalVoltageV, obcMaxA: cfg.ev.obc.maxCurrentA },
      }),
    });
    if ((cfg.energyTimeScale ?? 1) !== 1) {
      // a scaled charge: ramps and the approach to the EV's target at the real rate
      this.world.path.realRateFromSoc = cfg.ev.targetSocPercent - SIM_TIME_SCALE_REAL_RATE_SOC;
      this.world.path.realRateRamps = true;
    }
    this.medium = new InMemoryMedium({ seed: cfg.seed ?? 1 });
    this.medium.attach("evse", cfg.evse.slac.mac);
    this.medium.attach("ev", cfg.ev.slac.mac);
    this.medium.setLink("evse", "ev", { attenuationDb: SIM_PLC_ATTENUATION_DB });
    this.ctl = new Controllers(this);
    this.world.sides = { evse: (r) => this.ctl.toEvse(r), ev: (r) => this.ctl.toEv(r) };
  }

  // ------------------------------------------------------------------ observation

  /** Virtual time (ms). */
  get nowMs(): number {
    return this.clock.now();
  }
  get cable(): DcWorld["cable"] {
    return this.world.cable;
  }
  get path(): DcWorld["path"] {
    return this.world.path;
  }
  get lock(): DcWorld["lock"] {
    return this.world.lock;
  }
  get soc(): number {
    return this.world.path.soc;
  }
  get powerW(): number {
    return this.world.path.powerW;
  }
  get currentA(): number {
    return this.world.currentA;
  }
  nextEventMs(): number | undefined {
    return this.clock.peekTime();
  }

  /** Whether record events go anywhere (callers skip building costly fields when not). */
  get recording(): boolean {
    return this.cfg.onRecord !== undefined;
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
  /**
   * Plug the connector in (latched). Coming from unplugged this begins a new plug-in: the previous one's
   * figures are taken, and the session phase starts again at "connecting" (a phase reached during an
   * earlier plug-in says nothing about this one's session).
   */
  plugIn(): void {
    if (!this.cable.plugged) this.beginPlugIn();
    this.world.plugIn();
  }
  /** Press / release the handle button (PP unlatched / latched). */
  pressButton(pressed: boolean): void {
    this.world.pressButton(pressed);
  }
  /** Unplug (CP and PP disconnect). */
  unplug(): void {
    const p = this.plugIns[this.plugIns.length - 1];
    if (this.cable.plugged && p && p.unpluggedAtMs === null) p.unpluggedAtMs = this.nowMs;
    this.world.unplug();
  }

  /** Cumulative figures now (energy, SOC, messages; the peak since the last plug-in). */
  plugInFigures(): PlugInFigures {
    const p = this.world.path;
    return {
      tMs: this.nowMs,
      soc: p.soc,
      energyWh: p.energyWh,
      lossesWh: p.lossesWh,
      peakPowerW: p.plugInPeakPowerW,
      messages: { ...this.ctl.messages },
    };
  }

  /** What the EVSE says during the current plug-in: its first stop reason and its V2G protocol. */
  notePlugIn(): void {
    const p = this.plugIns[this.plugIns.length - 1];
    if (!p) return;
    const evse = this.ctl.evse;
    p.evseStopReason ??= evse.stopReason;
    // The SECC's protocol is this plug-in's once a SessionSetup followed this plug-in's handshake.
    const setups = (this.ctl.messages.SessionSetupReq ?? 0) - (p.start.messages.SessionSetupReq ?? 0);
    if (setups > 0) p.protocol ??= evse.secc.protocol ?? null;
  }

  private beginPlugIn(): void {
    this.world.path.advance(this.nowMs);
    const now = this.plugInFigures();
    const prev = this.plugIns[this.plugIns.length - 1];
    if (prev) {
      this.notePlugIn();
      prev.end = now;
    }
    this.world.path.plugInPeakPowerW = 0;
    const start = { ...now, peakPowerW: 0 };
    const phases: PlugIn["phases"] = [];
    this.plugIns.push({ n: this.plugIns.length + 1, start, end: null, unpluggedAtMs: null, phases, ...NONE });
    if (this.phase === "connecting") phases.push({ phase: "connecting", tMs: this.nowMs });
    else this.setPhase("connecting");
  }
  /** Something physical changed on CP and/or PP (scripted S2 toggles). */
  physicalChange(cp: boolean, pp: boolean): void {
    this.world.physicalChange(cp, pp);
  }
  /** Press the EVSE's emergency-stop button (it latches: the EVSE stays tripped until released + reset). */
  pressEmergencyStop(): void {
    this.world.setEmergencyButton(true);
  }
  /** Release the emergency-stop button and reset the EVSE (operator). */
  releaseEmergencyStop(): void {
    this.world.setEmergencyButton(false);
    this.post(this.nowMs, { k: "to-evse", ev: { kind: "safety-reset", tMs: 0 } });
  }

  // ------------------------------------------------------------------ running

  /** Schedule `e` at virtual time `tMs` (the past runs next). */
  post(tMs: number, e: SimEvent): void {
    this.world.at(tMs, () => this.handle(e));
  }

  /** Process the next event; false when none is pending. */
  step(): boolean {
    return this.clock.runNext();
  }

  /** Process events up to `tMs`, then move the clock there. */
  runUntil(tMs: number): void {
    this.clock.runUntil(tMs);
    this.world.path.advance(tMs);
  }

  /** Enter a new phase: record it and schedule the actions anchored to it. */
  setPhase(p: DcSimPhase): void {
    if (p === this.phase) return;
    this.phase = p;
    this.plugIns[this.plugIns.length - 1]?.phases.push({ phase: p, tMs: this.nowMs });
    this.record("phase", { phase: p });
    for (const a of this.phaseActions.get(p) ?? []) this.at(this.nowMs + a.delayMs, a.label, a.fn);
    this.phaseActions.delete(p);
  }

  private handle(e: SimEvent): void {
    if (e.k === "action") {
      this.record("log", { side: "sim", level: "info", msg: e.label });
      e.fn();
    } else this.ctl.handle(e);
  }

  /**
   * Fields of a `sample` record beyond the world's readings: the EV's requested voltage and current as the
   * SECC last received them (EVTargetVoltage / EVTargetCurrent of the DIN 70121 / ISO 15118-2
   * CurrentDemandReq, the ISO 15118-20 DC_ChargeLoopReq targets; absent before the EV asked for anything)
   * and the EVSE's maximum
   * current and power as the SECC announces them (the power module's or the AC supply's rating, or lower
   * under a run-time power limit).
   */
  private sampleExtras(): Record<string, number> {
    const ev = this.ctl?.evse.secc.ev;
    const c = this.cfg.evse;
    // what the SECC announces now: the ratings, or lower under a run-time power limit
    const r = this.ctl?.evse.secc.readings;
    const acA = r?.ac.maxCurrentA ?? c.ac.maxCurrentA;
    const maxA = c.pins === "ac" ? acA : c.module.maxCurrentA;
    const maxW = c.pins === "ac" ? acA * c.ac.nominalVoltageV : (r?.dc.maxPowerW ?? c.module.maxPowerW);
    const asked = ev && (ev.targetVoltageV > 0 || ev.targetCurrentA !== 0);
    return {
      ...(asked && { evTargetV: round1(ev.targetVoltageV), evTargetA: round1(ev.targetCurrentA) }),
      evseMaxA: maxA,
      evseMaxW: Math.round(maxW),
    };
  }

  /**
   * The simulator knows when a controller waits on a measurement: a tripped EVSE while current flows or its
   * contactors are commanded closed (fast), an EV waiting for the inlet to fall below 60 V to unlock.
   */
  private measureHint(): "fast" | "slow" | undefined {
    const evse = this.ctl.evse;
    if (evse.safety.trip !== null && (this.world.path.i > 0 || evse.safety.contactorsCmd)) return "fast";
    return this.ctl.pendingUnlock() ? "slow" : undefined;
  }

  /** Safety figures of the open trip: output off, contactors commanded open (current), unlock (voltage). */
  private onWorldNote(n: WorldNote): void {
    const trip = this.trips[this.trips.length - 1];
    if (!trip) return;
    // The output goes off with the power module, or with AC pins with the relay (the relay is the output).
    const acRelayOpen = this.cfg.evse.pins === "ac" && n.kind === "contactors-command" && !n.closed;
    if (((n.kind === "module-off" && n.emergency) || acRelayOpen) && trip.offAtMs === null) {
      trip.offAtMs = this.nowMs;
      this.record("off", { fault: trip.fault, latencyMs: trip.offAtMs - trip.detectedAtMs });
    }
    if (n.kind === "contactors-command" && !n.closed && trip.contactorsOpenAtMs === null) {
      trip.contactorsOpenAtMs = this.nowMs;
      trip.currentAtOpenA = n.currentA;
    } else if (n.kind === "unlock-command" && trip.unlockAtMs === null) {
      trip.unlockAtMs = this.nowMs;
      trip.voltageAtUnlockV = n.inletVoltageV;
    }
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
