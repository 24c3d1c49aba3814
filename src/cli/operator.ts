/**
 * The control channel of a running `nacs evse` / `nacs ev`: one command per line (stdin), in the scenario
 * command language of `nacs simulate --scenario-string` plus a few live-only words. Each command becomes a
 * controller event (emergency stop, stop charging, pause, safety reset, …) or, with the simulated board in
 * this process, a change to the simulated hardware (unplug, hardware faults). A command that makes no
 * sense on a live host is answered with the reason; a bad line never stops the host.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { EvInput } from "../link/host/live-ev.js";
import type { EvseInput } from "../link/host/live-evse.js";
import { FAULT_NAMES, type FaultName } from "../sim/dc/faults.js";
import { applyWorldFault, WORLD_FAULTS } from "../sim/dc/inject.js";
import type { DcWorld } from "../sim/dc/world.js";
import { parseCommandText } from "../sim/scenario/parse.js";

/** Live-only words and the scenario command each stands for, per role. */
const ALIASES: Record<"evse" | "ev", Record<string, string>> = {
  evse: { stop_charging: "evse_stop", estop: "emergency_stop", reset: "emergency_release" },
  ev: { stop_charging: "iso_stop_charging", stop: "iso_stop_charging", resume: "resume" },
};

/** What the operator acts on. */
export interface OperatorTarget {
  role: "evse" | "ev";
  /** Hand an input to the controller; `receivedAtMs` (on {@link OperatorTarget.now}): when its line arrived. */
  push(ev: EvseInput | EvInput, receivedAtMs?: number): void;
  /** The host's clock (ms), for the arrival time of each line; without it lines carry no time. */
  now?(): number;
  /** The simulated board's world when it runs in this process, else null. */
  world: DcWorld | null;
  /** Drop the V2G connection (fault `tcp-drop`). */
  dropConnection?(): void;
}

/** What became of one line. */
export type OperatorResult = { ok: true; did: string } | { ok: false; error: string };

const WORDS: Record<"evse" | "ev", string> = {
  evse: "emergency_stop, emergency_release (reset), evse_stop (stop_charging), evse_pause, set_charger_kw N, unplug, fault NAME",
  ev: "iso_stop_charging (stop_charging), pause, resume, set_target_soc N, iso_start_bpt_discharge, iso_stop_bpt_discharge, unplug, fault NAME",
};

/**
 * Carry out one command line; `receivedAtMs` (on `t.now`): when it arrived, handed on with the controller
 * input so that a trip it causes can report input → output-off.
 */
