/**
 * What each named fault (faults.ts) does: hardware faults change the world (and work on a live host with
 * the simulated board), the others the wiring between the controllers. Detection is always left to the
 * controllers' own measurements.
 */

import { SIM_LINK_STATUS_POLL_MS } from "./constants.js";
import type { DcSim } from "./dc-sim.js";
import {
  FAULT_AC_ON_PINS_V,
  FAULT_ISOLATION_OHM,
  FAULT_OVER_LIMIT_FACTOR,
  FAULT_OVER_LIMIT_MS,
  FAULT_PRECHARGE_SHORTFALL_V,
  type FaultName,
} from "./faults.js";
import type { DcWorld } from "./world.js";

/** Faults that are the hardware's alone: a live host with the simulated board can inject these too. */
export const WORLD_FAULTS: readonly FaultName[] = Object.freeze([
  "cp-short",
  "cp-open",
  "cp-to-f",
  "diode-short",
  "missing-diode",
  "pp-unlatched",
  "lock-opened",
  "isolation-cable-check",
  "isolation-charging",
  "over-voltage",
  "over-current",
  "emergency-stop",
  "precharge-mismatch",
  "welded-contactor",
  "ac-on-dc-pins",
] as FaultName[]);

/** Apply hardware fault `name` to `world` now; false when `name` is not a hardware fault. */
export function applyWorldFault(world: DcWorld, name: FaultName): boolean {
  const now = world.now;
  switch (name) {
    case "cp-short":
      world.cable.lineFault = "cp-short-pe";
      world.physicalChange(true, false);
      return true;
    case "cp-open":
      world.cable.lineFault = "cp-open";
      world.physicalChange(true, false);
      return true;
    case "cp-to-f":
      world.cpToF = true;
      world.physicalChange(true, false);
      return true;
    case "diode-short":
    case "missing-diode":
      // A shorted diode and no diode at all look the same on the pilot: the low plateau stays near 0 V.
      world.cable.diode = "shorted";
      world.physicalChange(true, false);
      return true;
    case "pp-unlatched":
      world.pressButton(true);
      return true;
    case "lock-opened":
      world.forceLockOpen();
      return true;
    case "isolation-cable-check":
    case "isolation-charging":
      world.setIsolation(FAULT_ISOLATION_OHM);
      return true;
    case "over-voltage":
      world.path.voltageRunawayAtMs = now;
      return true;
    case "over-current":
      world.path.currentRunawayAtMs = now;
      return true;
    case "emergency-stop":
      world.setEmergencyButton(true);
      return true;
    case "precharge-mismatch":
      world.path.voltageCeilingV = world.path.ocvV - FAULT_PRECHARGE_SHORTFALL_V;
      return true;
    case "welded-contactor":
      world.welded = true;
      return true;
    case "ac-on-dc-pins":
      world.path.acOnPinsV = FAULT_AC_ON_PINS_V;
      world.syncMeasurements(true);
      return true;
    default:
      return false;
  }
}

/** Apply fault `name` to `sim` at the current virtual time. */
export function applyFault(sim: DcSim, name: FaultName): void {
  if (applyWorldFault(sim.world, name)) return;
  const now = sim.nowMs;
  const ctl = sim.ctl;
  switch (name) {
    case "comm-loss":
      ctl.linkUp = false;
      ctl.connOpen = false;
      sim.post(now + SIM_LINK_STATUS_POLL_MS, { k: "to-evse", ev: { kind: "link-lost", tMs: 0 } });
      sim.post(now + SIM_LINK_STATUS_POLL_MS, {
        k: "to-ev",
        ev: { kind: "v2g-closed", reason: "PLC link lost", tMs: 0 },
      });
      break;
    case "ev-unresponsive":
      ctl.freezeEv();
      break;
    case "tcp-drop":
      ctl.resetConnection("TCP connection reset");
      break;
    case "malformed-message":
      ctl.corruptNextEvMessage = true;
      break;
    case "ev-over-limit": {
      const m = sim.cfg.evse.module;
      const k = FAULT_OVER_LIMIT_FACTOR;
      const request = { currentA: m.maxCurrentA * k, voltageV: m.maxVoltageV * k };
      ctl.toEv({ kind: "over-limit", request, tMs: now });
      sim.at(now + FAULT_OVER_LIMIT_MS, "ev-over-limit ends", (s) =>
        s.ctl.toEv({ kind: "over-limit", request: null, tMs: s.nowMs }),
      );
      break;
    }
    default:
      break;
  }
}
