/** Named errors of the OCPP port (the station client and the test CSMS). */
import { NacsError } from "../../errors.js";

/** Why an OCPP transport operation failed. */
export type OcppLinkErrorCode =
  | "bad-url"
  | "connect-failed"
  | "listen-failed"
  | "bad-script"
  | "queue-failed";

/** An OCPP transport failure; the message names the field and the rule, `cause` the underlying error. */
export class OcppLinkError extends NacsError<OcppLinkErrorCode> {
  override readonly name = "OcppLinkError";
}
