/**
 * Reading a session record (NDJSON, one RecordEvent per line) in the browser: every line must be a JSON
 * object with a finite number `t` and a string `type`; `t` must not go backwards. Errors name the line, the
 * field and the rule, and carry the JSON parser's error as `cause`.
 */
import type { RecordEvent } from "../../../src/sim/record/types.js";

/** Error codes of {@link RecordParseError}. */
export type RecordParseErrorCode = "bad-json" | "not-object" | "bad-field" | "time-backwards" | "empty";

/** A record file that cannot be shown: which line, which field, which rule. */
export class RecordParseError extends Error {
  override readonly name = "RecordParseError";
  constructor(
    readonly code: RecordParseErrorCode,
    readonly line: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`record line ${line}: ${message}`, options);
  }
}

/** Parse one NDJSON line (1-based `line` for errors). */
export function parseRecordLine(text: string, line: number): RecordEvent {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new RecordParseError("bad-json", line, `not JSON (${(err as Error).message})`, { cause: err });
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new RecordParseError("not-object", line, "an event must be a JSON object");
  const o = v as Record<string, unknown>;
  if (typeof o.t !== "number" || !Number.isFinite(o.t))
    throw new RecordParseError("bad-field", line, `field t: must be a finite number of seconds`);
  if (typeof o.type !== "string" || o.type === "")
    throw new RecordParseError("bad-field", line, `field type: must be a non-empty string`);
  return o as RecordEvent;
}

/** Parse a whole record (blank lines skipped; `\r\n` accepted). */
export function parseRecordText(text: string): RecordEvent[] {
  const out: RecordEvent[] = [];
  const lines = text.split("\n");
  let lastT = Number.NEGATIVE_INFINITY;
  for (let n = 0; n < lines.length; n++) {
    const s = lines[n]!.trim();
    if (!s) continue;
    const e = parseRecordLine(s, n + 1);
    if (e.t < lastT)
      throw new RecordParseError(
        "time-backwards",
        n + 1,
        `field t: ${e.t} is before the previous event's ${lastT} (t must not decrease)`,
      );
    lastT = e.t;
    out.push(e);
  }
  if (out.length === 0) throw new RecordParseError("empty", 0, "no events in the record");
  return out;
}
