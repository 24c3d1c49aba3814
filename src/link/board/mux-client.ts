/**
 * A fleet's end of a board mux on a socket (docs/board-protocol.md): connect to a process that hosts many
 * simulated cables (a unix socket, or TCP for a park on another machine), prove the mux key when it asks
 * for one (mux-auth.ts), read which cables it hosts from its `* hosts` header, and open each cable's board
 * link on its channel. Used by a host's main thread and by its board thread alike. Node-only.
 */
import { connect, type Socket } from "node:net";
import { realClock } from "../../machine/index.js";
import { type LinkLogger, silentLogger } from "../logger.js";
import { socketBoardStream } from "./adapters.js";
import { BoardError } from "./errors.js";
import { type BoardMux, createBoardMux, parseChannelRanges } from "./mux.js";
import {
  checkMuxAuthProof,
  isMuxAuthHeader,
  muxAuthProof,
  muxNonce,
  parseMuxAuthHeader,
} from "./mux-auth.js";
import type { BoardStream } from "./stream.js";

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

/** How long a connecting fleet waits for a mux's header (ms). Design choice. */
const MUX_HEADER_WAIT_MS = 5_000;

/**
 * A mux on one connection's socket (as a board stream): queued text goes out once per event-loop turn, and
 * the connection beats for all its channels (both ends, this client and the listening side in
 * sim/board/mux-socket.ts, run on it, so both use the mux's liveness).
 */
export function muxOnSocket(
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

/** A fleet's connection to a mux. */
export interface BoardMuxClient {
  /** Where the mux listens (`unix:PATH`, `tcp:HOST:PORT`). */
  readonly where: string;
  /** The address it was reached at (a board thread connects to a unix one itself). */
  readonly address: BoardMuxAddress;
  /** The cables hosted behind it. */
  readonly hosts: ReadonlySet<number>;
  /** Its place among a park's muxes on consecutive TCP ports, when it says. */
  readonly place?: BoardMuxPlace;
  /** The connection ended (its channels with it). */
  readonly ended: boolean;
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
            address: a,
            hosts,
            ...(place && { place }),
            get ended() {
              return socket.destroyed;
            },
            open: (ch) => mux.open(ch),
            close: () => socket.destroy(),
          });
        },
      },
      logger,
    );
  });
}
