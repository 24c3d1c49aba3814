/** Listening helpers shared by the TCP and TLS servers: dynamic-port listen, connection set, close. */
import type { Server } from "node:net";
import { SDP_SECC_PORT_MAX, SDP_SECC_PORT_MIN } from "../v2g/index.js";
import type { ConnectionCore } from "./connection-core.js";
import { LinkError } from "./errors.js";
import type { LinkLogger } from "./logger.js";
import type { LinkEndpoint, LinkTransport, ServerRefusal, V2gConnection, V2gServer } from "./types.js";

/** Attempts at a random port in 49152–65535 before giving up (each fails only on EADDRINUSE). */
export const LINK_DYNAMIC_PORT_ATTEMPTS = 32;

function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off("listening", onListening);
      reject(e);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ host, port, ipv6Only: true });
  });
}

/**
 * Listen on `host`. `port` undefined → a random free port in the SDP-advertisable range 49152–65535
 * (ISO 15118-2 SDP; EcoG-io/iso15118 sdp.py); 0 → any port the OS picks; otherwise that port.
 */
export async function listenV2g(server: Server, host: string, port: number | undefined): Promise<number> {
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new LinkError("bad-option", `port: ${port}, must be an integer 0..65535`);
  }
  const attempts = port === undefined ? LINK_DYNAMIC_PORT_ATTEMPTS : 1;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const p =
      port ?? SDP_SECC_PORT_MIN + Math.floor(Math.random() * (SDP_SECC_PORT_MAX - SDP_SECC_PORT_MIN + 1));
    try {
      await listenOnce(server, host, p);
      const a = server.address();
      if (a === null || typeof a === "string")
        throw new LinkError("listen-failed", "server.address() not a port");
      return a.port;
    } catch (e) {
      last = e;
      if ((e as { code?: string }).code !== "EADDRINUSE" || port !== undefined) break;
    }
  }
  throw new LinkError(
    "listen-failed",
    `listen on [${host}]:${port ?? "dynamic"}: ${(last as Error)?.message ?? last}`,
    { cause: last },
  );
}

/** Connection bookkeeping of a server; the concrete server calls `add` for each accepted connection. */
export class ServerCore implements V2gServer {
  readonly transport: LinkTransport;
  readonly local: LinkEndpoint;
  readonly connections = new Set<V2gConnection>();
  private readonly handlers = new Set<(c: V2gConnection) => void>();
  private readonly refusalHandlers = new Set<(r: ServerRefusal) => void>();
  private readonly backlog: V2gConnection[] = [];
  private closing = false;

  constructor(
    transport: LinkTransport,
    local: LinkEndpoint,
    private readonly log: LinkLogger,
    private readonly stop: () => Promise<void>,
  ) {
    this.transport = transport;
    this.local = local;
  }

  /** Register an accepted connection; connections accepted before any handler are queued for the first one. */
  add(conn: ConnectionCore): void {
    if (this.closing) {
      conn.finish({ code: "server-close", reason: "server is closing" }, false);
      return;
    }
    this.connections.add(conn);
    void conn.closed.then(() => this.connections.delete(conn));
    this.log.info({ ...conn.logFields(), tls: conn.tls }, `link: accepted ${conn.id}`);
    if (this.handlers.size === 0) this.backlog.push(conn);
    else this.dispatch(conn);
  }

  onConnection(cb: (conn: V2gConnection) => void): () => void {
    this.handlers.add(cb);
    for (const c of this.backlog.splice(0)) if (!c.isClosed) this.dispatch(c);
    return () => {
      this.handlers.delete(cb);
    };
  }

  onRefused(cb: (r: ServerRefusal) => void): () => void {
    this.refusalHandlers.add(cb);
    return () => {
      this.refusalHandlers.delete(cb);
    };
  }

  /** The concrete server dropped a connection before `add` (see {@link ServerRefusal}): log and report it. */
  refuse(r: ServerRefusal): void {
    if (this.closing) return;
    const remote = `[${r.remote.address}]:${r.remote.port}`;
    this.log.warn(
      { remote, kind: r.kind, detail: r.detail },
      `link: ${this.transport} ${remote} dropped: ${r.detail}`,
    );
    for (const h of [...this.refusalHandlers]) {
      try {
        h(r);
      } catch (e) {
        this.log.error({ remote, err: String(e) }, "link: refusal handler threw");
      }
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const done = this.stop();
    for (const c of [...this.connections]) {
      (c as ConnectionCore).finish({ code: "server-close", reason: "server closed" }, false);
    }
    await done;
  }

  private dispatch(conn: V2gConnection): void {
    for (const h of [...this.handlers]) {
      try {
        h(conn);
      } catch (e) {
        this.log.error({ conn: conn.id, err: String(e) }, "link: connection handler threw");
      }
    }
  }
}
