/**
 * Helpers to script simulator scenarios (tests, benchmarks, examples): build an {@link AcSim} from partial
 * options (trace look-ups are in trace.ts).
 */

import { type EvAcConfig, evAcConfig } from "../ev/basic-ac.js";
import { type EvseAcConfig, evseAcConfig } from "../evse/basic-ac.js";
import { AcSim } from "./ac-sim.js";

/** Partial scenario options; everything has a default (75 kWh at 50 %, target 80 %, 32 A, 240 V, seed 1). */
export interface ScenarioOptions {
  evse?: Partial<EvseAcConfig>;
  ev?: Partial<EvAcConfig>;
  batteryKwh?: number;
  batteryMaxChargeW?: number;
  socStart?: number;
  targetSoc?: number;
  gridVoltageV?: number;
  seed?: number | null;
}

/** Build a simulator (not yet plugged in). */
export function createAcSim(o: ScenarioOptions = {}): AcSim {
  const evse = evseAcConfig(o.evse);
  return new AcSim({
    evse,
    ev: evAcConfig(o.ev),
    battery: { capacityKwh: o.batteryKwh ?? 75, maxChargeW: o.batteryMaxChargeW ?? 11_500 },
    socStart: o.socStart ?? 50,
    targetSoc: o.targetSoc ?? 80,
    gridVoltageV: o.gridVoltageV ?? evse.supplyVoltageV,
    seed: o.seed === undefined ? 1 : o.seed,
  });
}
