/**
 * Plain TCP V2G transport over IPv6: the SECC listens on its link-local address (with
 * "%iface" scope) or on ::1 for tests; the EVCC connects to the address and port SDP returned.
 */
import { connect, createServer } from "node:net";
import type { Clock } from "../machine/index.js";
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
 * finish within V2G_EVCC_CommunicationSetup_Timeout = 20 s (digest §5.4, EG-TO); the connect alone gets 5 s
 * (our choice, status U).
 */
export const LINK_CONNECT_TIMEOUT_MS = 5000;

function extra(timers: Clock | undefined): { timers?: Clock } {
  return timers ? { timers } : {};
}

/** Start a plain TCP V2G server. */
export async function startTcpServer(opts: TcpServerOptions): Promise<V2gServer> {
  const log = opts.logger ?? silentLogger;
  checkReceiveOptions(opts);
  const server = createServer();
  const port = await listenV2g(server, opts.host, opts.port);
  const core = new ServerCore(
    "tcp",
    { address: opts.host, port },
    log,
    () => new Promise<void>((r) => server.close(() => r())),
  );
  server.on("connection", (socket) => core.add(wrapSocket(socket, "tcp", opts, extra(opts.timers))));
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
