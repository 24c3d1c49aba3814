/** The `nacs simulate` options of one fleet session: what `nacs simulate --seed S …` alone would parse. */
import type { FleetSessionSpec } from "../../sim/fleet/index.js";
import { parseSimulateOptions, type SimulateOptions } from "./simulate-options.js";

/** Parse the session's flags as `nacs simulate` does (no record files). */
export function fleetSessionSimulateOptions(spec: FleetSessionSpec): SimulateOptions {
  return parseSimulateOptions({ ...spec.options, record: false });
}
