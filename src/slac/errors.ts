import { NacsError } from "../errors.js";

/** Reasons a SLAC / HomePlug AV frame cannot be decoded or encoded. */
export type SlacErrorCode =
  /** Frame or MME shorter than its header or its fixed fields. */
  | "truncated"
  /** Ethernet frame whose EtherType is not 0x88E1 (HomePlug AV). */
  | "not-homeplug"
  /** A field given to an encoder has the wrong length or is out of range. */
  | "bad-field"
  /** A key-derivation input is invalid (e.g. NMK not 16 bytes, bad security level). */
  | "bad-key";

/**
 * The one named error of `src/slac`: a receiver drops the frame and logs `code` + message
 * (ISO 15118-3 says unknown/invalid MMEs are ignored, they never end a session).
 */
export class SlacError extends NacsError<SlacErrorCode> {
  override readonly name = "SlacError";
}
