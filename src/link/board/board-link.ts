/**
 * Host side of the board port (docs/board-protocol.md): hello handshake, heartbeat sending and supervision,
 * `seq` numbering, commands out and readings in. Platform-neutral: it runs over any {@link BoardStream}.
 * When the link is lost the host must trip its controller (output off, stop "board lost"); the board
 * switches its own outputs off when it stops hearing the host.
 */

import { type Clock, realClock } from "../../machine/index.js";
import { type LinkLogger, silentLogger } from "../logger.js";
import { BoardError } from "./errors.js";
import { createListeners, createPeer } from "./peer.js";
import {
  BOARD_HEARTBEAT_INTERVAL_MS,
  BOARD_HEARTBEAT_LIMIT_MS,
  BOARD_HELLO_RETRY_MS,
  BOARD_HELLO_TIMEOUT_MS,
  BOARD_MAX_LINE_BYTES,
  BOARD_PROTOCOL_VERSION,
  type BoardCommandOf,
  type BoardHello,
  type BoardReadingOf,
  type BoardRole,
  boardCommandSchemas,
  formatIssues,
} from "./protocol.js";
import type { BoardStream } from "./stream.js";

/** Why the link was lost: silence beyond the limit, the stream closed, or a fatal protocol/I/O error. */
export type BoardLostReason = "heartbeat" | "closed" | "error";
export interface BoardLost {
  reason: BoardLostReason;
  detail: string;
  error?: Error;
}
/** A non-fatal irregularity: messages missing or repeated (`seq`). */
export interface BoardWarning {
  code: "seq-gap" | "seq-repeat";
  message: string;
}
/** When a reading arrived (host clock, ms) and its `seq`. */
export interface BoardReadingMeta {
  seq: number;
  tMs: number;
}

export interface BoardLinkOptions<R extends BoardRole> {
  role: R;
  stream: BoardStream;
  /** Injectable clock and timers (default: real timers). */
  timers?: Clock;
  logger?: LinkLogger;
  /** Host identification sent in hello, "nacs <version>" (default "nacs"). */
  host?: string;
  heartbeatIntervalMs?: number;
  heartbeatLimitMs?: number;
  helloRetryMs?: number;
  helloTimeoutMs?: number;
  maxLineBytes?: number;
}

export interface BoardLink<R extends BoardRole> {
  readonly role: R;
  /** Resolves with the board's hello; rejects with a {@link BoardError} if the link ends before. */
  readonly ready: Promise<BoardHello>;
  readonly state: "hello" | "ready" | "ended";
  /**
   * Send a command; returns its `seq`, or undefined when the link has ended (the command is dropped).
   * Throws {@link BoardError} "not-ready" before the hello exchange, "bad-message" for an invalid command.
   */
  send(command: BoardCommandOf<R>): number | undefined;
  onReading(cb: (reading: BoardReadingOf<R>, meta: BoardReadingMeta) => void): () => void;
  /** Called once when the link is lost (never after a local `close()`). */
  onLost(cb: (lost: BoardLost) => void): () => void;
  onWarning(cb: (warning: BoardWarning) => void): () => void;
  /** A dropped line (bad JSON, schema, too long, …) or an `error` message from the board. */
  onError(cb: (error: BoardError) => void): () => void;
  /** The board acknowledged a command: round trip from send to ack (ms). */
  onAck(cb: (ack: { seq: number; latencyMs: number }) => void): () => void;
  /** Send `bye` (when ready), stop the timers and close the stream. */
  close(): void;
}

/** Commands awaiting an ack are remembered up to this many (oldest forgotten). Design choice. */
const MAX_PENDING_ACKS = 256;

