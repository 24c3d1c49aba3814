/**
 * Board messages ↔ controller events and effects (src/evse/dc/types.ts, src/ev/dc/types.ts). A reading
 * becomes one event (plus the host's `tMs`); a hardware effect becomes one command; everything else (SLAC,
 * V2G, timers, logs) is not the board's and maps to null. Platform-neutral.
 */
import type { EvDcEffect, EvDcEvent } from "../../ev/dc/types.js";
import type { EvseDcEffect, EvseDcEvent, EvseMeasurements } from "../../evse/dc/types.js";
import type { EvBoardCommand, EvBoardReading, EvseBoardCommand, EvseBoardReading } from "./protocol.js";

/**
 * EVSE reading → event. `emergency-stop` with `pressed: false` gives null: releasing the button does not
 * reset a trip by itself, that stays the operator's deliberate `safety-reset` event. Design choice.
 */
export function evseReadingToEvent(r: EvseBoardReading, tMs: number): EvseDcEvent | null {
  switch (r.type) {
    case "cp":
      return { kind: "cp", state: r.state, tMs };
    case "cp-fault":
      return { kind: "cp-fault", fault: r.fault, tMs };
    case "diode":
      return { kind: "diode", verified: r.verified, tMs };
    case "pp":
      return { kind: "pp", state: r.state, tMs };
    case "measure": {
      const m: Partial<EvseMeasurements> = {};
      if (r.voltageV !== undefined) m.voltageV = r.voltageV;
      if (r.currentA !== undefined) m.currentA = r.currentA;
      if (r.energyWh !== undefined) m.energyWh = r.energyWh;
      if (r.isolation !== undefined) m.isolation = r.isolation;
      if (r.contactorsClosed !== undefined) m.contactorsClosed = r.contactorsClosed;
      return { kind: "measure", m, tMs };
    }
    case "emergency-stop":
      return r.pressed ? { kind: "emergency-stop", tMs } : null;
  }
}

/** EVSE effect → command, or null for an effect that is not the board's. */
export function evseEffectToCommand(e: EvseDcEffect): EvseBoardCommand | null {
  switch (e.kind) {
    case "duty":
      return { type: "duty", duty: e.duty };
    case "module":
      return e.op === "set"
        ? { type: "module", op: "set", voltageV: e.voltageV, currentA: e.currentA }
        : { type: "module", op: "off", emergency: e.emergency };
    case "contactors":
      return { type: "contactors", closed: e.closed };
    case "isolation":
      return e.op === "start"
        ? { type: "isolation", op: "start", voltageV: e.voltageV }
        : { type: "isolation", op: "stop" };
    default:
      return null;
  }
}

/** EV reading → event. */
export function evReadingToEvent(r: EvBoardReading, tMs: number): EvDcEvent {
  switch (r.type) {
    case "duty":
      return { kind: "duty", duty: r.duty, tMs };
    case "pp":
      return { kind: "pp", state: r.state, tMs };
    case "lock":
      return { kind: "lock", locked: r.locked, tMs };
    case "inlet":
      return { kind: "inlet", voltageV: r.voltageV, currentA: r.currentA, acPresent: r.acPresent, tMs };
    case "bms":
      return { kind: "bms", socPercent: r.socPercent, batteryVoltageV: r.batteryVoltageV, tMs };
  }
}

/** EV effect → command, or null for an effect that is not the board's. */
export function evEffectToCommand(e: EvDcEffect): EvBoardCommand | null {
  switch (e.kind) {
    case "s2":
      return { type: "s2", closed: e.closed };
    case "contactors":
      return { type: "contactors", closed: e.closed };
    case "lock":
      return { type: "lock", locked: e.locked };
    default:
      return null;
  }
}
