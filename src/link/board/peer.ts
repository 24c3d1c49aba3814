/**
 * What the host link and the board endpoint share: line splitting, parsing, `seq` numbering and checking,
 * the heartbeat sender and the supervision timer (docs/board-protocol.md). Platform-neutral.
 */
import type { Clock } from "../../machine/index.js";
import type { BoardError } from "./errors.js";
import { createLineSplitter } from "./line-splitter.js";
import {
  type AnyBoardBody,
  type BoardEnvelope,
  type BoardRole,
  type BoardSender,
  type BoardSeqCheck,
  type BodyFrom,
  createSeqTracker,
  encodeBoardBody,
  nextBoardSeq,
  parseBoardLine,
} from "./protocol.js";
import type { BoardStream, BoardStreamEnd } from "./stream.js";

/** A list of callbacks; `add` returns the function that removes the callback again. */
export function createListeners<A extends unknown[]>(
  /**
   * "until-heard": what is emitted while nobody listens is kept and handed to the first listener (a board
   * sends its state once, right after its hello). "last": a listener added after an emission gets it (a
   * one-time event such as the link's loss). Default: neither.
   */
  replay?: "until-heard" | "last",
): {
  add(cb: (...args: A) => void): () => void;
  emit(...args: A): void;
} {
  const cbs = new Set<(...args: A) => void>();
  // The listeners as an emission starts (one added or removed by a listener is not called, or still is):
  // a copy made when the set changes, not at every emission.
  let current: ((...args: A) => void)[] = [];
  const kept: A[] = [];
  let last: A | null = null;
  return {
    add(cb) {
      cbs.add(cb);
      current = [...cbs];
      if (replay === "until-heard") for (const args of kept.splice(0)) cb(...args);
      const l = last;
      if (l) queueMicrotask(() => cbs.has(cb) && cb(...l));
      return () => {
        const had = cbs.delete(cb);
        if (had) current = [...cbs];
        return had;
      };
    },
    emit(...args) {
      if (replay === "last") last = args;
      if (replay === "until-heard" && cbs.size === 0) kept.push(args);
      for (const cb of current) cb(...args);
    },
  };
}

/** A heartbeat waits this long past the interval for another message due at the same time (ms). */
const HEARTBEAT_SLACK_MS = 10;

export interface PeerOptions<R extends BoardRole, F extends BoardSender> {
  role: R;
  /** Sender of the lines this side receives. */
  from: F;
  stream: BoardStream;
  timers: Clock;
  maxLineBytes: number;
  heartbeatIntervalMs: number;
  heartbeatLimitMs: number;
  onMessage(msg: BoardEnvelope & BodyFrom<R, F>, tMs: number): void;
  onBadLine(error: BoardError): void;
  onSeq(check: Exclude<BoardSeqCheck, { kind: "ok" }>, type: string): void;
  onEnd(end: BoardStreamEnd): void;
}

export interface Peer {
  /** Send one body with the next `seq`; returns that seq. Throws BoardError "too-long". */
  send(body: AnyBoardBody): number;
  /**
   * Start (or restart) the heartbeat: a `heartbeat` whenever nothing else was sent for an interval, so the
   * peer hears from this side at least once per interval (any valid message resets its supervision). On a
   * stream with a shared transport ({@link BoardStream.shared}) the transport beats instead.
   */
  startHeartbeat(): void;
  stopHeartbeat(): void;
  /** Start (or restart) supervision: `onExpire` once nothing valid arrived for the limit. */
  supervise(onExpire: (silentMs: number) => void): void;
  stopSupervision(): void;
  /** Stop the timers and stop reacting to the stream (the stream itself is not closed). */
  dispose(): void;
}

