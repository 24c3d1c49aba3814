/** Named errors of the board port (docs/board-protocol.md). Platform-neutral. */
import { NacsError } from "../../errors.js";

/** Why a board-port operation failed or a line from the wire was dropped. */
export type BoardErrorCode =
  /** A line is not valid JSON. */
  | "bad-json"
  /** A line is not valid UTF-8. */
  | "bad-utf8"
  /** A line is longer than the maximum line length. */
  | "too-long"
  /** A JSON object that breaks the message schema (the message names the field and the rule). */
  | "bad-message"
  /** `type` is not a message of this role and direction. */
  | "unknown-type"
  /** The peer speaks another protocol version. */
  | "protocol-mismatch"
  /** The board is for the other role (an EV board on an EVSE host or vice versa). */
  | "role-mismatch"
  /** No hello answer from the board in time. */
  | "hello-timeout"
  /** A command before the hello exchange completed. */
  | "not-ready"
  /** Nothing valid from the peer within the heartbeat limit. */
  | "heartbeat-lost"
  /** The link or stream is closed. */
  | "closed"
  /** The board reported an error (`error` message). */
  | "board-error"
  /** A `--board` value that does not parse. */
  | "bad-spec"
  /** Opening the board transport failed (connect, spawn, open, stty). */
  | "open-failed";

/** A board-port failure; the message names the field or option and the rule, `cause` the underlying error. */
export class BoardError extends NacsError<BoardErrorCode> {
  override readonly name = "BoardError";
}
