/**
 * Plain TCP V2G transport over IPv6: the SECC listens on its link-local address (with
 * "%iface" scope) or on ::1 for tests; the EVCC connects to the address and port SDP returned.
 */
import { connect, createServer } from "node:net";
import type { Clock } from "../machine/index.js";
import { V2G_SECC_COMMUNICATION_SETUP_TIMEOUT_MS } from "../v2g/index.js";
import { checkReceiveOptions } from "./connection-core.js";
import { LinkError } from "./errors.js";
import { silentLogger } from "./logger.js";
import { listenV2g, ServerCore } from "./server.js";
import { wrapSocket } from "./socket-connection.js";
import type { ReceiveOptions, V2gConnection, V2gServer } from "./types.js";

/** Server options. */
export interface TcpServerOptions extends ReceiveOptions {
  /** IPv6 address to bind: "fe80::…%eth0" (SECC link-local) or "::1" (tests). */
  host: string;
  /** Port; omitted → random free port in 49152–65535 (advertisable by SDP); 0 → OS choice. */
  port?: number;
  timers?: Clock;
  /**
   * Close an accepted connection that has not delivered a complete V2GTP message (with TLS: finished its
   * handshake and delivered one) within this many ms of accept. Default {@link LINK_SECC_SETUP_TIMEOUT_MS};
   * 0 disables.
   */
  setupTimeoutMs?: number;
}

/**
 * Bound from accept to the first complete V2GTP message, TLS handshake included: an SECC-side connection
 * that has not got that far by then is closed. V2G_SECC_CommunicationSetup, 18 s (ISO 15118-2 [V2G2-723];
 * DIN 70121 uses the same communication setup time): the SECC's share of the EV's 20 s
 * V2G_EVCC_CommunicationSetup_Timeout, which runs from before the TCP connect to SessionSetupRes — an EV
 * that has not sent supportedAppProtocolReq within 18 s of connecting has given up itself, so closing then
 * never cuts off a live EV. Not V2G_SECC_Sequence_Timeout (60 s): that one runs between a response and the
 * next request of a session, and before the first request there is none; it would also hold every stray
 * socket three times as long. No standard has a separate SECC timer for the TLS handshake (it is part of
 * the communication setup).
 */
export const LINK_SECC_SETUP_TIMEOUT_MS = V2G_SECC_COMMUNICATION_SETUP_TIMEOUT_MS;

/**
 * At most this many accepted connections may be waiting for their TLS handshake at once; one more drops
 * the oldest (so a burst of stray sockets cannot exhaust file descriptors, and the newest arrival — the EV
 * that just connected — is the one kept). Design choice: an EVSE serves one EV at a time.
 */
export const LINK_MAX_PENDING_HANDSHAKES = 16;

/** The checked setup bound of a server (default {@link LINK_SECC_SETUP_TIMEOUT_MS}). */
export function setupTimeoutOf(o: { setupTimeoutMs?: number }): number {
  const ms = o.setupTimeoutMs ?? LINK_SECC_SETUP_TIMEOUT_MS;
  if (!Number.isFinite(ms) || ms < 0)
    throw new LinkError("bad-option", `setupTimeoutMs: ${o.setupTimeoutMs}, must be a number ≥ 0`);
  return ms;
}

/** Client options. */
export interface TcpConnectOptions extends ReceiveOptions {
  /** SECC IPv6 address; a link-local address needs its "%iface" scope (see `withScope`). */
  host: string;
  port: number;
  /** Give up connecting after this many ms (default {@link LINK_CONNECT_TIMEOUT_MS}). */
  connectTimeoutMs?: number;
  timers?: Clock;
}

/**
 * Default TCP/TLS connect timeout. The whole communication setup (SDP + connect + SAP + session setup) must
 * finish within V2G_EVCC_CommunicationSetup_Timeout = 20 s (ISO 15118-2, as coded in EcoG-io/iso15118
 * timeouts.py); the connect alone gets 5 s (our choice, unconfirmed).
 */
export const LINK_CONNECT_TIMEOUT_MS = 5000;

function extra(timers: Clock | undefined, setupTimeoutMs = 0): { timers?: Clock; setupTimeoutMs?: number } {
  return { ...(timers ? { timers } : {}), ...(setupTimeoutMs > 0 ? { setupTimeoutMs } : {}) };
}

/** Start a plain TCP V2G server. */
export async function startTcpServer(opts: TcpServerOptions): Promise<V2gServer> {
  const log = opts.logger ?? silentLogger;
  checkReceiveOptions(opts);
  const setupMs = setupTimeoutOf(opts);
  const server = createServer();
  const port = await listenV2g(server, opts.host, opts.port);
  const core = new ServerCore(
    "tcp",
    { address: opts.host, port },
    log,
    () => new Promise<void>((r) => server.close(() => r())),
  );
  server.on("connection", (socket) => core.add(wrapSocket(socket, "tcp", opts, extra(opts.timers, setupMs))));
  server.on("error", (e) => log.error({ err: e.message }, "link: tcp server error"));
  log.info({ host: opts.host, port }, `link: tcp server listening on [${opts.host}]:${port}`);
  return core;
}

/** Connect to a plain TCP V2G server. Rejects with {@link LinkError} "connect-failed". */
export function tcpConnect(opts: TcpConnectOptions): Promise<V2gConnection> {
  try {
    checkReceiveOptions(opts);
  } catch (e) {
    return Promise.reject(e);
  }
  const timeoutMs = opts.connectTimeoutMs ?? LINK_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: opts.host, port: opts.port, family: 6 });
    const fail = (e: Error) => {
      socket.destroy();
      reject(
        new LinkError("connect-failed", `tcp connect [${opts.host}]:${opts.port}: ${e.message}`, {
          cause: e,
        }),
      );
    };
    const timer = setTimeout(() => fail(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.once("error", (e) => {
      clearTimeout(timer);
      fail(e);
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve(wrapSocket(socket, "tcp", opts, extra(opts.timers)));
    });
  });
}
