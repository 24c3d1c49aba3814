/**
 * Start the EV or the EVSE SLAC machine in real time over a frame port. The EV gets its
 * `start` event at once (Tesla cars start SLAC at plug-in) unless `autoStart` is false. The EVSE gets CP
 * events from its pilot via `push`, or, with `emulateCp`, from an ideal CP loop (for plain Ethernet tests
 * without a pilot): plug-in is seen as B at 5 % at once, and each `cp` effect is reflected at once
 * (ef → F, resume → B 5 %, x1 → B 100 %), so E/F retries work as on a charger.
 */
import { DUTY_DIGITAL_COMM, DUTY_X1 } from "../../pilot/constants.js";
import { type EvSlacConfig, type EvSlacState, evSlacStep, initialEvSlac } from "../matching/ev.js";
import { type EvseSlacConfig, type EvseSlacState, evseSlacStep, initialEvseSlac } from "../matching/evse.js";
import type { EvSlacEvent, EvseSlacEvent } from "../matching/types.js";
import { driveSlac, type SlacDriverOptions, type SlacRun } from "./driver.js";

/** Options of {@link startEvSlac}: driver options, and the EV config without `mac` (default: the port's). */
export interface EvSlacRunOptions extends SlacDriverOptions {
  config: Omit<EvSlacConfig, "mac" | "modem"> & { mac?: Uint8Array };
  /** Push the `start` event at once (default true). */
  autoStart?: boolean;
}

/** Options of {@link startEvseSlac}. */
export interface EvseSlacRunOptions extends SlacDriverOptions {
  config: Omit<EvseSlacConfig, "mac" | "modem"> & { mac?: Uint8Array };
  /** Ideal CP loop instead of a pilot (default false). */
  emulateCp?: boolean;
}

/** Run the EV SLAC machine (ev.ts) over `o.port`. */
export function startEvSlac(o: EvSlacRunOptions): SlacRun<EvSlacState, EvSlacEvent> {
  const state = initialEvSlac({ ...o.config, mac: o.config.mac ?? o.port.mac, modem: o.modem ?? "none" });
  const run = driveSlac<EvSlacState, EvSlacEvent>(evSlacStep, state, o);
  if (o.autoStart ?? true) run.push({ kind: "start" });
  return run;
}

/** Run the EVSE SLAC machine (evse.ts) over `o.port`. */
export function startEvseSlac(o: EvseSlacRunOptions): SlacRun<EvseSlacState, EvseSlacEvent> {
  const state = initialEvseSlac({ ...o.config, mac: o.config.mac ?? o.port.mac, modem: o.modem ?? "none" });
  let run: SlacRun<EvseSlacState, EvseSlacEvent> | undefined;
  const opts: SlacDriverOptions = o.emulateCp
    ? {
        ...o,
        onCp: (action) => {
          o.onCp?.(action);
          if (action === "ef") run?.push({ kind: "cp", state: "F", duty: 0 });
          else if (action === "resume") run?.push({ kind: "cp", state: "B", duty: DUTY_DIGITAL_COMM });
          else run?.push({ kind: "cp", state: "B", duty: DUTY_X1 });
        },
      }
    : o;
  run = driveSlac<EvseSlacState, EvseSlacEvent>(evseSlacStep, state, opts);
  if (o.emulateCp) run.push({ kind: "cp", state: "B", duty: DUTY_DIGITAL_COMM });
  return run;
}
