/**
 * Scenario parsing: EVerest's car-simulator string (`;`- or newline-separated commands, the
 * arguments comma- or space-separated, e.g. `sleep 1;iso_wait_slac_matched;iso_start_v2g_session DC`), and
 * YAML / JSON scenario files — a list of commands (strings in the same syntax, or objects
 * `{ sleep: 1 }` / `{ cmd: "fault", args: ["over-current"] }`), or an object `{ options, commands }`, or
 * the older `{ options, steps }` timed-step format (src/sim/dc/scenario.ts). `#` starts a comment to the end
 * of the command. Names are case-insensitive. Errors name the command, its position and the known commands.
 */
import { parse as parseYaml } from "yaml";
import { FAULT_NAMES } from "../dc/faults.js";
import {
  type DcScenario,
  dcScenarioOptionsSchema,
  parseDcScenarioObject,
  ScenarioError,
} from "../dc/scenario.js";
import type { DcSessionOptions } from "../dc/session.js";
import { SCENARIO_COMMAND_NAMES, SCENARIO_COMMANDS, type ScenarioCommand } from "./commands.js";

export { ScenarioError };

/** A parsed scenario: option overrides, commands for the runner, timed steps (older format). */
export interface Scenario extends DcScenario {
  commands: ScenarioCommand[];
}

/**
 * Energy modes `iso_start_v2g_session` accepts in a DC session: EVerest's `DC`, the ISO 15118-2
 * EnergyTransferMode names, and the ISO 15118-20 service `DC_BPT` (EVerest's -20 service names DC, DC_BPT,
 * AC, AC_BPT; the EV then asks for bidirectional DC).
 */
export const DC_ENERGY_MODES: readonly string[] = Object.freeze([
  "dc",
  "dc_extended",
  "dc_core",
  "dc_combo_core",
  "dc_unique",
  "dc_bpt",
]);
/** The energy modes that need an ISO 15118-20 session (its BPT services). */
export const ISO20_ONLY_ENERGY_MODES: readonly string[] = Object.freeze(["dc_bpt"]);
/** Payment options `iso_start_v2g_session` accepts (EVerest: `auto` when left out). */
const PAYMENTS = ["externalpayment", "auto"];
const DC_PHASES = ["connecting", "cable-check", "pre-charge", "charging", "stopping", "ended"];

function fail(pos: number, text: string, rule: string): never {
  throw new ScenarioError(`scenario command ${pos} "${text}": ${rule}`);
}

