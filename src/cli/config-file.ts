/**
 * `--config FILE` of the long-running commands (`nacs evse`, `nacs simulate`): a JSON or YAML mapping whose
 * keys are the command's long options (`ocpp-version` or `ocppVersion`; a negated flag by its positive name,
 * `slac: false` for `--no-slac`) and whose values are what the flag would be given (a list as a YAML
 * sequence or a comma-separated string). A flag given on the command line wins over the file. Unknown keys,
 * test-only options and values of the wrong kind are refused with the key, the file and the rule, so a lab
 * can keep one file per charger (its CSMS URL, station ID, limits) and see at once what is wrong with it.
 */
import { readFileSync } from "node:fs";
import type { Command, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { UsageError } from "./errors.js";

/** Options a config file may not set: the file itself, and the test-only switches. */
const NOT_IN_FILE = new Set(["config", "defect", "lab"]);

const camel = (k: string) => k.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The value `v` of key `key` as the option would get it from the command line; throws the rule broken. */
function optionValue(opt: Option, key: string, v: unknown): unknown {
  const takesValue = opt.required || opt.optional;
  if (!takesValue) {
    if (typeof v !== "boolean")
      throw new Error(`"${key}" is a switch: true or false, not ${JSON.stringify(v)}`);
    return v;
  }
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.join(",");
  if (typeof v === "string" || typeof v === "number") return String(v);
  if (typeof v === "boolean" && opt.optional) return v;
  throw new Error(`"${key}" takes a value (${opt.flags}), not ${JSON.stringify(v)}`);
}

/**
 * The command's raw options with the values of `--config FILE` filled in where the command line gave none.
 * Without `--config`, `raw` as it is. Throws UsageError naming the file, the key and the rule.
 */
export function applyConfigFile(raw: Record<string, unknown>, cmd: Command): Record<string, unknown> {
  const path = raw.config;
  if (typeof path !== "string") return raw;
  const fail = (msg: string, cause?: unknown): never => {
    throw new UsageError(`option --config ${path}: ${msg}`, "--config", cause ? { cause } : undefined);
  };
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, "utf8"));
  } catch (e) {
    fail((e as Error).message, e);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    fail("must be a mapping of option names to values (JSON object or YAML mapping)");
  const byName = new Map<string, Option>();
  for (const o of cmd.options) byName.set(o.attributeName(), o);
  const out = { ...raw };
  delete out.config;
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const bare = key.replace(/^--/, "");
    // `no-slac: true` is `slac: false`
    const negated = bare.startsWith("no-");
    const name = camel(negated ? bare.slice(3) : bare);
    const opt = byName.get(name);
    if (!opt || NOT_IN_FILE.has(name))
      fail(
        NOT_IN_FILE.has(name)
          ? `"${key}" cannot be set in a config file (command line only)`
          : `unknown key "${key}": nacs ${cmd.name()} has no option --${bare}`,
      );
    if (cmd.getOptionValueSource(name) === "cli") continue;
    try {
      if (negated && typeof value !== "boolean") fail(`"${key}" is a switch: true or false`);
      out[name] = negated ? !value : optionValue(opt as Option, key, value);
    } catch (e) {
      fail((e as Error).message, e);
    }
  }
  return out;
}
