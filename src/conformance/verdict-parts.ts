/**
 * The parts every verdict module shares (the SECC's: verdict.ts, the car's: evcc/verdict.ts, SLAC and SDP:
 * slac-verdict.ts): a fail naming the rule, the message, the field, what was expected and what was seen,
 * and the check of a message's fields against a case's FieldChecks. Pure.
 */
import type { FieldCheck, Verdict } from "./types.js";
import { getPath, numberOf } from "./wire-codec.js";

/** A fail verdict. */
export const fail = (
  rule: string,
  message: string,
  field: string,
  expected: string,
  seen: string,
): Verdict => ({
  verdict: "fail",
  rule,
  message,
  field,
  expected,
  seen,
});

/**
 * The fields of message `name` (its `body`) against `fields`: the first that breaks its check as a fail,
 * else null. `oneOf` compares as JSON; `atMost` a number (PhysicalValue / RationalNumber as its value).
 */
export function checkFields(
  rule: string,
  name: string,
  body: Record<string, unknown>,
  fields: readonly FieldCheck[] | undefined,
): Verdict | null {
  for (const f of fields ?? []) {
    const v = getPath(body, f.path);
    if (f.oneOf && !f.oneOf.some((x) => JSON.stringify(x) === JSON.stringify(v)))
      return fail(rule, name, f.path, f.oneOf.map((x) => JSON.stringify(x)).join(" or "), JSON.stringify(v));
    const n = numberOf(v);
    if (f.atMost !== undefined && (n === undefined || n > f.atMost))
      return fail(rule, name, f.path, `≤ ${f.atMost}`, n === undefined ? "(absent)" : String(n));
  }
  return null;
}
