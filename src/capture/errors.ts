/** The named error of `src/capture`: `code` says why; the message names the field and the rule. */
import { NacsError } from "../errors.js";

/** Reasons a capture file (or a part of it) cannot be read. */
export type CaptureErrorCode =
  | "bad-magic"
  | "truncated"
  | "bad-block"
  | "too-large"
  | "bad-option"
  | "bad-keylog"
  | "tls";

/** Thrown by the capture reader, writer and decoder. */
export class CaptureError extends NacsError<CaptureErrorCode> {
  override readonly name = "CaptureError";
}