/** Check and convert one command (name + raw argument strings). */
export function makeCommand(
  nameRaw: string,
  rawArgs: readonly string[],
  pos: number,
  text: string,
): ScenarioCommand {
  const name = nameRaw.toLowerCase();
  const spec = SCENARIO_COMMANDS[name];
  if (!spec)
    fail(pos, text, `unknown command "${nameRaw}"; known commands: ${SCENARIO_COMMAND_NAMES.join(", ")}`);
  if (spec.notDc) fail(pos, text, spec.notDc);
  const min = spec.args.length - (spec.optional ?? 0);
  if (rawArgs.length < min || rawArgs.length > spec.args.length) {
    const want = min === spec.args.length ? `${min}` : `${min}–${spec.args.length}`;
    fail(
      pos,
      text,
      `${name} takes ${want} argument(s) (${spec.args.join(", ") || "none"}), got ${rawArgs.length}`,
    );
  }
  const args = rawArgs.map((a, k) => {
    if (spec.args[k] !== "number") return a;
    const n = Number(a);
    if (a.trim() === "" || !Number.isFinite(n) || n < 0)
      fail(pos, text, `argument ${k + 1} must be a number ≥ 0, got "${a}"`);
    return n;
  });
  const word = (k: number) => String(args[k] ?? "").toLowerCase();
  if (name === "iso_start_v2g_session") {
    if (!DC_ENERGY_MODES.includes(word(0)))
      fail(
        pos,
        text,
        `energy mode "${args[0]}": the DC simulator runs DC sessions (${DC_ENERGY_MODES.join(", ")}); AC, AC_BPT: --mode ac`,
      );
    // EVerest's shapes: MODE | MODE,PAYMENT | MODE,DEPARTURE,EAMOUNT | MODE,PAYMENT,DEPARTURE,EAMOUNT
    const payment = args.length === 2 || args.length === 4 ? 1 : -1;
    if (payment > 0 && !PAYMENTS.includes(word(payment)))
      fail(
        pos,
        text,
        `payment "${args[payment]}": only ExternalPayment (or auto) is simulated (no Plug & Charge)`,
      );
    if (args.length >= 3) {
      const first = args.length - 2;
      for (const [k, what] of [
        [first, "departure time (s)"],
        [first + 1, "energy amount EAmount (Wh)"],
      ] as const) {
        const n = Number(args[k]);
        if (String(args[k]).trim() === "" || !Number.isInteger(n) || n < 0)
          fail(pos, text, `argument ${k + 1}, the ${what}, must be an integer ≥ 0, got "${args[k]}"`);
      }
    }
  }
  if (name === "iso_set_departure_time" && !Number.isInteger(args[0]))
    fail(pos, text, `the departure time must be a whole number of seconds ≥ 0, got "${args[0]}"`);
  if (name === "fault" && !(FAULT_NAMES as readonly string[]).includes(word(0)))
    fail(pos, text, `unknown fault "${args[0]}"; faults: ${FAULT_NAMES.join(", ")}`);
  if (name === "wait_phase" && !DC_PHASES.includes(word(0)))
    fail(pos, text, `unknown phase "${args[0]}"; phases: ${DC_PHASES.join(", ")}`);
  if ((name === "set_soc" || name === "set_target_soc" || name === "wait_soc") && Number(args[0]) > 100)
    fail(pos, text, "SOC must be 0–100 %");
  if (name === "iso_start_bcb_toggle" && (Number(args[0]) < 1 || !Number.isInteger(args[0])))
    fail(pos, text, "toggle count must be an integer ≥ 1");
  // iso_start_v2g_session with 3 or 4 arguments: the last two are numbers (departure time, EAmount)
  const numeric = (i: number) => name === "iso_start_v2g_session" && args.length >= 3 && i >= args.length - 2;
  const norm = spec.args.map((k, i) =>
    k === "word" && i < args.length ? (numeric(i) ? Number(args[i]) : word(i)) : args[i],
  );
  return { name, args: norm.slice(0, args.length) as (number | string)[], pos, text };
}

/** Commands that need an ISO 15118-20 session, with why. */
const ISO20_ONLY: Readonly<Record<string, string>> = {
  iso_start_bpt_discharge: "giving energy back is ISO 15118-20 BPT (the DC_BPT service)",
  iso_stop_bpt_discharge: "giving energy back is ISO 15118-20 BPT (the DC_BPT service)",
};

/**
 * Check `commands` against the session's protocol (`--protocol` or the scenario options): the ISO 15118-20
 * commands (BPT discharge, the DC_BPT energy mode) need `iso20`; DIN 70121 has no DepartureTime. Throws
 * {@link ScenarioError} naming the command, its position and the rule.
 */
export function checkScenarioProtocol(commands: readonly ScenarioCommand[], protocol: string): void {
  for (const c of commands) {
    const why =
      ISO20_ONLY[c.name] ??
      (c.name === "iso_start_v2g_session" && ISO20_ONLY_ENERGY_MODES.includes(String(c.args[0]))
        ? `energy mode ${String(c.args[0]).toUpperCase()} is an ISO 15118-20 service`
        : undefined);
    if (why && protocol !== "iso20")
      fail(c.pos, c.text, `${why}: needs protocol iso20, this session's protocol is ${protocol}`);
    const departs =
      c.name === "iso_set_departure_time" || (c.name === "iso_start_v2g_session" && c.args.length >= 3);
    if (departs && protocol === "din")
      fail(c.pos, c.text, "DIN 70121 has no DepartureTime: needs protocol iso2 or iso20");
  }
}

