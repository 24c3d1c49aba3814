/**
 * The board thread's interlock, a pure step over the EVSE board's readings that asks for the output off at
 * once, before the reading reaches the controller (whose own safety supervisor trips on the same inputs,
 * with the negotiated limits):
 *
 * - an `emergency-stop` (pressed) reading, whatever the output's state (IEC 61851-1 §6.3.1; SAE J3400);
 * - (DC) a measured output beyond the charger's rated backstop limits (IEC 61851-23 over-voltage and
 *   over-current protection);
 * - while the output is live only: the connector no longer latched (`pp` other than `latched`; SAE J3400:
 *   the charger stops on unlatch; IEC 61851-23: de-energise when the vehicle connector is no longer latched),
 *   the pilot out of state B/C/D (`cp` A, E or F, or a `cp-fault` of any kind: `diode-fault`, `cp-short`,
 *   `pilot-fault`; IEC 61851-1 Annex A), or an isolation fault (`measure` with `isolation.level`
 *   `"Fault"`, whatever its `state`; IEC 61851-23 isolation monitoring).
 *
 * Every cause but the emergency stop acts once per excursion: again only after the input came back
 * (`latched`; pilot B, C or D; an isolation level other than `"Fault"`; a value within the limit). Absent
 * fields keep the last verdict.
 *
 * Whether the output is live the interlock learns from the commands the host writes to the board
 * ({@link noteInterlockCommand}, its own off command included): `module` set and `contactors` closed
 * switch it on, `module` off and `contactors` open switch it off; the last such command counts. Design
 * choice: after a `module` off the charger no longer energises the output (the contactors then open once
 * the current has decayed), so a normal unplug after a session, or the pilot F the controller's own trip
 * sets after its off command, is not an interlock action. Platform-neutral.
 */
import type { AnyBoardBody } from "./messages.js";

/**
 * Why the interlock switched the output off: `emergency-stop`; the DC backstops `over-voltage`,
 * `over-current`; `unlatched` (PP not latched), `pilot` (CP A, E, F or a CP fault), `isolation` (isolation
 * level Fault), these three only while the output is live.
 */
export type InterlockCause =
  | "emergency-stop"
  | "over-voltage"
  | "over-current"
  | "unlatched"
  | "pilot"
  | "isolation";

/** Each cause in words (logs, summaries). */
export const INTERLOCK_CAUSE_TEXT: Readonly<Record<InterlockCause, string>> = Object.freeze({
  "emergency-stop": "emergency stop",
  "over-voltage": "over-voltage backstop",
  "over-current": "over-current backstop",
  unlatched: "connector unlatched (PP)",
  pilot: "pilot out of state B/C/D (CP)",
  isolation: "isolation fault",
});

/** What the interlock guards. */
export interface BoardInterlock {
  /** The output it switches off: the DC power module (emergency off) or the AC relay. */
  output: "dc" | "ac";
  /** Backstop: output voltage above this (V) ⇒ off. IEC 61851-23 over-voltage protection. */
  maxVoltageV?: number;
  /** Backstop: output current above this (A) ⇒ off. IEC 61851-23 over-current protection. */
  maxCurrentA?: number;
}

/** Excursions in progress (each acts once until it ends), and whether the host has the output on. */
export interface InterlockState {
  overVoltage: boolean;
  overCurrent: boolean;
  /** The last `module` / `contactors` command written switched the output on. */
  live: boolean;
  /** The interlock acted on this excursion (PP not latched, pilot out of B/C/D, isolation Fault). */
  unlatched: boolean;
  pilot: boolean;
  isolation: boolean;
}

export const INTERLOCK_IDLE: InterlockState = Object.freeze({
  overVoltage: false,
  overCurrent: false,
  live: false,
  unlatched: false,
  pilot: false,
  isolation: false,
});

/** The interlock's output-off command for `output`. */
export function interlockCommand(output: BoardInterlock["output"]): AnyBoardBody {
  return output === "dc"
    ? { type: "module", op: "off", emergency: true }
    : { type: "contactors", closed: false };
}

/**
 * What a command does to the output: `module` set or `contactors` closed switch it on (true), `module` off
 * or `contactors` open switch it off (false); any other command leaves it (null).
 */
export function outputSwitchOf(c: AnyBoardBody): boolean | null {
  return c.type === "module" ? c.op === "set" : c.type === "contactors" ? c.closed : null;
}

/** A command written to the board: the state with the output on or off as it commands. */
export function noteInterlockCommand(s: InterlockState, c: AnyBoardBody): InterlockState {
  const live = outputSwitchOf(c) ?? s.live;
  return live === s.live ? s : { ...s, live };
}

/** The live-only inputs a reading tells about: true = out of order, false = in order, null = not told. */
function liveOnlyInputs(r: AnyBoardBody): {
  unlatched: boolean | null;
  pilot: boolean | null;
  isolation: boolean | null;
} {
  return {
    unlatched: r.type === "pp" ? r.state !== "latched" : null,
    pilot:
      r.type === "cp"
        ? r.state === "A" || r.state === "E" || r.state === "F"
        : r.type === "cp-fault"
          ? true
          : null,
    isolation: r.type === "measure" && r.isolation ? r.isolation.level === "Fault" : null,
  };
}

/**
 * One reading: the next state, and the cause when the output must go off now. One cause per reading (the
 * first of: over-voltage, over-current, unlatched, pilot, isolation); every excursion it starts is recorded,
 * so one off command serves them all.
 */
export function stepInterlock(
  cfg: BoardInterlock,
  s: InterlockState,
  r: AnyBoardBody,
): [InterlockState, InterlockCause | null] {
  if (r.type === "emergency-stop") return [s, r.pressed === true ? "emergency-stop" : null];
  const inputs = liveOnlyInputs(r);
  // acted on this excursion: kept while the input stays out of order; set when it acts now (output live)
  const acted = (was: boolean, bad: boolean | null): boolean => (bad === null ? was : bad && (s.live || was));
  const unlatched = acted(s.unlatched, inputs.unlatched);
  const pilot = acted(s.pilot, inputs.pilot);
  const isolation = acted(s.isolation, inputs.isolation);
  let ov = s.overVoltage;
  let oc = s.overCurrent;
  if (r.type === "measure") {
    const v = typeof r.voltageV === "number" ? r.voltageV : null;
    const i = typeof r.currentA === "number" ? Math.abs(r.currentA) : null;
    if (v !== null) ov = cfg.maxVoltageV !== undefined && v > cfg.maxVoltageV;
    if (i !== null) oc = cfg.maxCurrentA !== undefined && i > cfg.maxCurrentA;
  }
  const same =
    ov === s.overVoltage &&
    oc === s.overCurrent &&
    unlatched === s.unlatched &&
    pilot === s.pilot &&
    isolation === s.isolation;
  const next = same ? s : { ...s, overVoltage: ov, overCurrent: oc, unlatched, pilot, isolation };
  if (ov && !s.overVoltage) return [next, "over-voltage"];
  if (oc && !s.overCurrent) return [next, "over-current"];
  if (unlatched && !s.unlatched) return [next, "unlatched"];
  if (pilot && !s.pilot) return [next, "pilot"];
  if (isolation && !s.isolation) return [next, "isolation"];
  return [next, null];
}
