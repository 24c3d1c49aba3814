/**
 * In-memory V2G transport with the same {@link V2gConnection} interface as TCP/TLS, for fast tests and the
 * simulator. Bytes still go through V2GTP framing and the deframer, so bad headers, maximum
 * lengths and read timeouts behave as on TCP. Optional one-way latency runs on injected timers (virtual
 * time in the simulator); with latency 0 delivery is a microtask.
 */

import { type Clock, realClock } from "../machine/index.js";
import { ConnectionCore, checkReceiveOptions } from "./connection-core.js";
import { LinkError } from "./errors.js";
import { silentLogger } from "./logger.js";
import { ServerCore } from "./server.js";
import type { CloseInfo, ReceiveOptions, V2gConnection, V2gServer } from "./types.js";

/** Options of an in-memory pair: shared link settings plus receive options for both ends. */
export interface MemoryLinkOptions extends ReceiveOptions {
  /** One-way delivery delay in ms (default 0 → next microtask). */
  latencyMs?: number;
  timers?: Clock;
  /** Names used as the end points' addresses (default "mem-a", "mem-b"). */
  names?: [string, string];
  /** Receive options for end `b` only (default: the same as `a`). */
  peerOptions?: ReceiveOptions;
}

let nextId = 1;

/** Create two connected in-memory ends `[a, b]`: what `a` sends, `b` receives, and vice versa. */
export function createMemoryLink(opts: MemoryLinkOptions = {}): [V2gConnection, V2gConnection] {
  const [a, b] = memoryPair(opts);
  return [a, b];
}

function memoryPair(opts: MemoryLinkOptions): [ConnectionCore, ConnectionCore] {
  const latency = opts.latencyMs ?? 0;
  if (!Number.isFinite(latency) || latency < 0) {
    throw new LinkError("bad-option", `latencyMs: ${opts.latencyMs}, must be a number ≥ 0`);
  }
  const timers = opts.timers ?? realClock;
  const [na, nb] = opts.names ?? ["mem-a", "mem-b"];
  const n = nextId++;
  const deliver = (fn: () => void) => {
    if (latency === 0) queueMicrotask(fn);
    else timers.setTimeout(fn, latency);
  };
  const ends: ConnectionCore[] = [];
  const make = (self: number, local: string, remote: string, options: ReceiveOptions): ConnectionCore => {
    const peer = () => ends[1 - self]!;
    return new ConnectionCore({
      id: `memory#${n}${self === 0 ? "a" : "b"}`,
      transport: "memory",
      local: { address: local, port: n },
      remote: { address: remote, port: n },
      options,
      timers,
      hooks: {
        write(bytes) {
          const copy = bytes.slice();
          deliver(() => peer().receive(copy));
        },
        shutdown(info: CloseInfo, graceful) {
          const tell = () =>
            peer().finish({ code: "peer-closed", reason: `peer closed: ${info.reason}` }, false);
          // A graceful close lets bytes already in flight arrive first (like a FIN after queued data).
          if (graceful) deliver(tell);
          else tell();
        },
      },
    });
  };
  ends.push(make(0, na, nb, opts), make(1, nb, na, opts.peerOptions ?? opts));
  return [ends[0]!, ends[1]!];
}

/** A named in-memory "network": servers listen on a port number, clients connect to it. */
export interface MemoryNetwork {
  /** Listen on `port`; `opts` are the receive options of the accepted ends. */
  listen(port: number, opts?: ReceiveOptions): V2gServer;
  /** Connect to `port`; throws {@link LinkError} "connect-failed" when nobody listens. */
  connect(port: number, opts?: ReceiveOptions): V2gConnection;
}

/** Create an in-memory network whose links share latency and timers. */
export function createMemoryNetwork(opts: { latencyMs?: number; timers?: Clock } = {}): MemoryNetwork {
  const servers = new Map<number, { core: ServerCore; options: ReceiveOptions }>();
  return {
    listen(port, serverOpts = {}) {
      checkReceiveOptions(serverOpts);
      if (servers.has(port)) throw new LinkError("listen-failed", `memory port ${port}: already in use`);
      const core = new ServerCore(
        "memory",
        { address: "memory", port },
        serverOpts.logger ?? silentLogger,
        async () => {
          servers.delete(port);
        },
      );
      servers.set(port, { core, options: serverOpts });
      return core;
    },
    connect(port, clientOpts = {}) {
      const server = servers.get(port);
      if (!server) throw new LinkError("connect-failed", `memory port ${port}: nobody listening`);
      const [client, accepted] = memoryPair({
        ...opts,
        ...clientOpts,
        peerOptions: server.options,
        names: ["memory-client", "memory"],
      });
      server.core.add(accepted);
      return client;
    },
  };
}
