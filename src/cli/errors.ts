/**
 * CLI error handling: a bad option or config value is a {@link UsageError}, printed as one line that
 * names the option, the value and what is allowed, with exit code 2 and no stack trace.
 */
import type { z } from "zod";
import { NacsError } from "../errors.js";

/** Exit code for bad command-line input or configuration. */
export const EXIT_USAGE = 2;

/** A user-facing input error. `option` is the flag as typed (e.g. `--battery-kwh`). */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    readonly option?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * What went wrong while using `flag value` (opening an interface, serving on it), as a UsageError naming
 * both; a UsageError passes unchanged. `doing`: e.g. "cannot serve: ".
 */
export function optionError(e: unknown, flag: string, value: string, doing = ""): UsageError {
  if (e instanceof UsageError) return e;
  return new UsageError(`option ${flag} ${value}: ${doing}${(e as Error).message}`, flag, { cause: e });
}

/** Turn a camelCase option key back into the flag the user typed. */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Validate raw commander options with a zod schema. On failure throws a UsageError whose message names
 * every bad option, the value given and the rule it broke.
 */
export function parseOptions<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    const flag = key ? flagName(key) : "options";
    const value = key ? raw[key] : undefined;
    const shown = value === undefined ? "(default)" : JSON.stringify(value);
    return `option ${flag}: value ${shown} is not allowed: ${describeIssue(issue)}`;
  });
  throw new UsageError(lines.join("\n"), String(r.error.issues[0]?.path[0] ?? ""));
}

const EXPECTED_WORDS: Record<string, string> = {
  number: "a number",
  int: "an integer",
  string: "a text value",
  boolean: "no value (it is a switch)",
};

/** Say what a zod issue allows, in words a user reads without knowing zod. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & {
    expected?: string;
    minimum?: number | bigint;
    maximum?: number | bigint;
    inclusive?: boolean;
    values?: unknown[];
  };
  // Custom messages (from a schema's `error` or a refinement) are already worded for users.
  if (issue.code === "custom") return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${EXPECTED_WORDS[i.expected ?? ""] ?? `a value of type ${i.expected}`}`;
    case "too_small":
      return `must be ${i.inclusive ? "at least" : "greater than"} ${String(i.minimum)}`;
    case "too_big":
      return `must be ${i.inclusive ? "at most" : "less than"} ${String(i.maximum)}`;
    case "invalid_value":
      return /^Invalid/.test(issue.message)
        ? `must be one of ${(i.values ?? []).map((v) => JSON.stringify(v)).join(", ")}`
        : issue.message;
    default:
      return issue.message;
  }
}

/** Print an error the way the CLI does and return the exit code to use. */
export function reportError(
  err: unknown,
  write: (s: string) => void = (s) => process.stderr.write(s),
): number {
  if (err instanceof UsageError) {
    write(`nacs: ${err.message}\n`);
    return EXIT_USAGE;
  }
  const e = err as { code?: string; message?: string };
  if (e && typeof e.code === "string" && e.code.startsWith("commander.")) {
    // commander has already printed its message
    return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? 0 : EXIT_USAGE;
  }
  if (err instanceof NacsError) {
    // a reported condition (bad file, refused certificate, no SDP answer …), not a bug: one line, no stack
    write(`nacs: ${err.name} ${err.code}: ${err.message}\n`);
    if (process.env.NACS_DEBUG) write(`${err.stack ?? ""}\n`);
    return 1;
  }
  write(`nacs: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.NACS_DEBUG) write(`${(err as Error)?.stack ?? ""}\n`);
  return 1;
}
