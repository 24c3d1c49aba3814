/**
 * Value checks used by the generated encoders; each failure is an {@link ExiEncodeError} naming the field.
 *
 * Encoding rule for values outside a schema facet: refused (EXI_RANGE, EXI_ENUM, EXI_LENGTH) unless the
 * encode call is tolerant — `tolerant: true` in the options, or the message came from a decoder that
 * reported facet warnings (see `decoded.ts`). A tolerant encode still refuses what the EXI coding cannot
 * carry: an n-bit integer outside [min, min + 2^n − 1] (EXI 1.0 §7.1.9), an enumeration index ≥ 2^n
 * (EXI 1.0 §7.2), a string or binary longer than the hard limits of `limits.ts`.
 */
import { ExiEncodeError } from "./errors.js";

/** Whether the encode call in progress tolerates facet violations (set by the generated encode functions). */
export const ENCODE_MODE = { tolerant: false };

/**
 * Check an integer against the schema range [min, max]; returns it. In a tolerant encode, values in
 * [hmin, hmax] (what the EXI coding of the type can carry) pass too.
 */
export function chkInt(
  v: unknown,
  min: number,
  max: number,
  field: string,
  hmin?: number,
  hmax?: number,
): number {
  if (typeof v !== "number" || !Number.isInteger(v))
    throw new ExiEncodeError("EXI_TYPE", field, `expected an integer, got ${JSON.stringify(v)}`);
  if (v < min || v > max) {
    if (ENCODE_MODE.tolerant && hmin !== undefined && hmax !== undefined && v >= hmin && v <= hmax) return v;
    throw new ExiEncodeError("EXI_RANGE", field, `value ${v} outside the schema range [${min}, ${max}]`);
  }
  return v;
}

/**
 * Check a 64-bit/unbounded integer (number, bigint or decimal string) against optional bounds. In a tolerant
 * encode any value passes that the coding carries (`unsigned`: not negative, EXI 1.0 §7.1.6).
 */
export function chkBig(
  v: unknown,
  min: bigint | undefined,
  max: bigint | undefined,
  field: string,
  unsigned = false,
): bigint {
  let b: bigint;
  try {
    if (typeof v === "bigint") b = v;
    else if ((typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^-?\d+$/.test(v)))
      b = BigInt(v);
    else throw new Error();
  } catch {
    throw new ExiEncodeError("EXI_TYPE", field, `expected an integer, got ${JSON.stringify(String(v))}`);
  }
  if ((min !== undefined && b < min) || (max !== undefined && b > max)) {
    if (ENCODE_MODE.tolerant && (!unsigned || b >= 0n)) return b;
    throw new ExiEncodeError(
      "EXI_RANGE",
      field,
      `value ${b} outside the schema range [${min ?? "-inf"}, ${max ?? "inf"}]`,
    );
  }
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

/**
 * Index of an enumeration value not in `allowed`: in a tolerant encode, an index past the end (the number a
 * tolerant decode gives for it) that the `width`-bit code can carry; otherwise EXI_ENUM.
 */
export function enumIdx(v: unknown, allowed: readonly string[], width: number, field: string): number {
  if (
    ENCODE_MODE.tolerant &&
    typeof v === "number" &&
    Number.isInteger(v) &&
    v >= allowed.length &&
    v < 2 ** width
  )
    return v;
  throw enumErr(v, allowed, field);
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