/** Parse one command in EVerest syntax (`name a,b` or `name a b`). */
export function parseCommandText(text: string, pos: number): ScenarioCommand {
  const [head = "", ...rest] = text.trim().split(/\s+/);
  const args = rest
    .join(" ")
    .split(/[\s,]+/)
    .filter((a) => a !== "");
  return makeCommand(head, args, pos, text.trim());
}

/** Split an EVerest string into command texts (`;` or newline; `#` comments; blanks skipped). */
export function splitEverestString(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((c) => c.replace(/#.*$/, "").trim())
    .filter((c) => c !== "");
}

/** Parse EVerest's car-simulator string. Throws {@link ScenarioError}. */
export function parseEverestString(text: string): ScenarioCommand[] {
  return splitEverestString(text).map((c, k) => parseCommandText(c, k + 1));
}

function commandOf(item: unknown, pos: number): ScenarioCommand {
  if (typeof item === "string") {
    const parts = splitEverestString(item);
    if (parts.length !== 1) fail(pos, item, "one command per list item");
    return parseCommandText(parts[0]!, pos);
  }
  if (item && typeof item === "object" && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    const text = JSON.stringify(item);
    if ("cmd" in o) {
      const args = o.args === undefined ? [] : Array.isArray(o.args) ? o.args : [o.args];
      const extra = Object.keys(o).filter((k) => k !== "cmd" && k !== "args");
      if (extra.length > 0) fail(pos, text, `unknown field(s) ${extra.join(", ")} (use cmd and args)`);
      return makeCommand(String(o.cmd), args.map(String), pos, text);
    }
    const keys = Object.keys(o);
    if (keys.length !== 1) fail(pos, text, "an object command has one key (the command) or {cmd, args}");
    const v = o[keys[0]!];
    const args = v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
    return makeCommand(keys[0]!, args.map(String), pos, text);
  }
  fail(pos, JSON.stringify(item), "a command is a string or an object");
}

/** Build a scenario from a decoded YAML / JSON value. */
export function scenarioFromValue(raw: unknown): Scenario {
  if (Array.isArray(raw)) return { options: {}, steps: [], commands: raw.map((x, k) => commandOf(x, k + 1)) };
  if (typeof raw === "string") return { options: {}, steps: [], commands: parseEverestString(raw) };
  if (raw && typeof raw === "object") {
    const o = raw as Record<string, unknown>;
    const { commands, ...rest } = o;
    const base = parseDcScenarioObject(rest);
    let cmds: ScenarioCommand[] = [];
    if (typeof commands === "string") cmds = parseEverestString(commands);
    else if (Array.isArray(commands)) cmds = commands.map((x, k) => commandOf(x, k + 1));
    else if (commands !== undefined)
      throw new ScenarioError("scenario commands: must be a list or an EVerest string");
    return { ...base, commands: cmds };
  }
  throw new ScenarioError(
    "scenario: must be a list of commands, an EVerest string or an object {options, commands}",
  );
}

/** File kinds by extension. */
export type ScenarioFileKind = "yaml" | "json" | "txt";

/** The kind of `path` by its extension (.yaml/.yml, .json, .txt), or null. */
export function scenarioKindOf(path: string): ScenarioFileKind | null {
  const m = /\.([a-z]+)$/i.exec(path);
  const ext = m?.[1]?.toLowerCase();
  if (ext === "yaml" || ext === "yml") return "yaml";
  if (ext === "json") return "json";
  if (ext === "txt") return "txt";
  return null;
}

/** Parse scenario file text of `kind`. Throws {@link ScenarioError}. */
export function parseScenarioText(text: string, kind: ScenarioFileKind): Scenario {
  if (kind === "txt") return { options: {}, steps: [], commands: parseEverestString(text) };
  let raw: unknown;
  try {
    raw = kind === "json" ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ScenarioError(`scenario: not ${kind.toUpperCase()}: ${(err as Error).message}`, { cause: err });
  }
  return scenarioFromValue(raw);
}

/** Schema of the `options` block (shared with the older format). */
export const scenarioOptionsSchema = dcScenarioOptionsSchema;
export type { DcSessionOptions };
