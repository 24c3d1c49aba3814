/**
 * DC power module of the EVSE: voltage/current/power limits, ramp rates, regulation tolerance,
 * in a legacy 500 V and a J3400 1000 V variant. Pure data and set-point arithmetic; the simulator
 * integrates the output over time (src/sim/dc/physics.ts).
 */
import type { DcLimits } from "../../v2g/index.js";

/** J3400 maximum DC voltage: 1000 V. SAE J3400 RP (as reported by evmagz.com). */
export const J3400_MAX_DC_VOLTAGE_V = 1000;
/** Legacy Tesla (NACS) DC voltage: 500 V. Tesla's published spec (as reported by tflcar.com). */
export const LEGACY_MAX_DC_VOLTAGE_V = 500;
/**
 * NACS current: Tesla's published spec 400 A (tflcar.com) versus "in excess of 650 A" (Wikipedia NACS
 * infobox), a conflict; we take the lower published rating as the default module limit.
 */
export const NACS_MAX_DC_CURRENT_A = 400;
/** V3 Supercharger continuous power: 250 kW. Tesla (tflcar.com, telematicswire.net). */
export const V3_SUPERCHARGER_POWER_W = 250_000;
/** Lowest regulated output voltage of our modules (V). Design choice (D). */
export const DC_MODULE_MIN_VOLTAGE_V = 150;
/** Normal current ramp rate (A/s) for set-point changes. Design choice (D). */
export const DC_MODULE_RAMP_A_PER_S = 200;
/** Current fall rate when commanded off (A/s): 0.4 ms from 400 A. Design choice (D). */
export const DC_MODULE_SHUTDOWN_A_PER_S = 1_000_000;
/** Output voltage slew while no battery is connected (V/s, cable check / pre-charge). Design choice (D). */
export const DC_MODULE_VOLTAGE_SLEW_V_PER_S = 500;
/** Output discharge rate once off (V/s): below 60 V within ≈ 1 s from 1000 V. Design choice (D). */
export const DC_MODULE_DISCHARGE_V_PER_S = 1_000;
/** EVSECurrentRegulationTolerance announced (A). Design choice; accuracy per IEC 61851-23:2023 CC.6.3 is ±1.5 % / 0.5 A. */
export const DC_MODULE_REGULATION_TOLERANCE_A = 5;
/** EVSEPeakCurrentRipple announced (A). Design choice (D). */
export const DC_MODULE_PEAK_RIPPLE_A = 5;

/** Module variant: legacy 500 V or J3400 1000 V. */
export type ModuleVariant = "500v" | "1000v";

/** Power-module configuration. */
export interface PowerModuleConfig {
  variant: ModuleVariant;
  maxVoltageV: number;
  minVoltageV: number;
  maxCurrentA: number;
  maxPowerW: number;
  /**
   * Discharge limits (positive magnitudes): a bidirectional module sinks up to this current and power from the
   * EV (ISO 15118-20 DC_BPT). 0 = unidirectional.
   */
  maxDischargeCurrentA: number;
  maxDischargePowerW: number;
  rampAps: number;
  shutdownAps: number;
  voltageSlewVps: number;
  dischargeVps: number;
  regulationToleranceA: number;
  peakRippleA: number;
}

/** A module of `variant` with `maxPowerW` (default 250 kW) and optional overrides. */
export function powerModuleConfig(
  variant: ModuleVariant = "1000v",
  maxPowerW = V3_SUPERCHARGER_POWER_W,
  over: Partial<PowerModuleConfig> = {},
): PowerModuleConfig {
  return {
    variant,
    maxVoltageV: variant === "500v" ? LEGACY_MAX_DC_VOLTAGE_V : J3400_MAX_DC_VOLTAGE_V,
    minVoltageV: DC_MODULE_MIN_VOLTAGE_V,
    maxCurrentA: NACS_MAX_DC_CURRENT_A,
    maxPowerW,
    maxDischargeCurrentA: NACS_MAX_DC_CURRENT_A,
    maxDischargePowerW: maxPowerW,
    rampAps: DC_MODULE_RAMP_A_PER_S,
    shutdownAps: DC_MODULE_SHUTDOWN_A_PER_S,
    voltageSlewVps: DC_MODULE_VOLTAGE_SLEW_V_PER_S,
    dischargeVps: DC_MODULE_DISCHARGE_V_PER_S,
    regulationToleranceA: DC_MODULE_REGULATION_TOLERANCE_A,
    peakRippleA: DC_MODULE_PEAK_RIPPLE_A,
    ...over,
  };
}

/** The module's limits as the SECC announces them (DC_EVSEChargeParameter of ChargeParameterDiscoveryRes, DIN 70121 / ISO 15118-2). */
export function moduleDcLimits(c: PowerModuleConfig): DcLimits {
  return {
    maxVoltageV: c.maxVoltageV,
    maxCurrentA: c.maxCurrentA,
    maxPowerW: c.maxPowerW,
    minVoltageV: c.minVoltageV,
    minCurrentA: 0,
    maxDischargeCurrentA: c.maxDischargeCurrentA,
    maxDischargePowerW: c.maxDischargePowerW,
    regulationToleranceA: c.regulationToleranceA,
    peakCurrentRippleA: c.peakRippleA,
  };
}

/** Clamp a set point to the module's limits (voltage, current, and current by power at that voltage). */
export function clampSetPoint(
  c: PowerModuleConfig,
  voltageV: number,
  currentA: number,
): { voltageV: number; currentA: number } {
  const v = Math.max(0, Math.min(voltageV, c.maxVoltageV));
  const i = Math.max(0, Math.min(currentA, c.maxCurrentA, c.maxPowerW / Math.max(v, 1)));
  return { voltageV: v, currentA: i };
}
