/**
 * The frames between the dashboard host and the app (JSON text over the WebSocket at `/ws`), and the
 * check of what a client sends. A bad frame is answered with an error naming the field and the rule.
 */
import type { RecordEvent } from "../../link/host/record.js";

/** A side that may take control lines. */
export type ControlRole = "evse" | "ev";
/** The command that hosts the dashboard. */
export type DashboardCommand = "simulate" | "evse" | "ev" | "dashboard";

/** `GET /api/info`. */
export interface DashboardInfo {
  command: DashboardCommand;
  live: boolean;
  roles: ControlRole[];
  version: string;
}

/** Server → client frames. */
export type ServerFrame =
  | {
      kind: "hello";
      command: DashboardCommand;
      live: boolean;
      roles: ControlRole[];
      commands: Record<ControlRole, string>;
      /** The host runs scenario files sent as `scenario` frames (`nacs simulate --ui`). */
      scenarios: boolean;
    }
  | { kind: "events"; events: readonly RecordEvent[] }
  | { kind: "end" }
  | { kind: "control-result"; id: number; ok: true; did: string }
  | { kind: "control-result"; id: number; ok: false; error: string }
  | { kind: "error"; error: string };

/** Client → server: one line of the control channel language for one side. */
export interface ControlFrame {
  kind: "control";
  id: number;
  role: ControlRole;
  line: string;
}

/**
 * Client → server: a scenario file to run in the simulated session (its commands queued after any still
 * running), answered with a `control-result` of the same id. `name` is the file's name: its extension
 * says the format (.yaml / .yml / .json, else the EVerest text form).
 */
export interface ScenarioFrame {
  kind: "scenario";
  id: number;
  name: string;
  text: string;
}

/** What a client sends. */
export type ClientFrame = ControlFrame | ScenarioFrame;

/** Longest control line accepted (characters); a command line is a few words. */
export const CONTROL_LINE_MAX = 1_000;
/** Longest scenario text accepted (characters): well inside the largest frame the server takes. */
export const SCENARIO_TEXT_MAX = 60_000;

/** Check a client text frame: a control or scenario frame, or an error naming the field and the rule. */
export function parseClientFrame(
  text: string,
): { ok: true; frame: ClientFrame } | { ok: false; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `frame: not JSON (${(e as Error).message})` };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    return { ok: false, error: "frame: must be a JSON object" };
  const o = v as Record<string, unknown>;
  if (o.kind !== "control" && o.kind !== "scenario")
    return {
      ok: false,
      error: `kind: must be "control" or "scenario" (got ${JSON.stringify(o.kind) ?? "nothing"})`,
    };
  if (typeof o.id !== "number" || !Number.isSafeInteger(o.id))
    return { ok: false, error: "id: must be an integer (it is echoed in the control-result)" };
  if (o.kind === "scenario") {
    if (typeof o.name !== "string" || o.name.length > 255)
      return { ok: false, error: "name: must be a file name (a string of at most 255 characters)" };
    if (typeof o.text !== "string") return { ok: false, error: "text: must be a string (the scenario file)" };
    if (o.text.length > SCENARIO_TEXT_MAX)
      return { ok: false, error: `text: at most ${SCENARIO_TEXT_MAX} characters` };
    return { ok: true, frame: { kind: "scenario", id: o.id, name: o.name, text: o.text } };
  }
  if (o.role !== "evse" && o.role !== "ev") return { ok: false, error: 'role: must be "evse" or "ev"' };
  if (typeof o.line !== "string") return { ok: false, error: "line: must be a string (one command line)" };
  if (o.line.length > CONTROL_LINE_MAX)
    return { ok: false, error: `line: at most ${CONTROL_LINE_MAX} characters (one command line)` };
  if (/[\r\n]/.test(o.line)) return { ok: false, error: "line: one line only (no line breaks)" };
  return { ok: true, frame: { kind: "control", id: o.id, role: o.role, line: o.line } };
}
