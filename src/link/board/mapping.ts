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
export function evEffectToCommand(e: EvDcEffect): Exclude<EvBoardCommand, { type: "button" }> | null {
  switch (e.kind) {
    case "s2":
      return { type: "s2", closed: e.closed };
    case "contactors":
      return { type: "contactors", closed: e.closed };
    case "charger":
      return { type: "charger", currentA: e.currentA };
    case "lock":
      return { type: "lock", locked: e.locked };
    default:
      return null;
  }
}

// ---- the inverse direction, for board simulators (src/sim/board): a command is carried out as the
// ---- controller's effect, and a controller event is sent as the board's reading.

/** The EVSE effects a board carries out (the same set as `EvseBoardEffect` in src/link/host). */
export type EvseHardwareEffect = Extract<EvseDcEffect, { kind: EvseBoardCommand["type"] }>;
/** The EVSE events a board produces (the same set as `EvseBoardEvent` in src/link/host). */
export type EvseHardwareEvent = Extract<EvseDcEvent, { kind: EvseBoardReading["type"] }>;
/** The EV effects a board carries out (the same set as `EvBoardEffect` in src/link/host). */
export type EvHardwareEffect = Extract<EvDcEffect, { kind: EvBoardCommand["type"] }>;
/** The EV events a board produces (the same set as `EvBoardEvent` in src/link/host). */
export type EvHardwareEvent = Extract<EvDcEvent, { kind: EvBoardReading["type"] }>;

/** EVSE command → effect (what a simulated board carries out). */
export function evseCommandToEffect(c: EvseBoardCommand): EvseHardwareEffect {
  switch (c.type) {
    case "duty":
      return { kind: "duty", duty: c.duty };
    case "module":
      return c.op === "set"
        ? { kind: "module", op: "set", voltageV: c.voltageV, currentA: c.currentA }
        : { kind: "module", op: "off", emergency: c.emergency };
    case "contactors":
      return { kind: "contactors", closed: c.closed };
    case "isolation":
      return c.op === "start"
        ? { kind: "isolation", op: "start", voltageV: c.voltageV }
        : { kind: "isolation", op: "stop" };
  }
}

/**
 * EV command → effect (what a simulated board carries out). `button` (the handle's release button) is no
 * controller effect: the board simulator carries it out itself.
 */
export function evCommandToEffect(c: Exclude<EvBoardCommand, { type: "button" }>): EvHardwareEffect {
  switch (c.type) {
    case "s2":
      return { kind: "s2", closed: c.closed };
    case "contactors":
      return { kind: "contactors", closed: c.closed };
    case "charger":
      return { kind: "charger", currentA: c.currentA };
    case "lock":
      return { kind: "lock", locked: c.locked };
  }
}

/**
 * EVSE event → reading (`tMs` dropped: the host stamps its own). `measure` sends the fields present in `m`;
 * `emergency-stop` is the button pressed (`pressed: true`).
 */
export function evseEventToReading(e: EvseHardwareEvent): EvseBoardReading {
  switch (e.kind) {
    case "cp":
      return { type: "cp", state: e.state };
    case "cp-fault":
      return { type: "cp-fault", fault: e.fault };
    case "diode":
      return { type: "diode", verified: e.verified };
    case "pp":
      return { type: "pp", state: e.state };
    case "measure": {
      const r: Extract<EvseBoardReading, { type: "measure" }> = { type: "measure" };
      const { m } = e;
      if (m.voltageV !== undefined) r.voltageV = m.voltageV;
      if (m.currentA !== undefined) r.currentA = m.currentA;
      if (m.energyWh !== undefined) r.energyWh = m.energyWh;
      if (m.isolation !== undefined) r.isolation = { ...m.isolation };
      if (m.contactorsClosed !== undefined) r.contactorsClosed = m.contactorsClosed;
      return r;
    }
    case "emergency-stop":
      return { type: "emergency-stop", pressed: true };
  }
}

/** EV event → reading (`tMs` dropped: the host stamps its own). */
export function evEventToReading(e: EvHardwareEvent): EvBoardReading {
  switch (e.kind) {
    case "duty":
      return { type: "duty", duty: e.duty };
    case "pp":
      return { type: "pp", state: e.state };
    case "lock":
      return { type: "lock", locked: e.locked };
    case "inlet":
      return { type: "inlet", voltageV: e.voltageV, currentA: e.currentA, acPresent: e.acPresent };
    case "bms":
      return { type: "bms", socPercent: e.socPercent, batteryVoltageV: e.batteryVoltageV };
  }
}
