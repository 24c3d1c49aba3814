/**
 * What each named fault (faults.ts) does to the simulated hardware. Faults change only physics or the
 * wiring between the controllers; detection is always left to the controllers' own measurements.
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
      sim.world.cpToF = true;
      sim.physicalChange(true, false);
      break;
    case "diode-short":
    case "missing-diode":
      // A shorted diode and no diode at all look the same on the pilot: the low plateau stays near 0 V.
      sim.cable.diode = "shorted";
      sim.physicalChange(true, false);
      break;
    case "pp-unlatched":
      sim.pressButton(true);
      break;
    case "lock-opened":
      sim.world.forceLockOpen();
      break;
    case "isolation-cable-check":
    case "isolation-charging":
      sim.world.setIsolation(FAULT_ISOLATION_OHM);
      break;
    case "over-voltage":
      sim.path.voltageRunawayAtMs = now;
      break;
    case "over-current":
      sim.path.currentRunawayAtMs = now;
      break;
    case "emergency-stop":
      sim.pressEmergencyStop();
      break;
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
    case "precharge-mismatch":
      sim.path.voltageCeilingV = sim.path.ocvV - FAULT_PRECHARGE_SHORTFALL_V;
      break;
    case "welded-contactor":
      sim.world.welded = true;
      break;
    case "ac-on-dc-pins":
      sim.path.acOnPinsV = FAULT_AC_ON_PINS_V;
      ctl.syncMeasurements(true);
      break;
  }
}