export function createBoardLink<R extends BoardRole>(opts: BoardLinkOptions<R>): BoardLink<R> {
  const timers = opts.timers ?? realClock;
  const log = opts.logger ?? silentLogger;
  const { role, stream } = opts;
  const helloRetryMs = opts.helloRetryMs ?? BOARD_HELLO_RETRY_MS;
  // The board sends its state once after its hello: readings wait for the first listener; the loss is
  // reported to a listener that comes late.
  const readings = createListeners<[BoardReadingOf<R>, BoardReadingMeta]>("until-heard");
  const losts = createListeners<[BoardLost]>("last");
  const warnings = createListeners<[BoardWarning]>();
  const errors = createListeners<[BoardError]>();
  const acks = createListeners<[{ seq: number; latencyMs: number }]>();
  const sentAt = new Map<number, number>();
  let state: "hello" | "ready" | "ended" = "hello";
  let retryTimer: unknown;
  let helloTimer: unknown;
  let resolveReady!: (h: BoardHello) => void;
  let rejectReady!: (e: BoardError) => void;
  const ready = new Promise<BoardHello>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {}); // a rejection is also reported through onLost; never unhandled

  const stopHelloTimers = (): void => {
    if (retryTimer !== undefined) timers.clearTimeout(retryTimer);
    if (helloTimer !== undefined) timers.clearTimeout(helloTimer);
    retryTimer = helloTimer = undefined;
  };

  /** End the link: stop everything, reject `ready` if pending, report `lost` unless closed locally. */
  const end = (lost: BoardLost | undefined, error: BoardError): void => {
    if (state === "ended") return;
    const wasHello = state === "hello";
    state = "ended";
    stopHelloTimers();
    peer.dispose();
    if (wasHello) rejectReady(error);
    if (lost) {
      log.warn({ role, reason: lost.reason, detail: lost.detail }, "board: link lost");
      losts.emit(lost);
    }
    stream.close();
  };
  const fail = (reason: BoardLostReason, error: BoardError): void =>
    end({ reason, detail: error.message, error }, error);

  const peer = createPeer({
    role,
    from: "board",
    stream,
    timers,
    maxLineBytes: opts.maxLineBytes ?? BOARD_MAX_LINE_BYTES,
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? BOARD_HEARTBEAT_INTERVAL_MS,
    heartbeatLimitMs: opts.heartbeatLimitMs ?? BOARD_HEARTBEAT_LIMIT_MS,
    onMessage(msg, tMs) {
      switch (msg.type) {
        case "hello": {
          if (state !== "hello") {
            log.debug({ seq: msg.seq }, "board: extra hello (answer to a repeated hello) ignored");
            return;
          }
          if (msg.role !== role) {
            fail(
              "error",
              new BoardError(
                "role-mismatch",
                `board hello: field "role" is ${JSON.stringify(msg.role)}, this host runs the ${role} side`,
              ),
            );
            return;
          }
          state = "ready";
          stopHelloTimers();
          peer.startHeartbeat();
          peer.supervise((silentMs) =>
            fail(
              "heartbeat",
              new BoardError(
                "heartbeat-lost",
                `board: nothing received for ${Math.round(silentMs)} ms (heartbeat lost)`,
              ),
            ),
          );
          log.info({ role, board: msg.board, capabilities: msg.capabilities }, "board: ready");
          const { v: _v, seq: _seq, type: _t, ...hello } = msg;
          resolveReady({ type: "hello", ...hello });
          return;
        }
        case "heartbeat":
          return;
        case "ack": {
          const t0 = sentAt.get(msg.ack);
          if (t0 === undefined) return;
          sentAt.delete(msg.ack);
          acks.emit({ seq: msg.ack, latencyMs: tMs - t0 });
          return;
        }
        case "error": {
          const e = new BoardError("board-error", `board reports: ${msg.message}`);
          log.warn({ role, seq: msg.seq }, e.message);
          errors.emit(e);
          return;
        }
        default: {
          if (state !== "ready") {
            log.debug({ type: msg.type }, "board: reading before the hello exchange dropped");
            return;
          }
          const { v: _v, seq, ...reading } = msg;
          readings.emit(reading as BoardReadingOf<R>, { seq, tMs });
        }
      }
    },
    onBadLine(error) {
      if (error.code === "protocol-mismatch" && state === "hello") {
        fail("error", error);
        return;
      }
      log.warn({ role, code: error.code }, error.message);
      errors.emit(error);
    },
    onSeq(check, type) {
      const w: BoardWarning =
        check.kind === "gap"
          ? {
              code: "seq-gap",
              message: `board seq: expected ${check.expected}, got ${check.got} ("${type}"): ${check.missed} message(s) missing`,
            }
          : {
              code: "seq-repeat",
              message: `board seq: expected ${check.expected}, got ${check.got} ("${type}"): repeated or stepped back`,
            };
      log.warn({ role, code: w.code }, w.message);
      warnings.emit(w);
    },
    onEnd(e) {
      const err = new BoardError("closed", `board stream ended: ${e.reason}`, { cause: e.error });
      end({ reason: e.error ? "error" : "closed", detail: err.message, error: err }, err);
    },
  });

  const sendHello = (): void => {
    retryTimer = undefined;
    if (state !== "hello") return;
    peer.send({
      type: "hello",
      role,
      protocol: BOARD_PROTOCOL_VERSION,
      host: (opts.host ?? "nacs").slice(0, 64),
    });
    retryTimer = timers.setTimeout(sendHello, helloRetryMs);
  };
  const helloTimeoutMs = opts.helloTimeoutMs ?? BOARD_HELLO_TIMEOUT_MS;
  helloTimer = timers.setTimeout(() => {
    helloTimer = undefined;
    fail("heartbeat", new BoardError("hello-timeout", `board: no hello answer within ${helloTimeoutMs} ms`));
  }, helloTimeoutMs);
  sendHello();

  return {
    role,
    ready,
    get state() {
      return state;
    },
    send(command) {
      if (state === "hello")
        throw new BoardError("not-ready", `board: command "${command.type}" before the hello exchange`);
      if (state === "ended") {
        log.debug({ type: command.type }, "board: link ended, command dropped");
        return undefined;
      }
      const ok = boardCommandSchemas[role].safeParse(command);
      if (!ok.success)
        throw new BoardError("bad-message", `board command: ${formatIssues(ok.error, command.type)}`);
      const seq = peer.send(ok.data);
      sentAt.set(seq, timers.now());
      if (sentAt.size > MAX_PENDING_ACKS) sentAt.delete(sentAt.keys().next().value as number);
      return seq;
    },
    onReading: readings.add,
    onLost: losts.add,
    onWarning: warnings.add,
    onError: errors.add,
    onAck: acks.add,
    close() {
      if (state === "ended") return;
      if (state === "ready") peer.send({ type: "bye" });
      end(undefined, new BoardError("closed", "board link closed locally"));
    },
  };
}
