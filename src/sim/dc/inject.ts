/**
 * What each named fault (faults.ts) does to the simulated hardware. Faults change only physics or the
 * wiring between the controllers; detection is always left to the controllers' own measurements.
 */

import { SIM_LINK_STATUS_POLL_MS, SIM_LOCK_FEEDBACK_MS } from "./constants.js";
import type { DcSim } from "./dc-sim.js";
import { FAULT_AC_ON_PINS_V, FAULT_ISOLATION_OHM, type FaultName } from "./faults.js";

/** Apply fault `name` to `sim` at the current virtual time. */
export function applyFault(sim: DcSim, name: FaultName): void {
  const now = sim.nowMs;
  const ctl = sim.ctl;
  switch (name) {
    case "cp-short":
      sim.cable.lineFault = "cp-short-pe";
      sim.physicalChange(true, false);
      break;
    case "cp-open":
      sim.cable.lineFault = "cp-open";
      sim.physicalChange(true, false);
      break;
    case "cp-to-f":
      sim.cpToF = true;
      sim.physicalChange(true, false);
      break;
    case "diode-short":
      sim.cable.diode = "shorted";
      sim.physicalChange(true, false);
      break;
    case "pp-unlatched":
      sim.pressButton(true);
      break;
    case "lock-opened":
      sim.lock.forcedOpen = true;
      sim.lock.locked = false;
      sim.q.push(now + SIM_LOCK_FEEDBACK_MS, { k: "lock", locked: false });
      break;
    case "isolation-cable-check":
    case "isolation-charging":
      ctl.setIsolation(FAULT_ISOLATION_OHM);
      break;
    case "over-voltage":
      sim.path.voltageRunawayAtMs = now;
      break;
    case "over-current":
      sim.path.currentRunawayAtMs = now;
      break;
    case "emergency-stop":
      sim.q.push(now, { k: "to-evse", ev: { kind: "emergency-stop", tMs: 0 } });
      break;
    case "comm-loss":
      ctl.linkUp = false;
      ctl.connOpen = false;
      sim.q.push(now + SIM_LINK_STATUS_POLL_MS, { k: "to-evse", ev: { kind: "link-lost", tMs: 0 } });
      sim.q.push(now + SIM_LINK_STATUS_POLL_MS, {
        k: "to-ev",
        ev: { kind: "v2g-closed", reason: "PLC link lost", tMs: 0 },
      });
      break;
    case "ev-unresponsive":
      ctl.evFrozen = true;
      break;
    case "ac-on-dc-pins":
      sim.path.acOnPinsV = FAULT_AC_ON_PINS_V;
      ctl.syncMeasurements(true);
      break;
  }
}
