/**
 * Control lines for the simulated session of `nacs simulate --ui`: the control channel language of the
 * live hosts ({@link runOperatorLine}: emergency_stop, evse_stop, pause, resume, set_target_soc N, …) acting
 * on the simulated EVSE and EV. Two words do more than on a live host because the simulator has the whole
 * world: `fault NAME` injects any named fault (as `--fault` / the scenario's `fault` do, recorded as a
 * `fault` event), and `unplug` presses the handle button and pulls the plug a second later (as the scenario
 * driver does), so the session's plug-in bookkeeping stays right.
 */

import type { EvDcEvent } from "../../ev/dc/index.js";
import type { EvseDcEvent } from "../../evse/dc/index.js";
import type { EvseInput } from "../../link/host/live-evse.js";
import { FAULT_NAMES, type FaultName } from "../../sim/dc/faults.js";
import type { DcSession } from "../../sim/dc/session.js";
import { parseCommandText } from "../../sim/scenario/parse.js";
import { SCRIPT_UNPLUG_BUTTON_MS } from "../../sim/scenario/runner.js";
import { type OperatorResult, runOperatorLine } from "../operator.js";
import type { ControlRole } from "./protocol.js";

/** Carry out one control line for `role` on the running simulated session. */
export function runSimControlLine(session: DcSession, role: ControlRole, line: string): OperatorResult {
  if (session.done) return { ok: false, error: "the simulated session is over" };
  const sim = session.sim;
  let cmd: ReturnType<typeof parseCommandText> | null = null;
  try {
    cmd = parseCommandText(line.trim(), 1);
  } catch {
    // not a scenario command: the control channel answers it (help, aliases, or the reason)
  }
  if (cmd?.name === "fault" && FAULT_NAMES.includes(String(cmd.args[0]) as FaultName)) {
    sim.inject(String(cmd.args[0]) as FaultName);
    return { ok: true, did: `fault ${cmd.args[0]}` };
  }
  if (cmd?.name === "unplug") {
    if (!sim.cable.plugged) return { ok: false, error: "unplug: the connector is not plugged in" };
    sim.pressButton(true);
    sim.at(sim.nowMs + SCRIPT_UNPLUG_BUTTON_MS, "unplug", (s) => s.unplug());
    return {
      ok: true,
      did: `unplug (handle button pressed, plug pulled ${SCRIPT_UNPLUG_BUTTON_MS} ms later)`,
    };
  }
  return runOperatorLine(
    line,
    {
      role,
      push: (ev) => {
        if (role === "evse") sim.ctl.toEvse({ ...(ev as EvseInput), tMs: sim.nowMs } as EvseDcEvent);
        else sim.ctl.toEv({ ...ev, tMs: sim.nowMs } as EvDcEvent);
      },
      now: () => sim.nowMs,
      world: sim.world,
    },
    sim.nowMs,
  );
}
