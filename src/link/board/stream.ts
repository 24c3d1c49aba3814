/**
 * The duplex byte stream the board port runs over (serial device, child process stdio, TCP, unix socket or
 * an in-memory pair), and helpers to build one. Platform-neutral.
 */

/** Why a stream ended: a human-readable reason, and the I/O error if it ended by one. */
export interface BoardStreamEnd {
  reason: string;
  error?: Error;
}

/** A generic duplex byte stream. Data arriving before `onData` is registered is kept, not lost. */
export interface BoardStream {
  /** Queue bytes or UTF-8 text for sending; ignored once the stream has ended. */
  write(chunk: Uint8Array | string): void;
  onData(cb: (chunk: Uint8Array | string) => void): void;
  /** Called once when the stream ends: peer closed or exited, I/O error, or local `close()`. */
  onClose(cb: (end: BoardStreamEnd) => void): void;
  /** End the stream (flushes what can be flushed, then releases the transport). */
  close(): void;
  readonly closed: boolean;
  /** The shared transport this stream runs over, if its liveness covers the stream (a board mux). */
  readonly shared?: SharedTransport;
}

/**
 * A transport that many board streams share and whose own liveness stands for each of them: a board mux
 * connection, which sends a beat of its own whenever it was quiet for a heartbeat interval. A board link on
 * such a stream sends no heartbeats of its own, and anything the transport received counts as heard from
 * the peer of every stream on it (a channel whose peer ends is closed explicitly, so an open channel on a
 * live connection has a live peer). Design choice; the board protocol on a socket of its own is unchanged.
 */
export interface SharedTransport {
  /** Milliseconds since anything arrived on the transport. */
  quietMs(): number;
}

/** The inside of a stream adapter: deliver received data and the end to the listeners. */
export interface BoardStreamCore {
  stream: BoardStream;
  /** Deliver received bytes (kept until an `onData` listener exists). */
  data(chunk: Uint8Array | string): void;
  /** Mark the stream ended (first call wins) and notify `onClose` listeners. */
  end(end: BoardStreamEnd): void;
}

/**
 * Build a {@link BoardStream} from a `write` and a `close` function. `close` is called once on `stream.close()`;
 * the adapter then calls `core.end(...)` when the transport is really gone (or `end` is called right away).
 */
export function createBoardStreamCore(
  io: {
    write(chunk: Uint8Array | string): void;
    close(): void;
  },
  shared?: SharedTransport,
): BoardStreamCore {
  const dataCbs: ((c: Uint8Array | string) => void)[] = [];
  const closeCbs: ((e: BoardStreamEnd) => void)[] = [];
  let queued: (Uint8Array | string)[] = [];
  let ended: BoardStreamEnd | undefined;
  let closing = false;

  const end = (e: BoardStreamEnd): void => {
    if (ended) return;
    ended = e;
    for (const cb of closeCbs.splice(0)) cb(e);
  };
  const stream: BoardStream = {
    write(chunk) {
      if (ended || closing) return;
      try {
        io.write(chunk);
      } catch (err) {
        end({ reason: `write failed: ${(err as Error).message}`, error: err as Error });
      }
    },
    onData(cb) {
      dataCbs.push(cb);
      if (queued.length > 0) {
        const q = queued;
        queued = [];
        for (const c of q) cb(c);
      }
    },
    onClose(cb) {
      if (ended) cb(ended);
      else closeCbs.push(cb);
    },
    close() {
      if (ended || closing) return;
      closing = true;
      try {
        io.close();
      } catch (err) {
        end({ reason: `close failed: ${(err as Error).message}`, error: err as Error });
      }
    },
    get closed() {
      return ended !== undefined || closing;
    },
    ...(shared && { shared }),
  };
  return {
    stream,
    data(chunk) {
      if (ended) return;
      if (dataCbs.length === 0) queued.push(chunk);
      else for (const cb of dataCbs) cb(chunk);
    },
    end,
  };
}

/**
 * Two connected in-memory streams (host side, board side) for the simulator and tests. Delivery is
 * asynchronous (a microtask), like a real transport, so a reply never re-enters the sender's `write`.
 */
export function createBoardStreamPair(): [host: BoardStream, board: BoardStream] {
  let a: BoardStreamCore;
  let b: BoardStreamCore;
  const link = (peer: () => BoardStreamCore, self: () => BoardStreamCore) => ({
    write(chunk: Uint8Array | string) {
      const copy = typeof chunk === "string" ? chunk : chunk.slice();
      queueMicrotask(() => peer().data(copy));
    },
    close() {
      queueMicrotask(() => {
        self().end({ reason: "closed locally" });
        peer().end({ reason: "peer closed the stream" });
      });
    },
  });
  a = createBoardStreamCore(
    link(
      () => b,
      () => a,
    ),
  );
  b = createBoardStreamCore(
    link(
      () => a,
      () => b,
    ),
  );
  return [a.stream, b.stream];
}
