/** Helpers for the board-simulator tests (not exported from the package). */
import { type DcBatteryConfig, dcBatteryConfig } from "../../ev/dc/battery.js";
import { type PowerModuleConfig, powerModuleConfig } from "../../evse/dc/power-module.js";
import type { Clock } from "../../machine/index.js";
import { DcWorld } from "../dc/world.js";

/** A nominal, noiseless world (250 kW 1000 V charger, 75 kWh 800 V pack at 20 %) on `clock`. */
export function testWorld(
  clock: Clock,
  o: { module?: PowerModuleConfig; battery?: DcBatteryConfig; measureEveryMs?: number } = {},
): DcWorld {
  return new DcWorld({
    module: o.module ?? powerModuleConfig("1000v", 250_000),
    battery: o.battery ?? dcBatteryConfig("800v", 75),
    socStart: 20,
    clock,
    rng: null,
    record() {},
    ...(o.measureEveryMs !== undefined && { measureEveryMs: o.measureEveryMs }),
  });
}

/** Resolve when `check()` is true (polled every 5 ms); reject after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timeout after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
