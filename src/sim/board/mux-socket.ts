/**
 * The board mux ({@link createBoardMux}) on a unix socket: a process hosting many simulated cables listens
 * on `DIR/mux-<pid>.sock` and names the cables it hosts in a `* hosts <ranges>` header; a fleet of hosts
 * in another process connects once and runs each cable's board link on its channel. Node-only.
 */
import { readdirSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { socketBoardStream } from "../../link/board/adapters.js";
import { BoardError } from "../../link/board/errors.js";
import {
  type BoardMux,
  createBoardMux,
  formatChannelRanges,
  parseChannelRanges,
} from "../../link/board/mux.js";
import type { BoardStream } from "../../link/board/stream.js";
import { type LinkLogger, silentLogger } from "../../link/logger.js";
import { realClock } from "../../machine/index.js";
import { claimUnixSocketPath } from "./listen.js";

/** The mux socket of process `pid` in `dir`. */
export const boardMuxPath = (dir: string, pid: number = process.pid): string => join(dir, `mux-${pid}.sock`);
/** How long a connecting fleet waits for a mux's header (ms). Design choice. */
const MUX_HEADER_WAIT_MS = 5_000;

/**
 * A mux on one connection's socket (as a board stream): queued text goes out once per event-loop turn, and
 * the connection beats for all its channels (both ends are this module, so both use the mux's liveness).
 */
function muxOnSocket(
  socket: Socket,
  o: Pick<Parameters<typeof createBoardMux>[0], "onOpen" | "onHeader">,
  log: LinkLogger,
): BoardMux {
  const stream = socketBoardStream(socket);
  const mux = createBoardMux({
    send: (text) => stream.write(text),
    schedule: (flush) => setImmediate(flush),
    liveness: { clock: realClock },
    ...o,
    onError: (e) => log.warn({}, e.message),
  });
  stream.onData((d) => mux.receive(d));
  stream.onClose((e) => mux.end(e));
  return mux;
}

/** A listening mux: the cables it hosts are fixed when it starts. */
export interface BoardMuxServer {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Listen on `path` for fleets of hosts; `accept(channel, stream)` receives each channel a peer opens (its
 * first line is the host's hello). Rejects with {@link BoardError} "open-failed".
 */
export async function listenBoardMux(o: {
  path: string;
  hosts: Iterable<number>;
  accept(channel: number, stream: BoardStream): void;
  logger?: LinkLogger;
}): Promise<BoardMuxServer> {
  const log = o.logger ?? silentLogger;
  const hosts = new Set(o.hosts);
  const header = `hosts ${formatChannelRanges(hosts)}`;
  await claimUnixSocketPath(o.path, `board mux unix:${o.path}`);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const mux = muxOnSocket(
      socket,
      {
        onOpen(ch, stream) {
          if (hosts.has(ch)) o.accept(ch, stream);
          else stream.close();
        },
      },
      log,
    );
    mux.header(header);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) =>
      reject(new BoardError("open-failed", `board mux unix:${o.path}: ${err.message}`, { cause: err })),
    );
    server.listen(o.path, resolve);
  });
  server.on("error", (err) => log.error({}, `board mux: listener: ${err.message}`));
  return {
    path: o.path,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** A fleet's connection to a mux. */
export interface BoardMuxClient {
  readonly path: string;
  /** The cables hosted behind it. */
  readonly hosts: ReadonlySet<number>;
  /** A stream on cable `channel`'s board (a hosted one). */
  open(channel: number): BoardStream;
  close(): void;
}

/** Connect to the mux at `path` and wait for its header. Rejects with {@link BoardError} "open-failed". */
export function connectBoardMux(path: string, logger: LinkLogger = silentLogger): Promise<BoardMuxClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    const fail = (why: string, cause?: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new BoardError("open-failed", `board mux unix:${path}: ${why}`, { cause }));
    };
    const timer = setTimeout(() => fail(`no header within ${MUX_HEADER_WAIT_MS} ms`), MUX_HEADER_WAIT_MS);
    socket.once("error", (err) => fail(err.message, err));
    const mux = muxOnSocket(
      socket,
      {
        onHeader(text) {
          if (!text.startsWith("hosts ")) return;
          clearTimeout(timer);
          let hosts: Set<number>;
          try {
            hosts = new Set(parseChannelRanges(text.slice("hosts ".length)));
          } catch (e) {
            fail((e as Error).message, e);
            return;
          }
          resolve({ path, hosts, open: (ch) => mux.open(ch), close: () => socket.destroy() });
        },
      },
      logger,
    );
  });
}

/** Connect to every mux in `dir` (none: an empty list); one that cannot be reached is logged and skipped. */
export async function connectBoardMuxes(
  dir: string,
  logger: LinkLogger = silentLogger,
): Promise<BoardMuxClient[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^mux-\d+\.sock$/.test(n));
  } catch {
    return [];
  }
  const out: BoardMuxClient[] = [];
  for (const n of names) {
    try {
      out.push(await connectBoardMux(join(dir, n), logger));
    } catch (e) {
      logger.warn({}, (e as Error).message);
    }
  }
  return out;
}
