/**
 * The SLAC effects a controller passes on unchanged (frames to send, timers, log lines), in the shape the
 * EV and EVSE controllers both use. The side-specific effects (CP actions, S2 toggles, match, failure) stay
 * with each controller.
 */
import type { SlacFrame } from "../frame.js";
import type { SlacEffect } from "./types.js";

/** What a controller emits for a passed-on SLAC effect; SLAC timer ids are prefixed `slac:`. */
export type ForwardedSlacEffect =
  | { kind: "slac-send"; frame: SlacFrame }
  | { kind: "set-timer"; id: string; atMs: number }
  | { kind: "log"; level: "debug" | "info" | "warn"; msg: string };

/** Translate a pass-through SLAC effect, or return null for one the controller must handle itself. */
export function forwardSlacEffect(e: SlacEffect): ForwardedSlacEffect | null {
  switch (e.kind) {
    case "send":
      return { kind: "slac-send", frame: e.frame };
    case "set-timer":
      return { kind: "set-timer", id: `slac:${e.id}`, atMs: e.atMs };
    case "log":
      return { kind: "log", level: e.level, msg: `slac: ${e.msg}` };
    default:
      return null;
  }
}
