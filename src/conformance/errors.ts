/** The conformance harness's error: a bad profile or catalogue selection, or a run that could not start. */
import { NacsError } from "../errors.js";

/** What went wrong. */
export type ConformanceErrorCode = "bad-profile" | "bad-selection" | "setup";

/** Error of the conformance harness, with its code and cause. */
export class ConformanceError extends NacsError<ConformanceErrorCode> {
  override readonly name = "ConformanceError";
}
