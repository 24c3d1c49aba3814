/**
 * The DC power path of the simulator: power module → EVSE contactors (K1) → cable → EV
 * contactors (K2) → battery. Integrated analytically between events: the module current moves linearly
 * toward its target (ramp rate) and stays there, so ∫I dt and ∫I² dt are exact per interval; the battery
 * OCV is taken at the start of the interval (a 200 ms interval at 250 kW moves the SOC by ≈ 0.02 %).
 *
 * Energy definitions (the balance `nacs simulate` reports):
 *   delivered (EVSE meter, at the EVSE output) = stored + losses
 *   stored  = ∫ OCV·I dt   (moves the SOC: ΔSOC = stored / capacity)
 *   losses  = ∫ I²·(R_cable + R_internal) dt   (EVSE-to-battery losses: cable and internal-resistance heat)
 * A negative current is a discharge (ISO 15118-20 DC_BPT: the bidirectional module sinks it into the grid):
 * `stored` is then negative and `delivered` = stored + losses is the (negative) net energy at the meter;
 * `dischargedWh` counts the energy that went back through the meter.
 *
 * Fault hooks: a current-regulation runaway (current ramps past every limit) and a voltage runaway (the
 * measured output voltage climbs), used by the safety tests; AC on the pins (interlock tests).
 */

import { type DcBatteryConfig, packOcvV, socAfter } from "../../ev/dc/battery.js";
import type { PowerModuleConfig } from "../../evse/dc/power-module.js";

/** Cable + connector resistance, both conductors (Ω). Design choice (D). */
export const SIM_DC_CABLE_OHM = 0.004;
/** Current-regulation runaway slope (A/ms). Design choice (D). */
export const SIM_RUNAWAY_A_PER_MS = 20;
/** Voltage runaway slope of the measured output (V/ms). Design choice (D). */
export const SIM_RUNAWAY_V_PER_MS = 20;

/** Current within this of its target counts as settled (A). Design choice (D). */
export const SIM_SETTLED_A = 1;
/** Voltage within this of its target counts as settled (V). Design choice (D). */
export const SIM_SETTLED_V = 0.5;

const MS_PER_H = 3_600_000;

/** The power path. Mutable, owned by the simulator. */
export class DcPath {
  readonly module: PowerModuleConfig;
  readonly battery: DcBatteryConfig;
  t = 0;
  /** Contacts physically closed. */
  k1 = false;
  k2 = false;
  on = false;
  setV = 0;
  setI = 0;
  i = 0;
  /** Cable node voltage (EVSE sensor side of K1 = EV inlet side of K2), without runaway offset. */
  vLink = 0;
  soc: number;
  /** Net energy through the EVSE meter (Wh): into the EV positive, back out negative. */
  energyWh = 0;
  /** Energy that went back through the EVSE meter into the grid (Wh, ≥ 0). */
  dischargedWh = 0;
  storedWh = 0;
  lossesWh = 0;
  chargingMs = 0;
  peakPowerW = 0;
  /** Highest power fed back into the grid (W, positive). */
  peakDischargePowerW = 0;
  /** Highest power since the simulator last reset it (at each plug-in: the per-plug-in figures), W. */
  plugInPeakPowerW = 0;
  currentRunawayAtMs: number | null = null;
  voltageRunawayAtMs: number | null = null;
  /** AC voltage present on the pins (fault injection); 0 = none. */
  acOnPinsV = 0;
  /** Highest voltage the module can still produce (fault `precharge-mismatch`: failed module strings), V. */
  voltageCeilingV = Number.POSITIVE_INFINITY;
  /** Highest output current and EVSE-side voltage seen (A, V): the "never above the limits" checks. */
  peakCurrentA = 0;
  peakVoltageV = 0;
  /** Highest discharge current seen (A, positive). */
  peakDischargeCurrentA = 0;
  /**
   * Energy (and so SOC) moves this many times faster than the current alone would move it: a live host's
   * simulated battery fills in minutes instead of hours while ramps, contactors and timeouts keep real time.
   */
  energyTimeScale = 1;
  /**
   * With {@link energyTimeScale} above 1: from this SOC (%) on, a charge moves energy at its real rate
   * again, so the approach to the EV's target SOC (its stop, the last requests, the ramp down) keeps the
   * resolution of an unscaled run. Default: never.
   */
  realRateFromSoc = Number.POSITIVE_INFINITY;
  /**
   * With {@link energyTimeScale} above 1: current ramps move energy at their real rate, only settled current
   * is scaled (a ramp lasts its real time in a real charge too; scaled, it would stand for K× its time).
   * Default false (live hosts scale everything).
   */
  realRateRamps = false;
  /** Time (ms) current flowed at the scaled rate: each stands for `energyTimeScale` ms of a real charge. */
  scaledMs = 0;

