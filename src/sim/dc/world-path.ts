/**
 * Building the simulated world's power path: DC (power module, contactors, battery) or AC (mains relay,
 * on-board charger, battery), and rebuilding it when a host names another charger or vehicle while
 * unplugged. Pure apart from the path objects it creates.
 */
import type { DcBatteryConfig } from "../../ev/dc/battery.js";
import type { PowerModuleConfig } from "../../evse/dc/power-module.js";
import { AcPath } from "./ac-path.js";
import { DcPath } from "./physics.js";
import type { DcWorldConfig, DcWorldSettings } from "./world.js";

/** The power path of this charger: AC (relay and on-board charger) or DC (power module and contactors). */
export function newPath(
  cfg: Pick<DcWorldConfig, "ac">,
  module: PowerModuleConfig,
  battery: DcBatteryConfig,
  soc: number,
): DcPath {
  return cfg.ac ? new AcPath(module, battery, soc, cfg.ac) : new DcPath(module, battery, soc);
}

/**
 * A new path for the settings `c` (the rest as in `old`), taking over the old one's switches and set
 * points with the energy counters at 0. Updates `cfg` (module, battery, SOC, AC supply) in place.
 */
export function rebuildPath(
  old: DcPath,
  cfg: DcWorldConfig,
  obcMaxA0: number,
  c: DcWorldSettings,
): { path: DcPath; obcMaxA: number; summary: string } {
  const module = c.module ?? old.module;
  const battery = c.battery ?? old.battery;
  const soc = c.socPercent ?? old.soc;
  const obcMaxA = c.obcMaxCurrentA ?? obcMaxA0;
  const supply =
    c.supply ?? (cfg.ac ? { kind: "ac" as const, voltageV: cfg.ac.supplyV } : { kind: "dc" as const });
  if (supply.kind === "ac") cfg.ac = { supplyV: supply.voltageV, obcMaxA };
  else delete cfg.ac;
  const path = newPath(cfg, module, battery, soc);
  path.adopt(old);
  cfg.module = module;
  cfg.battery = battery;
  cfg.socStart = soc;
  const charger =
    supply.kind === "ac"
      ? `${supply.voltageV} V AC supply, on-board charger ${obcMaxA} A`
      : `${module.variant} module ${module.maxPowerW / 1000} kW`;
  return {
    path,
    obcMaxA,
    summary: `${charger}, ${battery.voltageClass} battery ${battery.capacityWh / 1000} kWh at ${soc} %`,
  };
}
