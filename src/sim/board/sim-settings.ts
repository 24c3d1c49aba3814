/**
 * The `sim` settings of a host hello (src/link/board/messages.ts `hostHelloSimSchema`): how a host tells a
 * board *simulator* which charger or vehicle to simulate, and how the simulator applies them to its
 * {@link DcWorld} (`configure`, while unplugged). Real boards ignore the field. Platform-neutral.
 */
import { type DcBatteryConfig, dcBatteryConfig } from "../../ev/dc/battery.js";
import { type PowerModuleConfig, powerModuleConfig } from "../../evse/dc/power-module.js";
import type { HostHelloSim } from "../../link/board/messages.js";
import type { DcWorld, DcWorldSettings } from "../dc/world.js";

export { withHelloSim } from "../../link/board/hello-sim.js";

/** What a host knows of the world it wants: its charger's module, its vehicle's battery and SOC. */
export interface SimSettingsSource {
  module?: PowerModuleConfig;
  battery?: DcBatteryConfig;
  socPercent?: number;
  supply?: HostHelloSim["supply"];
  obcMaxCurrentA?: number;
}

/** The hello `sim` object for a module / battery / SOC (the numeric fields the schema carries). */
export function helloSimOf(s: SimSettingsSource): HostHelloSim {
  const out: HostHelloSim = {};
  if (s.module) {
    const { variant, maxVoltageV, minVoltageV, maxCurrentA, maxPowerW } = s.module;
    out.module = { variant, maxVoltageV, minVoltageV, maxCurrentA, maxPowerW };
  }
  if (s.battery) {
    const { voltageClass, capacityWh, rIntOhm, maxCurrentA, maxPowerW, maxVoltageV } = s.battery;
    out.battery = { voltageClass, capacityWh, rIntOhm, maxCurrentA, maxPowerW, maxVoltageV };
  }
  if (s.socPercent !== undefined) out.socPercent = s.socPercent;
  if (s.supply) out.supply = s.supply;
  if (s.obcMaxCurrentA !== undefined) out.obcMaxCurrentA = s.obcMaxCurrentA;
  return out;
}

/**
 * The world settings a hello `sim` object asks for, relative to the world's current module and battery:
 * a different `variant` / `voltageClass` starts from that class's defaults (keeping the power / capacity),
 * otherwise the given fields replace the current ones.
 */
export function worldSettingsOf(world: DcWorld, sim: HostHelloSim): DcWorldSettings {
  const out: DcWorldSettings = {};
  const cur = world.path;
  if (sim.module) {
    const { variant, ...rest } = sim.module;
    const over = defined(rest);
    out.module =
      variant !== undefined && variant !== cur.module.variant
        ? powerModuleConfig(variant, over.maxPowerW ?? cur.module.maxPowerW, over)
        : { ...cur.module, ...over };
  }
  if (sim.battery) {
    const { voltageClass, ...rest } = sim.battery;
    const over = defined(rest);
    out.battery =
      voltageClass !== undefined && voltageClass !== cur.battery.voltageClass
        ? dcBatteryConfig(voltageClass, (over.capacityWh ?? cur.battery.capacityWh) / 1000, over)
        : { ...cur.battery, ...over };
  }
  if (sim.socPercent !== undefined) out.socPercent = sim.socPercent;
  if (sim.supply) out.supply = sim.supply;
  if (sim.obcMaxCurrentA !== undefined) out.obcMaxCurrentA = sim.obcMaxCurrentA;
  return out;
}

/** Apply a hello's `sim` settings to the world (throws while plugged in, see `DcWorld.configure`). */
export function applyHelloSim(world: DcWorld, sim: HostHelloSim): void {
  const s = worldSettingsOf(world, sim);
  if (Object.keys(s).length > 0) world.configure(s);
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