  constructor(module: PowerModuleConfig, battery: DcBatteryConfig, soc: number) {
    this.module = module;
    this.battery = battery;
    this.soc = soc;
  }

  /**
   * Take over the switch positions, set points, voltages and fault hooks of `old` (a reconfigured world);
   * the energy counters stay at 0.
   */
  adopt(old: DcPath): void {
    this.t = old.t;
    this.k1 = old.k1;
    this.k2 = old.k2;
    this.on = old.on;
    this.setV = old.setV;
    this.setI = old.setI;
    this.i = old.i;
    this.vLink = old.vLink;
    this.acOnPinsV = old.acOnPinsV;
    this.voltageCeilingV = old.voltageCeilingV;
    this.currentRunawayAtMs = old.currentRunawayAtMs;
    this.voltageRunawayAtMs = old.voltageRunawayAtMs;
    this.energyTimeScale = old.energyTimeScale;
    this.realRateFromSoc = old.realRateFromSoc;
    this.realRateRamps = old.realRateRamps;
  }

  get connected(): boolean {
    return this.k1 && this.k2;
  }
  get rTotal(): number {
    return this.battery.rIntOhm + SIM_DC_CABLE_OHM;
  }
  get ocvV(): number {
    return packOcvV(this.battery, this.soc);
  }
  /** Battery terminal voltage (V). */
  get batteryV(): number {
    return this.ocvV + (this.k2 ? this.i : 0) * this.battery.rIntOhm;
  }
  private runawayV(): number {
    return this.voltageRunawayAtMs === null ? 0 : SIM_RUNAWAY_V_PER_MS * (this.t - this.voltageRunawayAtMs);
  }
  /** Voltage the EVSE measures at its output (V). */
  get evseVoltageV(): number {
    return this.vLink + (this.connected ? this.i * SIM_DC_CABLE_OHM : 0) + this.runawayV();
  }
  /** Voltage at the EV inlet (V). */
  get inletVoltageV(): number {
    return this.vLink + this.runawayV();
  }
  /** Current still flowing with the output commanded off (the module ramping down after a stop or trip). */
  get windingDown(): boolean {
    return !this.on && this.i !== 0;
  }
  /** AC on the pins, as the EV's inlet sensing sees it. */
  get acPresent(): boolean {
    return this.acOnPinsV > 0;
  }
  /** Current into the EV through its inlet (A): through the EV contactors. */
  get inletCurrentA(): number {
    return this.k2 ? this.i : 0;
  }
  /** Power through the EVSE meter (W). */
  get powerW(): number {
    return this.connected ? this.evseVoltageV * this.i : 0;
  }

  /** Current the module is heading for, and the slope (A/ms). */
  private currentTarget(): { target: number; rate: number } {
    if (this.currentRunawayAtMs !== null)
      return { target: this.module.maxCurrentA * 4, rate: SIM_RUNAWAY_A_PER_MS };
    if (!this.on) return { target: 0, rate: this.module.shutdownAps / 1000 };
    const ocv = this.ocvV;
    if (this.setI < 0) {
      // discharge: the module sinks the set current, within its discharge current and power ratings
      const iMax = Math.min(
        this.module.maxDischargeCurrentA,
        this.module.maxDischargePowerW / Math.max(ocv, 1),
      );
      return { target: Math.max(this.setI, -iMax), rate: this.module.rampAps / 1000 };
    }
    const r = this.rTotal;
    const cv = Math.max(0, (this.setV - ocv) / r);
    const p = this.module.maxPowerW;
    const pw = (-ocv + Math.sqrt(ocv * ocv + 4 * r * p)) / (2 * r);
    return { target: Math.max(0, Math.min(this.setI, cv, pw)), rate: this.module.rampAps / 1000 };
  }

  private voltageTarget(): { target: number; rate: number } {
    if (this.k2) return { target: this.ocvV, rate: Number.POSITIVE_INFINITY };
    const target = this.k1 && this.on ? Math.min(this.setV, this.voltageCeilingV) : 0;
    const rate = target >= this.vLink ? this.module.voltageSlewVps : this.module.dischargeVps;
    return { target, rate: rate / 1000 };
  }

