/**
 * Named errors of the connector catalogue. Messages name the field, the value and the rule (house style).
 */
import { NacsError } from "../errors.js";

/** Error codes of the connectors layer. */
export type ConnectorErrorCode = "E_UNKNOWN_ID";

/**
 * An id (connector, adapter or DC variant) that is not in the catalogue. Carries the field it came in,
 * the value given and the ids that are allowed, so a CLI can name all three.
 */
export class UnknownIdError extends NacsError<ConnectorErrorCode> {
  override readonly name = "UnknownIdError";
  constructor(
    /** Which argument: "inlet", "connector", "adapter", "connectorVariant", "inletVariant". */
    readonly field: string,
    readonly value: string,
    readonly allowed: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      "E_UNKNOWN_ID",
      `${field}: unknown id ${JSON.stringify(value)}; valid ids: ${allowed.join(", ")}`,
      options,
    );
  }
}
