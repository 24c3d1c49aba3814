/**
 * The AC power path of the simulator, for a charger whose J3400 pins are wired to the mains: supply →
 * EVSE relay (K1) → cable → inlet → on-board charger (OBC) → battery. The OBC draws the current it was
 * commanded (the `charger` effect, at most its own maximum), ramping at {@link SIM_OBC_RAMP_A_PER_MS}, once
 * the relay is closed and the inlet voltage is within its input window (ANSI C84.1 range B).
 *
 * Energy definitions, as for DC:
 *   delivered (EVSE meter, at the relay, net) = stored + losses
 *   losses = OBC conversion loss (src/ev/obc.ts) — the cable loss of a 48 A AC circuit is neglected
 *   stored = what reaches the battery (moves the SOC)
 *
 * A bidirectional OBC (ISO 15118-20 AC_BPT) feeds current back when commanded a negative current: the meter
 * runs backwards (delivered goes negative), `dischargedWh` counts the export, the battery gives the exported
 * energy plus the conversion loss — energy at the meter = −(energy out of the battery − losses), the same
 * balance with a negative `stored`.
 *
 * The same class shape as {@link DcPath}, so the world, the faults and the reports read both alike: `k1` is
 * the relay, `k2` (the EV's DC contactors) stays open, `i` is the AC RMS current.
 */
import type { DcBatteryConfig } from "../../ev/dc/battery.js";
import { socAfter } from "../../ev/dc/battery.js";
import { OBC_NO_LOAD_LOSS_W, OBC_PROPORTIONAL_LOSS, obcSupplyVerdict } from "../../ev/obc.js";
import type { PowerModuleConfig } from "../../evse/dc/power-module.js";
import { DcPath, SIM_SETTLED_A } from "./physics.js";

/** OBC current ramp up (A/ms): 48 A in about half a second. Design choice (D). */
export const SIM_OBC_RAMP_A_PER_MS = 0.1;
/** OBC current ramp down (A/ms): 48 A in about 5 ms when told to stop. Design choice (D). */
export const SIM_OBC_RAMP_DOWN_A_PER_MS = 10;

const MS_PER_H = 3_600_000;

/** The AC power path. Mutable, owned by the simulator. */
export class AcPath extends DcPath {
  /** Supply voltage behind the relay (V RMS). */
  readonly supplyV: number;
  /** Current the OBC was commanded to draw at most (A). */
  obcSetA = 0;
  /** The OBC's own maximum input current (A); also its most fed back. */
  readonly obcMaxA: number;

  constructor(
    module: PowerModuleConfig,
    battery: DcBatteryConfig,
    soc: number,
    ac: { supplyV: number; obcMaxA: number },
  ) {
    super(module, battery, soc);
    this.supplyV = ac.supplyV;
    this.obcMaxA = ac.obcMaxA;
  }

  override adopt(old: DcPath): void {
    super.adopt(old);
    if (old instanceof AcPath) this.obcSetA = old.obcSetA;
  }

  /** The on-board charger ramps down while the relay is still closed. */
  override get windingDown(): boolean {
    return this.k1 && Math.abs(this.i) > Math.abs(this.target());
  }

  /** The relay is closed: AC on the pins. */
  override get connected(): boolean {
    return this.k1;
  }
  override get acPresent(): boolean {
    return this.k1 || this.acOnPinsV > 0;
  }
  override get evseVoltageV(): number {
    return this.k1 ? this.supplyV : 0;
  }
  override get inletVoltageV(): number {
    return this.k1 ? this.supplyV : this.acOnPinsV;
  }
  override get inletCurrentA(): number {
    return this.k1 ? this.i : 0;
  }
  override get batteryV(): number {
    const pOut = this.outputW(this.i);
    return this.ocvV + (pOut / Math.max(this.ocvV, 1)) * this.battery.rIntOhm;
  }

  /** Battery-side power (W) at input current `i` (A): charging input minus loss, discharging −(export + loss). */
  private outputW(i: number): number {
    const pin = this.supplyV * i;
    if (pin > 0) return Math.max(0, pin - OBC_NO_LOAD_LOSS_W - OBC_PROPORTIONAL_LOSS * pin);
    if (pin < 0) return pin - OBC_NO_LOAD_LOSS_W + OBC_PROPORTIONAL_LOSS * pin;
    return 0;
  }

  private target(): number {
    if (!this.k1 || obcSupplyVerdict(this.supplyV) !== "ok") return 0;
    return Math.max(-this.obcMaxA, Math.min(this.obcSetA, this.obcMaxA));
  }

  override transient(): boolean {
    return Math.abs(this.target() - this.i) > SIM_SETTLED_A;
  }

  /** Integrate up to `tMs`: the OBC current ramps linearly toward its target, exact ∫I dt per interval. */
  override advance(tMs: number): void {
    const dt = tMs - this.t;
    if (dt <= 0) return;
    this.t = tMs;
    if (!this.k1) {
      // The relay breaks the circuit: no current, nothing on the pins (the world advances the path before
      // it moves a switch, so the interval up to the opening was integrated with the relay closed).
      this.i = 0;
      this.vLink = 0;
      return;
    }
    const target = this.target();
    const i0 = this.i;
    // slow toward a larger magnitude (either direction), fast toward zero
    const rate = Math.abs(target) > Math.abs(i0) ? SIM_OBC_RAMP_A_PER_MS : SIM_OBC_RAMP_DOWN_A_PER_MS;
    const reach = Math.abs(target - i0) / rate;
    const d1 = Math.min(dt, reach);
    const i1 = d1 === reach ? target : i0 + Math.sign(target - i0) * rate * d1;
    // one interval stays on one side of zero in practice (the OBC is stopped before it turns round); the
    // integral is signed, the loss goes with the magnitude
    const intI = ((i0 + i1) / 2) * d1 + i1 * (dt - d1);
    const drawMs = (i0 !== 0 || i1 !== 0 ? d1 : 0) + (i1 !== 0 ? dt - d1 : 0);
    const scale = this.energyTimeScale;
    const inputWh = (this.supplyV * intI * scale) / MS_PER_H;
    const lossWh =
      ((OBC_NO_LOAD_LOSS_W * drawMs) / MS_PER_H) * scale + OBC_PROPORTIONAL_LOSS * Math.abs(inputWh);
    const losses = inputWh > 0 ? Math.min(inputWh, lossWh) : inputWh < 0 ? lossWh : 0;
    const stored = inputWh - losses;
    this.energyWh += inputWh;
    if (inputWh < 0) this.dischargedWh -= inputWh;
    this.lossesWh += losses;
    this.storedWh += stored;
    if (intI !== 0) this.chargingMs += dt;
    this.soc = socAfter(this.battery, this.soc, stored);
    this.i = i1;
    this.vLink = this.evseVoltageV;
    this.notePower(this.powerW); // charge peak, or the discharge peak when negative
    if (this.i > this.peakCurrentA) this.peakCurrentA = this.i;
    if (-this.i > this.peakDischargeCurrentA) this.peakDischargeCurrentA = -this.i;
    if (this.evseVoltageV > this.peakVoltageV) this.peakVoltageV = this.evseVoltageV;
  }
}
