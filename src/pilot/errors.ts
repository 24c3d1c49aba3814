/** Errors of the pilot layer: a bad component value or input, naming the field and the rule. */
import { NacsError } from "../errors.js";

/** Codes carried by {@link PilotError}. */
export type PilotErrorCode = "invalid-component" | "invalid-input";

/** Thrown when a circuit or PP model gets a value it cannot use (e.g. a negative resistance). */
export class PilotError extends NacsError<PilotErrorCode> {
  override readonly name = "PilotError";
}

/** Throw a {@link PilotError} unless `value` is a finite number satisfying `ok`. */
export function requireValue(field: string, value: number, rule: string, ok: (v: number) => boolean): void {
  if (!Number.isFinite(value) || !ok(value)) {
    throw new PilotError("invalid-component", `${field} = ${value} is not allowed: must be ${rule}`);
  }
}
