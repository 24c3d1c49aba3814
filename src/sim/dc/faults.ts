/**
 * Named faults of the DC simulator (issue 6 §2, §6 `--fault NAME`, `--list-faults`): what each one does to
 * the physics, when the default scenario injects it, and the stop reason a session ends with. The
 * simulator applies them with `DcSim.inject(name)`; the session runner schedules them with `atPhase`.
 */
import { SAFETY_STOP_REASONS } from "../../evse/safety/index.js";

/** Phases a fault (or any scripted action) can be anchored to. */
export type DcSimPhase = "connecting" | "cable-check" | "pre-charge" | "charging" | "stopping" | "ended";

/** Every fault name. */
export const FAULT_NAMES = [
  "cp-short",
  "cp-to-f",
  "cp-open",
  "diode-short",
  "pp-unlatched",
  "lock-opened",
  "isolation-cable-check",
  "isolation-charging",
  "over-voltage",
  "over-current",
  "emergency-stop",
  "comm-loss",
  "ev-unresponsive",
  "ac-on-dc-pins",
] as const;

/** A fault name. */
export type FaultName = (typeof FAULT_NAMES)[number];

/** One catalogue entry. */
export interface FaultSpec {
  name: FaultName;
  description: string;
  /** Phase the default scenario waits for, then `delayMs`. */
  phase: DcSimPhase;
  delayMs: number;
  /** Stop reason the session ends with. */
  stopReason: string;
  /** Which side detects it first. */
  detectedBy: "evse" | "ev";
}

/** Isolation resistance injected by the isolation faults (Ω): below the 100 kΩ fault limit (digest §5.6). */
export const FAULT_ISOLATION_OHM = 50_000;
/** AC voltage present on the pins for `ac-on-dc-pins` (V). Digest §3.1 "typical 120/240 V". */
export const FAULT_AC_ON_PINS_V = 240;

const R = SAFETY_STOP_REASONS;
const CHARGING_DELAY_MS = 30_000;

/** The catalogue, by name. */
export const FAULTS: Readonly<Record<FaultName, FaultSpec>> = Object.freeze({
  "cp-short": f("cp-short", "CP shorted to PE (state E) while charging", "charging", R["cp-state-e"], "evse"),
  "cp-to-f": f("cp-to-f", "CP pulled to -12 V (state F) while charging", "charging", R["cp-state-f"], "evse"),
  "cp-open": f("cp-open", "CP wire open (pilot lost) while charging", "charging", R["cp-lost"], "evse"),
  "diode-short": f("diode-short", "EV CP diode shorted while charging", "charging", R["diode-fault"], "evse"),
  "pp-unlatched": f(
    "pp-unlatched",
    "handle button pressed (PP unlatched) while charging",
    "charging",
    R["pp-unlatched"],
    "evse",
  ),
  "lock-opened": f(
    "lock-opened",
    "inlet lock forced open while charging",
    "charging",
    "inlet lock opened",
    "ev",
  ),
  "isolation-cable-check": {
    ...f(
      "isolation-cable-check",
      `isolation ${FAULT_ISOLATION_OHM / 1000} kΩ during the cable check`,
      "cable-check",
      R.isolation,
      "evse",
    ),
    delayMs: 100,
  },
  "isolation-charging": f(
    "isolation-charging",
    `isolation drops to ${FAULT_ISOLATION_OHM / 1000} kΩ while charging`,
    "charging",
    R.isolation,
    "evse",
  ),
  "over-voltage": f(
    "over-voltage",
    "output voltage runaway while charging",
    "charging",
    R["over-voltage"],
    "evse",
  ),
  "over-current": f(
    "over-current",
    "current regulation runaway while charging",
    "charging",
    R["over-current"],
    "evse",
  ),
  "emergency-stop": f(
    "emergency-stop",
    "emergency-stop button pressed while charging",
    "charging",
    R["emergency-stop"],
    "evse",
  ),
  "comm-loss": f("comm-loss", "PLC link lost while charging", "charging", R["comm-loss"], "evse"),
  "ev-unresponsive": f(
    "ev-unresponsive",
    "EV controller hangs (stops answering) while charging",
    "charging",
    R["comm-timeout"],
    "evse",
  ),
  "ac-on-dc-pins": {
    ...f(
      "ac-on-dc-pins",
      `${FAULT_AC_ON_PINS_V} V AC on the power pins before the DC contactors close`,
      "cable-check",
      "DC refused: AC present on the inlet",
      "ev",
    ),
    delayMs: 0,
  },
});

function f(
  name: FaultName,
  description: string,
  phase: DcSimPhase,
  stopReason: string,
  detectedBy: "evse" | "ev",
): FaultSpec {
  return { name, description, phase, delayMs: CHARGING_DELAY_MS, stopReason, detectedBy };
}

/** True when `s` names a fault. */
export function isFaultName(s: string): s is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(s);
}
