/** Named error of the session layer (house style: a code, a message naming the field and rule, a cause). */
import { NacsError } from "../../errors.js";

/** Codes of {@link SessionError}. */
export type SessionErrorCode = "CONFIG" | "UNEXPECTED_ELEMENT" | "ENCODE";

/** A session-layer error: bad configuration, a message that is not a request/response of this set. */
export class SessionError extends NacsError<SessionErrorCode> {
  override readonly name = "SessionError";
}
