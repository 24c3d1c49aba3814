/**
 * What goes over the wire in the DC simulator, for recording (`nacs simulate --pcap`): SLAC
 * frames, SDP datagrams and the V2G TCP connection (open, V2GTP messages with their header, close), each
 * reported by the sender at the virtual time it is sent. Pure types.
 */
import type { SlacFrame } from "../../slac/index.js";

/** A side of the link. */
export type WireSide = "evse" | "ev";

/** One thing sent on the wire. */
export type WireEvent =
  | { kind: "slac"; from: WireSide; frame: SlacFrame }
  | { kind: "sdp"; from: WireSide; datagram: Uint8Array }
  /** The EV opens V2G connection number `conn` (TCP three-way handshake). */
  | { kind: "tcp-open"; conn: number }
  /** One V2GTP message (8-byte header + payload) on connection `conn`. */
  | { kind: "v2gtp"; from: WireSide; conn: number; message: Uint8Array }
  /** `from` closes connection `conn` (FIN), or it is reset (`reset`). */
  | { kind: "tcp-close"; from: WireSide; conn: number; reset?: boolean };

/** Receives wire events as they happen (`tMs` = virtual time since plug-in). */
export type WireTap = (tMs: number, e: WireEvent) => void;
