/** A {@link V2gConnection} over a connected `node:net` or `node:tls` socket. */
import type { Socket } from "node:net";
import type { Clock } from "../machine/index.js";
import { ConnectionCore } from "./connection-core.js";
import type { LinkEndpoint, LinkTransport, ReceiveOptions, TlsInfo } from "./types.js";

let nextId = 1;

/** Grace period for a locally closed socket to flush and receive the peer's FIN before it is destroyed. */
export const LINK_CLOSE_GRACE_MS = 1000;

function endpoint(address: string | undefined, port: number | undefined): LinkEndpoint {
  return { address: address ?? "", port: port ?? 0 };
}

/** Wrap a connected socket. Data, end and errors of the socket drive the returned connection. */
export function wrapSocket(
  socket: Socket,
  transport: LinkTransport,
  options?: ReceiveOptions,
  extra?: { tls?: TlsInfo; timers?: Clock; setupTimeoutMs?: number },
): ConnectionCore {
  socket.setNoDelay(true);
  const params: ConstructorParameters<typeof ConnectionCore>[0] = {
    id: `${transport}#${nextId++}`,
    transport,
    local: endpoint(socket.localAddress, socket.localPort),
    remote: endpoint(socket.remoteAddress, socket.remotePort),
    hooks: {
      write(bytes) {
        socket.write(bytes);
      },
      shutdown(_info, graceful) {
        if (!graceful) {
          socket.destroy();
          return;
        }
        socket.end();
        const t = setTimeout(() => socket.destroy(), LINK_CLOSE_GRACE_MS);
        t.unref();
        socket.once("close", () => clearTimeout(t));
      },
    },
  };
  if (options) params.options = options;
  if (extra?.tls) params.tls = extra.tls;
  if (extra?.timers) params.timers = extra.timers;
  if (extra?.setupTimeoutMs) params.setupTimeoutMs = extra.setupTimeoutMs;
  const conn = new ConnectionCore(params);
  socket.on("data", (chunk: Buffer) => {
    conn.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
  });
  socket.on("end", () => {
    conn.finish({ code: "peer-closed", reason: "peer closed the connection" }, true);
  });
  socket.on("error", (err: Error & { code?: string }) => {
    conn.finish(
      { code: "socket-error", reason: `${err.code ?? "error"}: ${err.message}`, error: err },
      false,
    );
  });
  socket.on("close", () => {
    conn.finish({ code: "peer-closed", reason: "socket closed" }, false);
  });
  return conn;
}
