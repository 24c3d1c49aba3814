/**
 * Simple pure DC power path for tests and the simulator: a power stage that slews its voltage
 * and current toward the set point, the EVSE and EV contactors, the battery and the energy meter.
 * - Both contactors closed: the stage drives current into the battery, limited by its current set point and
 *   by constant voltage (terminal voltage ≤ set voltage); output voltage = battery terminal voltage.
 * - Otherwise the output is open: the voltage slews to the set point (or discharges when off), no current.
 * Slew rates are model parameters, not digest figures.
 */
import type { SeccPortCommand } from "../secc-ports.js";
import { advanceBattery, type BatteryModel, ocv, terminalVoltage } from "./battery.js";

/** Power-stage parameters. */
export interface PowerStageParams {
  voltageSlewVps: number;
  currentSlewAps: number;
  dischargeVps: number;
}

/** Default: 400 V/s voltage slew, 200 A/s current slew, 1000 V/s discharge. */
export const DEFAULT_POWER_STAGE: PowerStageParams = {
  voltageSlewVps: 400,
  currentSlewAps: 200,
  dischargeVps: 1000,
};

/** DC plant state. */
export interface DcPlant {
  p: PowerStageParams;
  on: boolean;
  setV: number;
  setI: number;
  outV: number;
  outI: number;
  evseContactorsClosed: boolean;
  evContactorsClosed: boolean;
  battery: BatteryModel;
  energyWh: number;
}

/** A de-energised plant with `battery`. */
export function createDcPlant(battery: BatteryModel, p: PowerStageParams = DEFAULT_POWER_STAGE): DcPlant {
  return {
    p,
    on: false,
    setV: 0,
    setI: 0,
    outV: 0,
    outI: 0,
    evseContactorsClosed: false,
    evContactorsClosed: false,
    battery,
    energyWh: 0,
  };
}

/** Apply a SECC power-stage or contactor command (isolation commands are the monitor's). */
export function applySeccCommand(d: DcPlant, c: SeccPortCommand): DcPlant {
  if (c.port === "power-stage")
    return c.op === "set"
      ? { ...d, on: true, setV: c.voltageV, setI: c.currentA }
      : { ...d, on: false, setI: 0 };
  if (c.port === "contactors") return { ...d, evseContactorsClosed: c.op === "close" };
  return d;
}

function toward(x: number, target: number, maxStep: number): number {
  return x < target ? Math.min(target, x + maxStep) : Math.max(target, x - maxStep);
}

/** Advance the plant by `dtMs`. */
export function advanceDcPlant(d: DcPlant, dtMs: number): DcPlant {
  const dt = dtMs / 1000;
  const connected = d.evseContactorsClosed && d.evContactorsClosed;
  if (connected) {
    const b = d.battery;
    const iCv = Math.max(0, (d.setV - ocv(b)) / b.p.rIntOhm);
    const target = d.on ? Math.min(d.setI, iCv) : 0;
    const i = toward(d.outI, target, d.p.currentSlewAps * dt);
    const battery = advanceBattery(b, i, dtMs);
    const v = terminalVoltage(battery);
    return { ...d, battery, outI: i, outV: v, energyWh: d.energyWh + (v * i * dtMs) / 3_600_000 };
  }
  const battery = d.battery.currentA === 0 ? d.battery : { ...d.battery, currentA: 0 };
  const vTarget = d.on && d.evseContactorsClosed ? d.setV : 0;
  const rate = vTarget < d.outV ? d.p.dischargeVps : d.p.voltageSlewVps;
  return { ...d, battery, outI: 0, outV: toward(d.outV, vTarget, rate * dt) };
}

/** Voltage at the EV inlet: the output when the EVSE contactors are closed, the battery when the EV's are. */
export function inletVoltage(d: DcPlant): number {
  if (d.evContactorsClosed) return terminalVoltage(d.battery);
  return d.evseContactorsClosed ? d.outV : 0;
}
