/**
 * Named error of raw Ethernet: one class with a `code` and the underlying `cause` (the addon's
 * errno error or the loader's failure). Messages name the interface/operation and the rule.
 */
import { NacsError } from "../../errors.js";

/** Why a raw Ethernet operation failed. */
export type RawEthernetErrorCode =
  /** AF_PACKET exists only on Linux. */
  | "unsupported-platform"
  /** build/Release/nacs_raw.node is missing or does not load (npm ci could not compile it). */
  | "addon-not-built"
  /** socket(AF_PACKET) was refused: needs root or CAP_NET_RAW. */
  | "permission-denied"
  /** The interface does not exist (in this network namespace). */
  | "no-such-interface"
  /** A bad option (interface name, EtherType, frame). */
  | "bad-option"
  /** The socket is closed. */
  | "closed"
  /** send() failed (interface down, frame too long, …). */
  | "send-failed"
  /** Any other failure opening the socket. */
  | "open-failed";

/** A raw Ethernet failure; `cause` is the addon's error (with `code` = errno name and `syscall`) if any. */
export class RawEthernetError extends NacsError<RawEthernetErrorCode> {
  override readonly name = "RawEthernetError";
}
