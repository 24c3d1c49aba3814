/**
 * The board mux ({@link createBoardMux}) on a socket: a process hosting many simulated cables listens on
 * a unix socket (`DIR/mux-<pid>.sock`, found by listing DIR) or on TCP (a fleet on another machine), and
 * names the cables it hosts in a `* hosts <ranges>` header; a fleet of hosts in another process connects
 * once and runs each cable's board link on its channel. The W muxes of a charger park on TCP listen on
 * consecutive ports, each naming its place first (`* mux K/W`), so one address finds them all. With a key
 * (`--board-mux-key`), both ends prove they hold it before any header or cable (link/board/mux-auth.ts).
 * The connecting end is link/board/mux-client.ts. Node-only.
 */
import { readdirSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { BoardError } from "../../link/board/errors.js";
import { formatChannelRanges } from "../../link/board/mux.js";
import {
  checkMuxAuthProof,
  isMuxAuthHeader,
  MUX_AUTH_WAIT_MS,
  muxAuthProof,
  muxNonce,
  parseMuxAuthHeader,
} from "../../link/board/mux-auth.js";
import {
  type BoardMuxAddress,
  type BoardMuxClient,
  type BoardMuxPlace,
  boardMuxWhere,
  connectBoardMux,
  muxOnSocket,
} from "../../link/board/mux-client.js";
import type { BoardStream } from "../../link/board/stream.js";
import { type LinkLogger, silentLogger } from "../../link/logger.js";
import { claimUnixSocketPath } from "./listen.js";

/** The mux socket of process `pid` in `dir`. */
export const boardMuxPath = (dir: string, pid: number = process.pid): string => join(dir, `mux-${pid}.sock`);

/** A listening mux: the cables it hosts are fixed when it starts. */
export interface BoardMuxServer {
  /** Where it listens (`unix:PATH`, `tcp:HOST:PORT`). */
  readonly where: string;
  /** Peers connected now (a fleet worker or board thread each). */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Listen at `address` for fleets of hosts; `accept(channel, stream)` receives
 * each channel a peer opens (its first line is the host's hello). With `place`, the header says which of a
 * park's muxes this is. With `key`, a peer must prove it holds the key first (within `authWaitMs`): one that
 * does not, or opens a channel before, is refused and disconnected. Rejects with {@link BoardError}
 * "open-failed".
 */
export async function listenBoardMux(o: {
  address: BoardMuxAddress;
  place?: BoardMuxPlace;
  hosts: Iterable<number>;
  accept(channel: number, stream: BoardStream): void;
  key?: Uint8Array;
  authWaitMs?: number;
  logger?: LinkLogger;
}): Promise<BoardMuxServer> {
  const log = o.logger ?? silentLogger;
  const { address } = o;
  let where = boardMuxWhere(address);
  const hosts = new Set(o.hosts);
  const headers = [
    ...(o.place ? [`mux ${o.place.index}/${o.place.count}`] : []),
    `hosts ${formatChannelRanges(hosts)}`,
  ];
  if (address.kind === "unix") await claimUnixSocketPath(address.path, `board mux ${where}`);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const peer = `${socket.remoteAddress ?? "unix peer"}${socket.remotePort ? ` port ${socket.remotePort}` : ""}`;
    const key = o.key;
    const s = key ? muxNonce() : "";
    let authed = !key;
    const refuse = (why: string) => {
      clearTimeout(authTimer);
      if (socket.destroyed) return;
      log.warn({}, `board mux ${where}: ${peer} refused: ${why}`);
      mux.header(`auth-refused ${why}`);
      // after the mux's flush (queued on the same immediate queue); closed once written, whatever the peer does
      setImmediate(() => socket.end(() => socket.destroy()));
    };
    const authTimer = key
      ? setTimeout(() => refuse("no proof of the key in time"), o.authWaitMs ?? MUX_AUTH_WAIT_MS)
      : undefined;
    const mux = muxOnSocket(
      socket,
      {
        onOpen(ch, stream) {
          if (!authed) {
            log.warn(
              {},
              `board mux ${where}: ${peer} opened cable ${ch} before proving the key: disconnected`,
            );
            clearTimeout(authTimer);
            socket.destroy();
          } else if (hosts.has(ch)) o.accept(ch, stream);
          else stream.close();
        },
        onHeader(text) {
          if (!key || authed || !isMuxAuthHeader(text)) return;
          const h = parseMuxAuthHeader(text);
          if (h?.kind !== "auth")
            return refuse(`expected "auth C PROOF", got ${JSON.stringify(text.slice(0, 80))}`);
          if (!checkMuxAuthProof(key, "client", s, h.c, h.proof)) return refuse("wrong key");
          clearTimeout(authTimer);
          authed = true;
          mux.header(`auth-ok ${muxAuthProof(key, "server", s, h.c)}`);
          for (const line of headers) mux.header(line);
        },
      },
      log,
    );
    socket.on("close", () => clearTimeout(authTimer));
    if (key) mux.header(`auth-challenge ${s}`);
    else for (const h of headers) mux.header(h);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) =>
      reject(new BoardError("open-failed", `board mux ${where}: ${err.message}`, { cause: err })),
    );
    if (address.kind === "unix") server.listen(address.path, resolve);
    else server.listen({ host: address.host, port: address.port }, resolve);
  });
  // port 0: the port the system chose
  if (address.kind === "tcp")
    where = boardMuxWhere({ ...address, port: (server.address() as { port: number }).port });
  server.on("error", (err) => log.error({}, `board mux ${where}: listener: ${err.message}`));
  return {
    where,
    get connections() {
      return sockets.size;
    },
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
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
      out.push(await connectBoardMux({ kind: "unix", path: join(dir, n) }, logger));
    } catch (e) {
      logger.warn({}, (e as Error).message);
    }
  }
  return out;
}

/**
 * Connect to a park's muxes on TCP: the one at `host`:`port`, and, when its header names its place K of
 * W, the others on the consecutive ports (first port = `port` − K), each with `key` when given. All or
 * nothing: rejects with {@link BoardError} "open-failed" naming the mux that could not be reached (and
 * closes the others).
 */
export async function connectBoardMuxPark(
  host: string,
  port: number,
  logger: LinkLogger = silentLogger,
  key?: Uint8Array,
): Promise<BoardMuxClient[]> {
  const first = await connectBoardMux({ kind: "tcp", host, port }, logger, key);
  const place = first.place;
  if (!place) return [first];
  const base = port - place.index;
  const out: BoardMuxClient[] = [];
  try {
    for (let k = 0; k < place.count; k++) {
      if (k === place.index) {
        out.push(first);
        continue;
      }
      const c = await connectBoardMux({ kind: "tcp", host, port: base + k }, logger, key);
      out.push(c);
      if (c.place?.index !== k || c.place.count !== place.count)
        throw new BoardError(
          "open-failed",
          `board mux ${c.where}: says it is mux ${c.place ? `${c.place.index}/${c.place.count}` : "(no place)"}, expected ${k}/${place.count} after ${first.where}'s header`,
        );
    }
  } catch (e) {
    first.close();
    for (const c of out) c.close();
    throw e;
  }
  return out;
}
