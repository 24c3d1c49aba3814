/** Test support: a DC world (150 kW module, 200 kWh battery at 50 %) whose EVSE-side measurements are kept. */
import { dcBatteryConfig } from "../../ev/dc/index.js";
import { powerModuleConfig } from "../../evse/dc/index.js";
import type { Clock } from "../../machine/index.js";
import { DcWorld, type DcWorldConfig } from "./world.js";

/** A world on `clock` measuring every `measureEveryMs` (0: only on change); `measures`: each measurement's time. */
export function measuringWorld(
  clock: Clock,
  measureEveryMs: number,
  more: Partial<
    Pick<DcWorldConfig, "slowMeasureMs" | "measureFloorMs" | "measureHint" | "periodicSamples">
  > = {},
): { w: DcWorld; measures: number[] } {
  const w = new DcWorld({
    module: powerModuleConfig("1000v", 150_000),
    battery: dcBatteryConfig("800v", 200),
    socStart: 50,
    clock,
    rng: null,
    record: () => {},
    measureEveryMs,
    ...more,
  });
  const measures: number[] = [];
  w.sides = { evse: (ev) => ev.kind === "measure" && measures.push(ev.tMs), ev: () => {} };
  return { w, measures };
}
