/** Errors of SLAC matching: a bad configuration, naming the field, the value and the rule. */
import { NacsError } from "../../errors.js";

/** Codes carried by {@link SlacConfigError}. */
export type SlacConfigErrorCode = "bad-config";

/** Thrown by the config resolvers (never by a step function, which only logs and ignores bad frames). */
export class SlacConfigError extends NacsError<SlacConfigErrorCode> {
  override readonly name = "SlacConfigError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("bad-config", message, options);
  }
}

/** Throw {@link SlacConfigError} unless `value` is a finite number within [min, max] (and integral if asked). */
export function requireRange(
  field: string,
  value: number,
  min: number,
  max: number,
  integer = false,
): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? "an integer" : "a number";
    throw new SlacConfigError(`${field} = ${value} is not allowed: must be ${kind} in ${min}..${max}`);
  }
  return value;
}

/** Throw {@link SlacConfigError} unless `value` is a 6-byte MAC. */
export function requireMac(field: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 6) {
    throw new SlacConfigError(`${field} is not allowed: must be a 6-byte Uint8Array MAC`);
  }
  return value;
}
