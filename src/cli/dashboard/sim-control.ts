/**
 * Control lines and scenario files for the simulated session of `nacs simulate --ui`: the control channel
 * language of the live hosts ({@link runOperatorLine}: emergency_stop, evse_stop, pause, resume,
 * set_target_soc N, set_charger_kw N, …) acting on the simulated EVSE and EV. Some words do more than on a
 * live host because the simulator has the whole world: `fault NAME` injects any named fault (as `--fault` /
 * the scenario's `fault` do, recorded as a `fault` event); `unplug` presses the handle button and pulls the
 * plug a second later (as the scenario driver does) and keeps the run open for a plug-in; `plugin` plugs in
 * again, beginning the next session of the same run. A scenario file's commands are queued on the session's
 * {@link InteractiveDriver}.
 */

import type { EvDcEvent } from "../../ev/dc/index.js";
import type { EvseDcEvent } from "../../evse/dc/index.js";
import type { EvseInput } from "../../link/host/live-evse.js";
import { FAULT_NAMES, type FaultName } from "../../sim/dc/faults.js";
import type { DcSession } from "../../sim/dc/session.js";
import {
  INTERACTIVE_REPLUG_HOLD_MS,
  InteractiveDriver,
  parseCommandText,
  parseScenarioText,
  SCRIPT_REPLUG_WAIT_MS,
  SCRIPT_UNPLUG_BUTTON_MS,
  ScenarioError,
  scenarioKindOf,
} from "../../sim/scenario/index.js";
import { type OperatorResult, runOperatorLine } from "../operator.js";
import type { ControlRole } from "./protocol.js";

const interactive = (session: DcSession): InteractiveDriver | null =>
  session.opts.driver instanceof InteractiveDriver ? session.opts.driver : null;

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
    const driver = interactive(session);
    driver?.unplugged();
    const hold = driver
      ? `; plug in within ${INTERACTIVE_REPLUG_HOLD_MS / 1000} s (simulated) for the next session`
      : "";
    return {
      ok: true,
      did: `unplug (handle button pressed, plug pulled ${SCRIPT_UNPLUG_BUTTON_MS} ms later${hold})`,
    };
  }
  if (cmd?.name === "plugin" || cmd?.name === "wait_for_real_plugin") {
    if (sim.cable.plugged) return { ok: false, error: "plugin: the connector is plugged in already" };
    const driver = interactive(session);
    if (!driver)
      return { ok: false, error: "plugin: this run takes no plug-in (it has no interactive driver)" };
    driver.run([cmd]);
    return {
      ok: true,
      did: `plug in: the next session (once both sides have seen the unplug, at most ${SCRIPT_REPLUG_WAIT_MS / 1000} s)`,
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

/**
 * Run a scenario file (`name` says the format: .yaml / .yml / .json, else the EVerest text form) in the
 * simulated session: its commands are queued after any still running. Session options and timed steps
 * cannot change a running session and are refused, as is a command the session's protocol cannot run.
 */
export function runSimScenario(session: DcSession, name: string, text: string): OperatorResult {
  if (session.done) return { ok: false, error: "the simulated session is over" };
  const driver = interactive(session);
  if (!driver)
    return { ok: false, error: "scenario: this run takes no scenario (it has no interactive driver)" };
  try {
    const sc = parseScenarioText(text, scenarioKindOf(name) ?? "txt");
    const options = Object.keys(sc.options);
    if (options.length > 0)
      return {
        ok: false,
        error: `scenario ${name}: options (${options.join(", ")}) set up a run; give them to nacs simulate --scenario`,
      };
    if (sc.steps.length > 0)
      return {
        ok: false,
        error: `scenario ${name}: timed steps set up a run; give them to nacs simulate --scenario`,
      };
    if (sc.commands.length === 0) return { ok: false, error: `scenario ${name}: no commands` };
    const from = driver.runner.commands.length + 1;
    driver.run(sc.commands);
    return {
      ok: true,
      did: `scenario ${name}: ${sc.commands.length} commands queued (as commands ${from}–${from + sc.commands.length - 1})`,
    };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, error: `scenario ${name}: ${e.message}` };
    throw e;
  }
}
