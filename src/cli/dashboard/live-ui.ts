/**
 * `--ui [PORT]` of `nacs evse` / `nacs ev`: the live host's record events stream to the dashboard, and its
 * control lines run through the host's control channel exactly as its stdin lines do.
 */
import type { RecordEvent } from "../../link/host/record.js";
import type { OperatorTarget } from "../operator.js";
import { type HostUi, startHostUi } from "./host-ui.js";

/** The `--ui` flags (validated). */
export interface LiveUiOptions {
  ui?: number | undefined;
  uiHost?: string | undefined;
}

/** Start the dashboard of a live host; null without `--ui`. */
export function startLiveUi(o: LiveUiOptions, role: "evse" | "ev"): Promise<HostUi | null> {
  if (o.ui === undefined) return Promise.resolve(null);
  return startHostUi({ command: role, roles: [role], port: o.ui, host: o.uiHost });
}

/** The host's record sink with the dashboard's added (undefined when neither is there). */
export function withUiRecord(
  sink: ((e: RecordEvent) => void) | undefined,
  ui: HostUi | null,
): ((e: RecordEvent) => void) | undefined {
  if (!ui) return sink;
  return (e) => {
    sink?.(e);
    ui.record(e);
  };
}

/** Hand `target` (the host's stdin control target) to the dashboard too; returns it. */
export function sharedTarget(target: OperatorTarget, ui: HostUi | null): OperatorTarget {
  ui?.attach(target);
  return target;
}
