/**
 * The cable between the simulated EVSE and EV: what each side can physically observe, computed from the
 * other side's components and switch positions (SAE J1772 / IEC 61851-1 pilot circuit, J1772
 * proximity network). The EVSE sees only the CP plateau
 * voltages at its sense point (through `cpSampleFor`); the EV sees only the pilot waveform (its duty, or a
 * steady level), its PP voltage and the AC voltage at the inlet. No controller state crosses the cable.
 */
import {
  CP_R1_TOLERANCE,
  CP_SOURCE_TOLERANCE,
  type CpLineFault,
  type CpSample,
  cpPlateaus,
  cpSampleFor,
  DUTY_F,
  DUTY_X1,
  EV_DIODE_DROP_MAX_V,
  EV_DIODE_DROP_MIN_V,
  EV_R_TOLERANCE,
  type EvCpLoad,
  type EvseCpSource,
  NOMINAL_EV_LOAD,
  NOMINAL_EVSE_SOURCE,
  NOMINAL_PP_NETWORK,
  PP_TOLERANCE_AC,
  type PpConnector,
  type PpNetwork,
} from "../pilot/index.js";
import type { Rng } from "./rng.js";

/** Noise on each EVSE ADC reading of a CP plateau (± V, uniform). Design choice (D). */
export const SIM_ADC_NOISE_V = 0.05;
/** Lowest positive pulse level the EV's pilot input recognises as "high" (V). Design choice (D). */
export const EV_PWM_HIGH_MIN_V = 1;
/** Resolution of the EV's duty measurement (%, measured duty is rounded down to it). Design choice (D). */
export const EV_DUTY_RESOLUTION_PCT = 0.1;

/** Component values of one simulated cable set-up, drawn within tolerance. */
export interface CableComponents {
  src: EvseCpSource;
  /** EV CP load with S2 and ventilation open; the simulator sets the switches. */
  evLoad: EvCpLoad;
  ppNetwork: PpNetwork;
}

/**
 * Draw component values within their tolerances (source ±5 % and R1 ±3 % per the EVerest bring-up guide;
 * EV resistors ±3 % and diode 0.55–0.85 V unconfirmed; PP ±3 % per an SAE J3400-2023 overview page,
 * unconfirmed). With `rng` null the nominal values are used.
 */
export function drawComponents(rng: Rng | null): CableComponents {
  if (!rng) {
    return {
      src: { ...NOMINAL_EVSE_SOURCE },
      evLoad: { ...NOMINAL_EV_LOAD },
      ppNetwork: { ...NOMINAL_PP_NETWORK },
    };
  }
  return {
    src: {
      vHigh: rng.tolerance(NOMINAL_EVSE_SOURCE.vHigh, CP_SOURCE_TOLERANCE),
      vLow: rng.tolerance(NOMINAL_EVSE_SOURCE.vLow, CP_SOURCE_TOLERANCE),
      r1: rng.tolerance(NOMINAL_EVSE_SOURCE.r1, CP_R1_TOLERANCE),
    },
    evLoad: {
      ...NOMINAL_EV_LOAD,
      rFixed: rng.tolerance(NOMINAL_EV_LOAD.rFixed, EV_R_TOLERANCE),
      rS2: rng.tolerance(NOMINAL_EV_LOAD.rS2, EV_R_TOLERANCE),
      rVent: rng.tolerance(NOMINAL_EV_LOAD.rVent, EV_R_TOLERANCE),
      diodeDrop: rng.uniform(EV_DIODE_DROP_MIN_V, EV_DIODE_DROP_MAX_V),
    },
    ppNetwork: {
      vPullUp: rng.tolerance(NOMINAL_PP_NETWORK.vPullUp, PP_TOLERANCE_AC),
      rPullUp: rng.tolerance(NOMINAL_PP_NETWORK.rPullUp, PP_TOLERANCE_AC),
      rPullDown: rng.tolerance(NOMINAL_PP_NETWORK.rPullDown, PP_TOLERANCE_AC),
    },
  };
}

/** Physical state of the cable: what is plugged, switch positions, faults, and the EVSE generator. */
export interface CableState {
  components: CableComponents;
  /** CP and PE of the EV connected to the EVSE (the plug is in). */
  plugged: boolean;
  /** Connector-side PP network (what the handle presents). */
  ppConnector: PpConnector;
  lineFault: CpLineFault;
  s2Closed: boolean;
  ventClosed: boolean;
  diode: EvCpLoad["diode"];
  /** Duty the EVSE generator produces (0 = F, 100 = X1). */
  genDuty: number;
}

/** The EV load as the EVSE sees it, or null when nothing is plugged. */
export function evLoadOf(c: CableState): EvCpLoad | null {
  if (!c.plugged) return null;
  return { ...c.components.evLoad, s2Closed: c.s2Closed, ventClosed: c.ventClosed, diode: c.diode };
}

/** One EVSE ADC sample of the CP at `tMs` (plateaus from the circuit, plus ADC noise). */
export function evseSample(c: CableState, tMs: number, rng: Rng | null): CpSample {
  const s = cpSampleFor(c.components.src, evLoadOf(c), c.genDuty, tMs, c.lineFault);
  if (!rng) return s;
  return {
    ...s,
    high: s.high + rng.uniform(-SIM_ADC_NOISE_V, SIM_ADC_NOISE_V),
    low: s.low + rng.uniform(-SIM_ADC_NOISE_V, SIM_ADC_NOISE_V),
  };
}

/**
 * The duty the EV measures on its pilot input: the fraction of the period the CP is above
 * {@link EV_PWM_HIGH_MIN_V}, rounded down to {@link EV_DUTY_RESOLUTION_PCT}. No pilot (unplugged, CP wire
 * open, CP shorted) reads as 0 %; a steady positive level as 100 %.
 */
export function evMeasuredDuty(c: CableState): number {
  if (!c.plugged || c.lineFault !== "none") return DUTY_F;
  const p = cpPlateaus(c.components.src, evLoadOf(c), c.lineFault);
  if (c.genDuty <= DUTY_F || p.high < EV_PWM_HIGH_MIN_V) return DUTY_F;
  if (c.genDuty >= DUTY_X1) return DUTY_X1;
  const steps = Math.floor(c.genDuty / EV_DUTY_RESOLUTION_PCT + 1e-9);
  return Math.round(steps * EV_DUTY_RESOLUTION_PCT * 1000) / 1000;
}

/** The PP connector the EV's network sees (nothing when unplugged). */
export function ppSeenByEv(c: CableState): PpConnector {
  return c.plugged ? c.ppConnector : { kind: "none" };
}

/** A cable with components drawn from `rng`, not plugged in, no faults, the EVSE pilot at X1 (+12 V). */
export function unpluggedCable(rng: Rng | null): CableState {
  return {
    components: drawComponents(rng),
    plugged: false,
    ppConnector: { kind: "none" },
    lineFault: "none",
    s2Closed: false,
    ventClosed: false,
    diode: "ok",
    genDuty: DUTY_X1,
  };
}
