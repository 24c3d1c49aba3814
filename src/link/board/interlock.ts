/**
 * The board thread's interlock, a pure step over the EVSE board's readings: an emergency-stop input, or a
 * measured output beyond the charger's rated backstop limits, asks for the output off at once, before the
 * reading reaches the controller (whose own safety supervisor trips on the same inputs with the negotiated
 * limits). A backstop acts once per excursion: again only after the value came back within the limit.
 * Platform-neutral.
 */
import type { AnyBoardBody } from "./messages.js";

/** Why the interlock switched the output off. */
export type InterlockCause = "emergency-stop" | "over-voltage" | "over-current";

/** What the interlock guards. */
export interface BoardInterlock {
  /** The output it switches off: the DC power module (emergency off) or the AC relay. */
  output: "dc" | "ac";
  /** Backstop: output voltage above this (V) ⇒ off. IEC 61851-23 over-voltage protection. */
  maxVoltageV?: number;
  /** Backstop: output current above this (A) ⇒ off. IEC 61851-23 over-current protection. */
  maxCurrentA?: number;
}

/** Backstop excursions in progress (each acts once until it ends). */
export interface InterlockState {
  overVoltage: boolean;
  overCurrent: boolean;
}

export const INTERLOCK_IDLE: InterlockState = Object.freeze({ overVoltage: false, overCurrent: false });

/** The interlock's output-off command for `output`. */
export function interlockCommand(output: BoardInterlock["output"]): AnyBoardBody {
  return output === "dc"
    ? { type: "module", op: "off", emergency: true }
    : { type: "contactors", closed: false };
}

/** One reading: the next state, and the cause when the output must go off now. */
export function stepInterlock(
  cfg: BoardInterlock,
  s: InterlockState,
  r: AnyBoardBody,
): [InterlockState, InterlockCause | null] {
  if (r.type === "emergency-stop") return [s, r.pressed === true ? "emergency-stop" : null];
  if (r.type !== "measure") return [s, null];
  const v = typeof r.voltageV === "number" ? r.voltageV : null;
  const i = typeof r.currentA === "number" ? Math.abs(r.currentA) : null;
  const ov = v === null ? s.overVoltage : cfg.maxVoltageV !== undefined && v > cfg.maxVoltageV;
  const oc = i === null ? s.overCurrent : cfg.maxCurrentA !== undefined && i > cfg.maxCurrentA;
  const next = ov === s.overVoltage && oc === s.overCurrent ? s : { overVoltage: ov, overCurrent: oc };
  if (ov && !s.overVoltage) return [next, "over-voltage"];
  if (oc && !s.overCurrent) return [next, "over-current"];
  return [next, null];
}
