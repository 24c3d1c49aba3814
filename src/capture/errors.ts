/** The named error of `src/capture`: `code` says why; the message names the field and the rule. */

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
export class CaptureError extends Error {
  override readonly name = "CaptureError";
  readonly code: CaptureErrorCode;
  constructor(code: CaptureErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