export function runOperatorLine(line: string, t: OperatorTarget, receivedAtMs?: number): OperatorResult {
  const text = line.trim();
  if (!text || text.startsWith("#")) return { ok: true, did: "nothing" };
  const word = text.split(/[\s,]+/)[0]!.toLowerCase();
  if (word === "help") return { ok: true, did: `commands: ${WORDS[t.role]}` };
  if (t.role === "ev" && word === "resume") {
    t.push({ kind: "resume" });
    return { ok: true, did: "resume" };
  }
  const alias = ALIASES[t.role][word];
  let cmd: ReturnType<typeof parseCommandText>;
  try {
    cmd = parseCommandText(alias ? text.replace(/^\S+/, alias) : text, 1);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const no = (why: string): OperatorResult => ({ ok: false, error: `${cmd.name}: ${why}` });
  switch (cmd.name) {
    case "emergency_stop":
      if (t.role !== "evse") return no("the emergency-stop button is the EVSE's");
      t.push({ kind: "emergency-stop" }, receivedAtMs);
      return { ok: true, did: "emergency stop" };
    case "emergency_release":
      if (t.role !== "evse") return no("the emergency-stop button is the EVSE's");
      t.world?.setEmergencyButton(false);
      t.push({ kind: "safety-reset" });
      return { ok: true, did: "emergency stop released, safety reset" };
    case "evse_stop":
      if (t.role !== "evse") return no("an EVSE command; the EV stops with iso_stop_charging");
      t.push({ kind: "stop-charging" });
      return { ok: true, did: "stop charging (EVSENotification StopCharging)" };
    case "evse_pause":
      if (t.role !== "evse") return no("an EVSE command; the EV pauses with iso_pause_charging");
      t.push({ kind: "pause-charging" });
      return {
        ok: true,
        did: "pause (ISO 15118-20 EVSENotification Pause; DIN / ISO 15118-2: StopCharging)",
      };
    case "iso_start_bpt_discharge":
    case "iso_stop_bpt_discharge": {
      if (t.role !== "ev") return no("an EV command (its dischargeRequested reading)");
      const on = cmd.name === "iso_start_bpt_discharge";
      t.push({ kind: "discharge", requested: on });
      return { ok: true, did: `discharge ${on ? "requested" : "no longer requested"} (ISO 15118-20 BPT)` };
    }
    case "iso_stop_charging":
      if (t.role !== "ev") return no("an EV command; the EVSE stops with evse_stop");
      t.push({ kind: "stop" });
      return { ok: true, did: "stop charging" };
    case "pause":
    case "iso_pause_charging":
      if (t.role !== "ev") return no("only the EV pauses a session (ISO 15118-2 SessionStop Pause)");
      t.push({ kind: "pause" });
      return { ok: true, did: "pause" };
    case "set_target_soc":
      if (t.role !== "ev") return no("the EV's charging target");
      t.push({ kind: "set-target-soc", percent: Number(cmd.args[0]) });
      return { ok: true, did: `target SOC ${cmd.args[0]} %` };
    case "set_charger_kw": {
      if (t.role !== "evse") return no("the charger's power limit is the EVSE's");
      const kw = Number(cmd.args[0]);
      t.push({ kind: "set-power-limit", maxPowerW: kw > 0 ? kw * 1000 : null });
      return { ok: true, did: kw > 0 ? `charger power limited to ${kw} kW` : "charger power limit cleared" };
    }
    case "unplug":
      if (!t.world) return no("needs the simulated board in this process (--board sim)");
      t.world.unplug();
      return { ok: true, did: "unplugged" };
    case "fault":
      return fault(String(cmd.args[0]) as FaultName, t, receivedAtMs);
    default:
      return no(`not available on a live host; commands: ${WORDS[t.role]}`);
  }
}

function fault(name: FaultName, t: OperatorTarget, receivedAtMs: number | undefined): OperatorResult {
  if (!FAULT_NAMES.includes(name)) return { ok: false, error: `fault ${name}: unknown fault` };
  if (name === "tcp-drop" && t.dropConnection) {
    t.dropConnection();
    return { ok: true, did: "fault tcp-drop" };
  }
  if (name === "emergency-stop" && t.role === "evse" && !t.world) {
    t.push({ kind: "emergency-stop" }, receivedAtMs);
    return { ok: true, did: "fault emergency-stop" };
  }
  if (!WORLD_FAULTS.includes(name))
    return { ok: false, error: `fault ${name}: needs the simulator (nacs simulate --fault ${name})` };
  if (!t.world)
    return { ok: false, error: `fault ${name}: needs the simulated board in this process (--board sim)` };
  applyWorldFault(t.world, name);
  return { ok: true, did: `fault ${name}` };
}

/**
 * Read commands from `input` line by line until it ends; `onResult` sees each outcome with the host time
 * (`t.now`) the line arrived: when the bytes carrying it were read, before line splitting and parsing.
 * Returns a function that stops reading.
 */
export function startOperator(
  input: Readable,
  t: OperatorTarget,
  onResult: (line: string, r: OperatorResult, receivedAtMs: number | undefined) => void,
): () => void {
  let chunkAt: number | undefined;
  // Registered before readline's own listener, so it runs first for every chunk.
  const stamp = () => {
    chunkAt = t.now?.();
  };
  input.on("data", stamp);
  const rl = createInterface({ input, terminal: false });
  rl.on("line", (line) => {
    const at = chunkAt;
    onResult(line, runOperatorLine(line, t, at), at);
  });
  return () => {
    input.off("data", stamp);
    rl.close();
  };
}
