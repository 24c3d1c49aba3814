/**
 * The one base of every named nacs error. Each layer has one (rarely two) subclasses with its own `code`
 * union; the message names the field and the rule, and `cause` carries the underlying error. Callers can
 * test `err instanceof NacsError` to tell a reported condition from a bug, and the CLI prints such errors
 * as one line without a stack trace.
 */
export class NacsError<C extends string = string> extends Error {
  override readonly name: string = "NacsError";
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