export function createPeer<R extends BoardRole, F extends BoardSender>(o: PeerOptions<R, F>): Peer {
  const { timers } = o;
  let seq = 0;
  let disposed = false;
  let lastRxMs = timers.now();
  let lastTxMs = Number.NEGATIVE_INFINITY;
  let hbTimer: unknown;
  let supTimer: unknown;
  let onExpire: ((silentMs: number) => void) | undefined;
  const seqs = createSeqTracker();
  const parseContext = { role: o.role, from: o.from };

  const onLine = (line: string): void => {
    if (disposed) return;
    const r = parseBoardLine(line, parseContext);
    if (!r.ok) {
      o.onBadLine(r.error);
      return;
    }
    lastRxMs = timers.now();
    // A hello starts a new sequence (the peer may have restarted).
    if (r.message.type === "hello") seqs.reset();
    const check = seqs.check(r.message.seq);
    if (check.kind !== "ok") o.onSeq(check, r.message.type);
    o.onMessage(r.message, lastRxMs);
  };
  const splitter = createLineSplitter({
    maxBytes: o.maxLineBytes,
    onLine,
    onError: (e) => {
      if (!disposed) o.onBadLine(e);
    },
  });
  // Bytes a stream delivers while it is being subscribed to (buffered before the peer existed) wait for
  // a microtask, so that the caller has finished setting up before the first message is handled.
  let live = false;
  const early: (Uint8Array | string)[] = [];
  o.stream.onData((chunk) => {
    if (disposed) return;
    if (live) splitter.push(chunk);
    else early.push(chunk);
  });
  queueMicrotask(() => {
    live = true;
    for (const c of early.splice(0)) if (!disposed) splitter.push(c);
  });
  // Deferred so that a stream which has already ended is reported after the caller finished setting up.
  o.stream.onClose((end) =>
    queueMicrotask(() => {
      if (!disposed) o.onEnd(end);
    }),
  );

  const send = (body: AnyBoardBody): number => {
    const s = seq;
    const line = encodeBoardBody(s, body);
    seq = nextBoardSeq(seq);
    o.stream.write(line);
    lastTxMs = timers.now();
    return s;
  };

  // A heartbeat only fills a silence: another message sent within the interval already told the peer
  // this side is alive, and the timer is re-armed just past one interval after that message. At 100
  // readings or commands a second this saves every heartbeat; on a quiet line it is the protocol's 100 ms beat.
  const beat = (): void => {
    hbTimer = undefined;
    if (disposed || o.stream.closed) return;
    const quietMs = timers.now() - lastTxMs;
    if (quietMs >= o.heartbeatIntervalMs) {
      send({ type: "heartbeat" });
      hbTimer = timers.setTimeout(beat, o.heartbeatIntervalMs);
      return;
    }
    // 10 ms past the interval after another message: a periodic message due at the same moment (a board's
    // 100 ms measurement) goes first and makes the heartbeat unnecessary.
    hbTimer = timers.setTimeout(beat, o.heartbeatIntervalMs - quietMs + HEARTBEAT_SLACK_MS);
  };
  const stopHeartbeat = (): void => {
    if (hbTimer !== undefined) timers.clearTimeout(hbTimer);
    hbTimer = undefined;
  };

  // One timer at the deadline lastRx + limit; when it fires early (data arrived since), it is re-armed.
  // At the deadline the verdict waits one more turn of the event loop (a 0 ms timer runs after the I/O
  // poll): when this process itself was stalled (CPU starvation, a long GC pause), the peer's heartbeats
  // are already waiting in the stream and are read first, so only a silent peer is declared lost.
  let graced = false;
  // On a shared transport (a board mux), anything it received was heard from this stream's peer too.
  const shared = o.stream.shared;
  const check = (): void => {
    supTimer = undefined;
    if (disposed || !onExpire) return;
    const own = timers.now() - lastRxMs;
    const silent = shared ? Math.min(own, shared.quietMs()) : own;
    if (silent >= o.heartbeatLimitMs && !graced) {
      graced = true;
      supTimer = timers.setTimeout(check, 0);
      return;
    }
    graced = false;
    if (silent >= o.heartbeatLimitMs) {
      const cb = onExpire;
      onExpire = undefined;
      cb(silent);
      return;
    }
    supTimer = timers.setTimeout(check, o.heartbeatLimitMs - silent);
  };
  const stopSupervision = (): void => {
    if (supTimer !== undefined) timers.clearTimeout(supTimer);
    supTimer = undefined;
    onExpire = undefined;
  };

  return {
    send,
    startHeartbeat() {
      stopHeartbeat();
      // a shared transport beats for all its streams
      if (!shared) beat();
    },
    stopHeartbeat,
    supervise(cb) {
      stopSupervision();
      onExpire = cb;
      lastRxMs = timers.now();
      check();
    },
    stopSupervision,
    dispose() {
      disposed = true;
      stopHeartbeat();
      stopSupervision();
      splitter.reset();
    },
  };
}
