/**
 * The dashboard host ↔ app WebSocket protocol (JSON text frames at `/ws`), app side: the frames the server
 * sends, checked field by field (a bad frame is reported, never thrown into the UI), and the control frame
 * the app sends.
 */
import type {
  DashboardInfo as ApiInfo,
  ClientFrame,
  ControlFrame,
  ServerFrame as HostFrame,
  ControlRole as Role,
} from "../../../src/cli/dashboard/protocol.js";
import type { RecordEvent } from "../../../src/sim/record/types.js";

export type { ApiInfo, ClientFrame, ControlFrame, Role };

/**
 * A server frame as the app keeps it: the host's frames (src/cli/dashboard/protocol.ts), read leniently —
 * the hello's command as text and its help per role only where the host sent one.
 */
export type ServerFrame =
  | Exclude<HostFrame, { kind: "hello" | "events" }>
  | (Omit<Extract<HostFrame, { kind: "hello" }>, "command" | "commands"> & {
      command: string;
      commands: Partial<Record<Role, string>>;
    })
  | { kind: "events"; events: RecordEvent[] };

const roles = (v: unknown): Role[] =>
  Array.isArray(v) ? v.filter((r): r is Role => r === "evse" || r === "ev") : [];

/** Parse one server frame; errors name the field and the rule. */
export function parseServerFrame(text: string): ServerFrame | { kind: "bad"; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { kind: "bad", error: `frame: not JSON (${(e as Error).message})` };
  }
  if (typeof v !== "object" || v === null) return { kind: "bad", error: "frame: must be a JSON object" };
  const o = v as Record<string, unknown>;
  switch (o.kind) {
    case "hello": {
      const c = (typeof o.commands === "object" && o.commands !== null ? o.commands : {}) as Record<
        string,
        unknown
      >;
      const commands: Partial<Record<Role, string>> = {};
      if (typeof c.evse === "string") commands.evse = c.evse;
      if (typeof c.ev === "string") commands.ev = c.ev;
      return {
        kind: "hello",
        command: String(o.command ?? ""),
        live: o.live === true,
        roles: roles(o.roles),
        commands,
        scenarios: o.scenarios === true,
      };
    }
    case "events": {
      if (!Array.isArray(o.events))
        return { kind: "bad", error: "events frame: field events must be an array" };
      const events = o.events.filter(
        (e): e is RecordEvent =>
          typeof e === "object" && e !== null && typeof e.t === "number" && typeof e.type === "string",
      );
      if (events.length !== o.events.length)
        return { kind: "bad", error: "events frame: every event needs a number t and a string type" };
      return { kind: "events", events };
    }
    case "end":
      return { kind: "end" };
    case "control-result": {
      if (typeof o.id !== "number")
        return { kind: "bad", error: "control-result frame: field id must be a number" };
      if (o.ok === true) return { kind: "control-result", id: o.id, ok: true, did: String(o.did ?? "") };
      return { kind: "control-result", id: o.id, ok: false, error: String(o.error ?? "failed") };
    }
    case "error":
      return { kind: "error", error: String(o.error ?? "") };
    default:
      return { kind: "bad", error: `frame: field kind ${JSON.stringify(o.kind)} is not a known kind` };
  }
}

/** The control words of a role from the hello's help text ("commands: a (b), c N, fault NAME"). */
export function controlWords(help: string | undefined): string[] {
  if (!help) return [];
  return help
    .replace(/^commands:\s*/, "")
    .split(",")
    .map((w) => w.trim().split(/\s+/)[0] ?? "")
    .filter((w) => /^[a-z_]+$/.test(w));
}
