/**
 * The board mux ({@link createBoardMux}) on a socket: a process hosting many simulated cables listens on
 * a unix socket (`DIR/mux-<pid>.sock`, found by listing DIR) or on TCP (a fleet on another machine), and
 * names the cables it hosts in a `* hosts <ranges>` header; a fleet of hosts in another process connects
 * once and runs each cable's board link on its channel. The W muxes of a charger park on TCP listen on
 * consecutive ports, each naming its place first (`* mux K/W`), so one address finds them all. With a key
 * (`--board-mux-key`), both ends prove they hold it before any header or cable ({@link ./mux-auth.ts}).
 * Node-only.
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
import {
  checkMuxAuthProof,
  isMuxAuthHeader,
  MUX_AUTH_WAIT_MS,
  muxAuthProof,
  muxNonce,
  parseMuxAuthHeader,
} from "./mux-auth.js";

/** Where a board mux listens. */
export type BoardMuxAddress = { kind: "unix"; path: string } | { kind: "tcp"; host: string; port: number };

/** `unix:PATH` or `tcp:HOST:PORT` (an IPv6 host in brackets), as errors and logs name a mux. */
export function boardMuxWhere(a: BoardMuxAddress): string {
  return a.kind === "unix"
    ? `unix:${a.path}`
    : `tcp:${a.host.includes(":") ? `[${a.host}]` : a.host}:${a.port}`;
}

/** A mux's place among the W muxes of a park on consecutive TCP ports: mux K listens on the first port + K. */
export interface BoardMuxPlace {
  index: number;
  count: number;
}

/** Most muxes one address can name (a park's worker processes). Design choice. */
export const BOARD_MUX_MAX_PLACES = 1024;

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
  // TCP: board lines are small and answered; no Nagle delay (a unix socket has none)
  socket.setNoDelay?.(true);
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
  /** Where it listens (`unix:PATH`, `tcp:HOST:PORT`). */
  readonly where: string;
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
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** A fleet's connection to a mux. */
export interface BoardMuxClient {
  /** Where the mux listens (`unix:PATH`, `tcp:HOST:PORT`). */
  readonly where: string;
  /** The cables hosted behind it. */
  readonly hosts: ReadonlySet<number>;
  /** Its place among a park's muxes on consecutive TCP ports, when it says. */
  readonly place?: BoardMuxPlace;
  /** A stream on cable `channel`'s board (a hosted one). */
  open(channel: number): BoardStream;
  close(): void;
}

/** `K/W` of a `* mux K/W` header, or null when it is not one (0 ≤ K < W ≤ {@link BOARD_MUX_MAX_PLACES}). */
export function parseMuxPlace(text: string): BoardMuxPlace | null {
  const m = /^mux (\d+)\/(\d+)$/.exec(text);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index < count && count <= BOARD_MUX_MAX_PLACES ? { index, count } : null;
}

/**
 * Connect to the mux at `address` and wait for its header; with `key`, prove it and require the mux's proof
 * first (a mux that asks for no key is refused). Rejects with {@link BoardError} "open-failed" naming the
 * address.
 */
export function connectBoardMux(
  a: BoardMuxAddress,
  logger: LinkLogger = silentLogger,
  key?: Uint8Array,
): Promise<BoardMuxClient> {
  const where = boardMuxWhere(a);
  return new Promise((resolve, reject) => {
    const socket = a.kind === "unix" ? connect({ path: a.path }) : connect({ host: a.host, port: a.port });
    const fail = (why: string, cause?: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new BoardError("open-failed", `board mux ${where}: ${why}`, { cause }));
    };
    const timer = setTimeout(() => fail(`no header within ${MUX_HEADER_WAIT_MS} ms`), MUX_HEADER_WAIT_MS);
    socket.once("error", (err) => fail(err.message, err));
    let place: BoardMuxPlace | undefined;
    // with a key: the nonces of the exchange, and whether the mux proved the key
    let nonces: { s: string; c: string } | null = null;
    let proven = !key;
    const onAuth = (text: string) => {
      const h = parseMuxAuthHeader(text);
      if (h?.kind === "challenge" && !key)
        return fail("asks for a key: give --board-mux-key FILE with the key the park was started with");
      if (h?.kind === "challenge" && key && !nonces) {
        nonces = { s: h.s, c: muxNonce() };
        return mux.header(`auth ${nonces.c} ${muxAuthProof(key, "client", nonces.s, nonces.c)}`);
      }
      if (h?.kind === "refused") return fail(`refused the key: ${h.why}`);
      if (
        h?.kind === "ok" &&
        key &&
        nonces &&
        checkMuxAuthProof(key, "server", nonces.s, nonces.c, h.proof)
      ) {
        proven = true;
        return;
      }
      fail(
        h?.kind === "ok"
          ? "did not prove the key (its auth-ok does not match): another park, or another key"
          : `bad header ${JSON.stringify(text.slice(0, 80))} in the key exchange`,
      );
    };
    const mux = muxOnSocket(
      socket,
      {
        onHeader(text) {
          if (isMuxAuthHeader(text)) return onAuth(text);
          if (!proven)
            return fail(
              "asks for no key (the park was started without --board-mux-key): not used with --board-mux-key",
            );
          if (text.startsWith("mux ")) {
            const p = parseMuxPlace(text);
            if (!p)
              return fail(
                `bad header ${JSON.stringify(text)}: expected "mux K/W" with K < W ≤ ${BOARD_MUX_MAX_PLACES}`,
              );
            place = p;
            return;
          }
          if (!text.startsWith("hosts ")) return;
          clearTimeout(timer);
          let hosts: Set<number>;
          try {
            hosts = new Set(parseChannelRanges(text.slice("hosts ".length)));
          } catch (e) {
            fail((e as Error).message, e);
            return;
          }
          resolve({
            where,
            hosts,
            ...(place && { place }),
            open: (ch) => mux.open(ch),
            close: () => socket.destroy(),
          });
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