  /**
   * True while a quantity is still moving noticeably (current ramp, voltage slew/discharge, runaway): the
   * simulator then samples the path. Drifts below {@link SIM_SETTLED_A} / {@link SIM_SETTLED_V} (the CV and
   * power targets move slowly with the SOC) are integrated exactly but do not cause sampling.
   */
  transient(): boolean {
    if (this.currentRunawayAtMs !== null || this.voltageRunawayAtMs !== null) return true;
    if (this.connected) return Math.abs(this.currentTarget().target - this.i) > SIM_SETTLED_A;
    if (this.i !== 0) return true;
    return Math.abs(this.voltageTarget().target - this.vLink) > SIM_SETTLED_V;
  }

  /** Integrate up to `tMs`. */
  advance(tMs: number): void {
    const dt = tMs - this.t;
    if (dt <= 0) return;
    this.t = tMs;
    if (this.connected) {
      const { target, rate } = this.currentTarget();
      const i0 = this.i;
      const reach = rate > 0 ? Math.abs(target - i0) / rate : Number.POSITIVE_INFINITY;
      const d1 = Math.min(dt, reach);
      const i1 = d1 === reach ? target : i0 + Math.sign(target - i0) * rate * d1;
      const d2 = dt - d1;
      const rampI = ((i0 + i1) / 2) * d1;
      const rampI2 = (d1 * (i0 * i0 + i0 * i1 + i1 * i1)) / 3;
      const intI = rampI + i1 * d2;
      const intI2 = rampI2 + i1 * i1 * d2;
      const k = this.energyTimeScale;
      let eI = intI * k;
      let eI2 = intI2 * k;
      if (k !== 1 && (this.realRateRamps || this.realRateFromSoc !== Number.POSITIVE_INFINITY)) {
        // the scaled part: settled current (and the ramp too unless realRateRamps), up to realRateFromSoc
        const sI = this.realRateRamps ? i1 * d2 : intI;
        const sI2 = this.realRateRamps ? i1 * i1 * d2 : intI2;
        const s = this.rateScale(sI);
        eI = intI + sI * (s - 1);
        eI2 = intI2 + sI2 * (s - 1);
        if (sI !== 0) this.scaledMs += ((s - 1) / (k - 1)) * (this.realRateRamps ? d2 : dt);
      } else if (intI !== 0 && k !== 1) this.scaledMs += dt;
      const stored = (this.ocvV * eI) / MS_PER_H;
      const losses = (this.rTotal * eI2) / MS_PER_H;
      this.storedWh += stored;
      this.lossesWh += losses;
      this.energyWh += stored + losses;
      if (stored + losses < 0) this.dischargedWh -= stored + losses;
      if (intI !== 0) this.chargingMs += dt;
      this.soc = socAfter(this.battery, this.soc, stored);
      this.i = i1;
      this.vLink = this.ocvV + i1 * this.battery.rIntOhm;
      this.notePower(this.powerW);
      this.notePeaks();
      return;
    }
    this.i = 0;
    const { target, rate } = this.voltageTarget();
    if (!Number.isFinite(rate)) this.vLink = target;
    else if (this.vLink < target) this.vLink = Math.min(target, this.vLink + rate * dt);
    else this.vLink = Math.max(target, this.vLink - rate * dt);
    this.notePeaks();
  }

  /**
   * The energy scale of the scaled part of an interval, carrying `intI` (A·ms): {@link energyTimeScale}, or 1 from
   * {@link realRateFromSoc} on while charging. An interval that reaches that SOC is split in time: the
   * part up to it scaled, the rest at the real rate (its current taken as even over the interval).
   */
  private rateScale(intI: number): number {
    const k = this.energyTimeScale;
    if (k === 1 || intI <= 0) return k;
    const from = this.realRateFromSoc;
    if (this.soc >= from) return 1;
    const dSoc = (100 * this.ocvV * intI * k) / MS_PER_H / this.battery.capacityWh;
    if (this.soc + dSoc <= from) return k;
    const f = (from - this.soc) / dSoc; // the scaled fraction of the interval
    return f * k + (1 - f);
  }

  /** Keep the highest power: of the whole run and since the last plug-in. */
  protected notePower(p: number): void {
    if (p > this.peakPowerW) this.peakPowerW = p;
    if (p > this.plugInPeakPowerW) this.plugInPeakPowerW = p;
    if (-p > this.peakDischargePowerW) this.peakDischargePowerW = -p;
  }

  private notePeaks(): void {
    if (this.i > this.peakCurrentA) this.peakCurrentA = this.i;
    if (-this.i > this.peakDischargeCurrentA) this.peakDischargeCurrentA = -this.i;
    const v = this.evseVoltageV;
    if (v > this.peakVoltageV) this.peakVoltageV = v;
  }
}
