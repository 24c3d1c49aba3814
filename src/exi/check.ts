/** Value checks used by the generated encoders; each failure is an {@link ExiEncodeError} naming the field. */
import { ExiEncodeError } from "./errors.js";

/** Check an integer against the schema range [min, max]; returns it. */
export function chkInt(v: unknown, min: number, max: number, field: string): number {
  if (typeof v !== "number" || !Number.isInteger(v))
    throw new ExiEncodeError("EXI_TYPE", field, `expected an integer, got ${JSON.stringify(v)}`);
  if (v < min || v > max)
    throw new ExiEncodeError("EXI_RANGE", field, `value ${v} outside the schema range [${min}, ${max}]`);
  return v;
}

/** Check a 64-bit/unbounded integer (number, bigint or decimal string) against optional bounds. */
export function chkBig(v: unknown, min: bigint | undefined, max: bigint | undefined, field: string): bigint {
  let b: bigint;
  try {
    if (typeof v === "bigint") b = v;
    else if ((typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^-?\d+$/.test(v)))
      b = BigInt(v);
    else throw new Error();
  } catch {
    throw new ExiEncodeError("EXI_TYPE", field, `expected an integer, got ${JSON.stringify(String(v))}`);
  }
  if ((min !== undefined && b < min) || (max !== undefined && b > max))
    throw new ExiEncodeError(
      "EXI_RANGE",
      field,
      `value ${b} outside the schema range [${min ?? "-inf"}, ${max ?? "inf"}]`,
    );
  return b;
}

/** Check a boolean. */
export function chkBool(v: unknown, field: string): boolean {
  if (typeof v !== "boolean")
    throw new ExiEncodeError("EXI_TYPE", field, `expected a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/** Enumeration value not in the schema. */
export function enumErr(v: unknown, allowed: readonly string[], field: string): ExiEncodeError {
  return new ExiEncodeError(
    "EXI_ENUM",
    field,
    `value ${JSON.stringify(v)} is not one of ${allowed.join(", ")}`,
  );
}

/** A field present where the grammar does not allow it, or a required field missing. */
export function structErr(type: string, field: string, expected: string): ExiEncodeError {
  return new ExiEncodeError("EXI_STRUCTURE", field, `not allowed here in ${type} (expected ${expected})`);
}

/** An array field given something else, or too many items. */
export function arrErr(field: string, v: unknown, max: number): ExiEncodeError {
  return Array.isArray(v)
    ? new ExiEncodeError("EXI_LIMIT", field, `${v.length} items exceed maxOccurs ${max}`)
    : new ExiEncodeError("EXI_TYPE", field, "expected an array");
}

/** A required field is missing (every valid instance of `type` contains it). */
export function missErr(type: string, field: string): ExiEncodeError {
  return new ExiEncodeError("EXI_STRUCTURE", field, `required in ${type} but missing`);
}
