/**
 * Typed errors of the EXI runtime: malformed input raises {@link ExiDecodeError} with the bit
 * offset, the grammar state or element and what was expected; values outside the schema raise
 * {@link ExiEncodeError} naming the field path.
 */

/** Error codes of {@link ExiDecodeError}. */
export type ExiDecodeErrorCode =
  | "EXI_HEADER"
  | "EXI_EOF"
  | "EXI_EVENT"
  | "EXI_VALUE"
  | "EXI_LIMIT"
  | "EXI_UNSUPPORTED"
  | "EXI_TRAILING";

/** Malformed or unsupported EXI input. `bitOffset` is where the offending item starts. */
export class ExiDecodeError extends Error {
  override name = "ExiDecodeError";
  constructor(
    readonly code: ExiDecodeErrorCode,
    message: string,
    readonly bitOffset: number,
    readonly state?: string,
    readonly expected?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${message} at bit ${bitOffset}${state ? ` in ${state}` : ""}${expected ? ` (expected ${expected})` : ""}`,
      options,
    );
  }
}

/** Error codes of {@link ExiEncodeError}. */
export type ExiEncodeErrorCode =
  | "EXI_RANGE"
  | "EXI_LENGTH"
  | "EXI_ENUM"
  | "EXI_TYPE"
  | "EXI_STRUCTURE"
  | "EXI_LIMIT";

/** A value that the schema does not allow. `path` is the field path from the root, e.g. `Body.SessionSetupReq.EVCCID`. */
export class ExiEncodeError extends Error {
  override name = "ExiEncodeError";
  /** Field names from the root to the offending field. */
  path: string[];
  readonly rule: string;
  constructor(
    readonly code: ExiEncodeErrorCode,
    field: string,
    rule: string,
    options?: { cause?: unknown },
  ) {
    super(field ? `${field}: ${rule}` : rule, options);
    this.path = field ? [field] : [];
    this.rule = rule;
  }

  /** Prepend a parent field name (used while the error travels up the generated encoders). */
  under(parent: string): ExiEncodeError {
    this.path.unshift(parent);
    this.message = `${this.path.join(".")}: ${this.rule}`;
    return this;
  }
}

/** Add `parent` to the path of an {@link ExiEncodeError}; other errors pass through unchanged. */
export function withPath(err: unknown, parent: string): unknown {
  return err instanceof ExiEncodeError ? err.under(parent) : err;
}
