/**
 * Wire tap of the real-network hosts (`nacs evse --pcap` / `nacs ev --pcap`): every SLAC frame
 * the SLAC stage sends or receives, every SDP datagram, and every V2GTP message a session sends or
 * receives, with the wall-clock time it happened and the endpoints of its socket. The tap sees what the
 * application wrote to and read from its sockets — for TLS the decrypted application data — not what the
 * kernel put on the wire; the recorder (src/cli/record-pcap.ts) frames it into packets.
 */

import type { FramePort } from "../../slac/run/index.js";
import { encodeV2gtpMessage, type V2gtpMessage } from "../../v2g/index.js";
import type { LinkEndpoint, LinkTransport, V2gConnection } from "../types.js";

/** Which way a unit crossed this host's socket. */
export type WireDir = "tx" | "rx";

/** One unit that crossed a socket of this host. */
export type HostWireEvent =
  /** A whole Ethernet frame (EtherType 0x88E1) on the raw socket of the SLAC stage. */
  | { kind: "slac"; dir: WireDir; frame: Uint8Array }
  /** One SDP datagram (V2GTP header included); `local` may be the unspecified address "::" of the bind. */
  | { kind: "sdp"; dir: WireDir; datagram: Uint8Array; local: LinkEndpoint; remote: LinkEndpoint }
  /** A V2G connection became usable (TLS: after the handshake). */
  | { kind: "tcp-open"; conn: string; transport: LinkTransport; local: LinkEndpoint; remote: LinkEndpoint }
  /** One V2GTP message (8-byte header + payload) on connection `conn`. */
  | {
      kind: "v2gtp";
      conn: string;
      dir: WireDir;
      message: Uint8Array;
      local: LinkEndpoint;
      remote: LinkEndpoint;
    }
  /** The connection closed; `by` = which end closed it ("local" also for server shutdown). */
  | { kind: "tcp-close"; conn: string; by: "local" | "remote" };

/** Receives {@link HostWireEvent}s with their wall-clock time in ms since the epoch (sub-ms resolution). */
export type HostWireTap = (atMs: number, e: HostWireEvent) => void;

/** Wall-clock ms since the epoch with the monotonic clock's resolution. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** A {@link FramePort} that reports every frame sent and received to `tap` (one report per frame). */
export function tapFramePort(port: FramePort, tap: HostWireTap): FramePort {
  const handlers = new Set<(frame: Uint8Array) => void>();
  let unsubscribe: (() => void) | null = null;
  return {
    get mac() {
      return port.mac;
    },
    send(frame) {
      port.send(frame);
      tap(wallClockMs(), { kind: "slac", dir: "tx", frame });
    },
    onFrame(h) {
      handlers.add(h);
      unsubscribe ??= port.onFrame((frame) => {
        tap(wallClockMs(), { kind: "slac", dir: "rx", frame });
        for (const x of [...handlers]) x(frame);
      });
      return () => {
        handlers.delete(h);
        if (handlers.size === 0 && unsubscribe) {
          unsubscribe();
          unsubscribe = null;
        }
      };
    },
  };
}

/** A V2G connection's view of a tap: one call per message, open and close (the network ports use it). */
export function v2gtpTapEvents(
  conn: V2gConnection,
  tap: HostWireTap,
): {
  open(): void;
  message(dir: WireDir, m: V2gtpMessage): void;
  close(code: string): void;
} {
  const ends = () => ({ local: conn.local, remote: conn.remote });
  return {
    open: () => tap(wallClockMs(), { kind: "tcp-open", conn: conn.id, transport: conn.transport, ...ends() }),
    message: (dir, m) =>
      tap(wallClockMs(), {
        kind: "v2gtp",
        conn: conn.id,
        dir,
        message: encodeV2gtpMessage(m.payloadType, m.payload),
        ...ends(),
      }),
    close: (code) =>
      tap(wallClockMs(), {
        kind: "tcp-close",
        conn: conn.id,
        by: code === "local" || code === "server-close" ? "local" : "remote",
      }),
  };
}

/** The SDP client's / server's `onDatagram` hook reporting to `tap`. */
export function sdpTap(
  tap: HostWireTap,
): (dir: WireDir, datagram: Uint8Array, local: LinkEndpoint, remote: LinkEndpoint) => void {
  return (dir, datagram, local, remote) => tap(wallClockMs(), { kind: "sdp", dir, datagram, local, remote });
}
