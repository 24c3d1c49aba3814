/** Helpers for the transport tests (not exported from the package). Everything binds to ::1. */
import { connect, type Socket } from "node:net";
import type { V2gtpMessage } from "../v2g/index.js";
import type { V2gConnection, V2gServer } from "./types.js";

/** Loopback address every test binds to. */
export const LOOPBACK = "::1";

/** Echo every message back on the connection it came from. */
export function echo(server: V2gServer): void {
  server.onConnection((c) => {
    c.onMessage((m) => {
      if (!c.isClosed) c.send(m.payloadType, m.payload);
    });
  });
}

/** Resolve with the next `n` messages of a connection. */
export function nextMessages(conn: V2gConnection, n: number, timeoutMs = 3000): Promise<V2gtpMessage[]> {
  return new Promise((resolve, reject) => {
    const got: V2gtpMessage[] = [];
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timeout: got ${got.length} of ${n} messages`));
    }, timeoutMs);
    const off = conn.onMessage((m) => {
      got.push({ payloadType: m.payloadType, payload: m.payload.slice() });
      if (got.length === n) {
        clearTimeout(timer);
        off();
        resolve(got);
      }
    });
  });
}

/** A raw TCP socket to [::1]:port (for sending broken bytes). */
export function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: LOOPBACK, port });
    s.once("error", reject);
    s.once("connect", () => resolve(s));
  });
}

/** Resolve when the socket is closed by the peer. */
export function socketClosed(s: Socket): Promise<void> {
  return new Promise((r) => {
    if (s.destroyed) r();
    s.once("close", () => r());
    s.on("error", () => {});
    s.resume();
  });
}

/** Resolve with the first server-side connection. */
export function firstConnection(server: V2gServer): Promise<V2gConnection> {
  return new Promise((r) => {
    const off = server.onConnection((c) => {
      off();
      r(c);
    });
  });
}
