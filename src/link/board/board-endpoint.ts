/**
 * Board side of the board port, for board simulators and tests (docs/board-protocol.md). It answers hello,
 * sends heartbeats, supervises the host's heartbeat, delivers commands (acknowledging them) and sends
 * readings. After the hello it re-sends the last value of every reading (the board's current state).
 * When the host is lost it reports `onLost`: the simulator must then switch its outputs off, as a real
 * board must. Platform-neutral.
 */

import { type Clock, realClock } from "../../machine/index.js";
import { type LinkLogger, silentLogger } from "../logger.js";
import { BoardError } from "./errors.js";
import { fastReading } from "./fast-bodies.js";
import { createListeners, createPeer } from "./peer.js";
import {
  BOARD_ERROR_TEXT_MAX,
  BOARD_HEARTBEAT_INTERVAL_MS,
  BOARD_HEARTBEAT_LIMIT_MS,
  BOARD_MAX_LINE_BYTES,
  BOARD_PROTOCOL_VERSION,
  type BoardCommandOf,
  type BoardReadingOf,
  type BoardRole,
  boardReadingSchemas,
  formatIssues,
  type HostHello,
} from "./protocol.js";
import type { BoardStream } from "./stream.js";

/** Why the board lost its host: silence, `bye`, the stream closed, or an I/O error. */
export type BoardEndpointLostReason = "heartbeat" | "bye" | "closed" | "error";

export interface BoardEndpointOptions<R extends BoardRole> {
  role: R;
  stream: BoardStream;
  /** Board name sent in hello. */
  name: string;
  capabilities?: string[];
  timers?: Clock;
  logger?: LinkLogger;
  /** Answer every command with `ack` (default true). */
  ack?: boolean;
  heartbeatIntervalMs?: number;
  heartbeatLimitMs?: number;
  maxLineBytes?: number;
}

export interface BoardEndpoint<R extends BoardRole> {
  readonly role: R;
  /** "waiting": no (more) host; "ready": hello exchanged; "ended": stream gone. */
  readonly state: "waiting" | "ready" | "ended";
  onHello(cb: (hello: HostHello) => void): () => void;
  onCommand(cb: (command: BoardCommandOf<R>, meta: { seq: number }) => void): () => void;
  /**
   * The host session is over (once per hello): switch outputs off. Afterwards the endpoint waits for a new
   * hello, or is "ended" when the stream is gone.
   */
  onLost(cb: (lost: { reason: BoardEndpointLostReason; detail: string }) => void): () => void;
  /** A line from the host that was dropped (also answered with an `error` message). */
  onError(cb: (error: BoardError) => void): () => void;
  /**
   * Report a reading: sent now when ready, and remembered as current state for the next hello.
   * Throws {@link BoardError} "bad-message" for an invalid reading.
   */
  sendReading(reading: BoardReadingOf<R>): void;
  /** Send an `error` message (text cut to the protocol limit). */
  sendError(message: string): void;
  /** Fault injection: stop (false) or resume (true) sending heartbeats. */
  setHeartbeat(enabled: boolean): void;
  close(): void;
}

/** `reading` as its schema accepts it; throws {@link BoardError} "bad-message" naming the field and the rule. */
function checkedReading(role: BoardRole, reading: { type: string }): unknown {
  const ok = boardReadingSchemas[role].safeParse(reading);
  if (!ok.success)
    throw new BoardError("bad-message", `board reading: ${formatIssues(ok.error, reading.type)}`);
  return ok.data;
}

export function createBoardEndpoint<R extends BoardRole>(opts: BoardEndpointOptions<R>): BoardEndpoint<R> {
  const timers = opts.timers ?? realClock;
  const log = opts.logger ?? silentLogger;
  const { role, stream } = opts;
  const autoAck = opts.ack ?? true;
  const hellos = createListeners<[HostHello]>();
  const commands = createListeners<[BoardCommandOf<R>, { seq: number }]>();
  const losts = createListeners<[{ reason: BoardEndpointLostReason; detail: string }]>();
  const errors = createListeners<[BoardError]>();
  /** Last value of every reading type (measure merged), re-sent after each hello. */
  const current = new Map<string, BoardReadingOf<R>>();
  let state: "waiting" | "ready" | "ended" = "waiting";
  let heartbeatOn = true;

  const sendError = (message: string): void => {
    if (state !== "ended") peer.send({ type: "error", message: message.slice(0, BOARD_ERROR_TEXT_MAX) });
  };
  const hello = (): void => {
    peer.send({
      type: "hello",
      role,
      protocol: BOARD_PROTOCOL_VERSION,
      board: opts.name,
      ...(opts.capabilities ? { capabilities: opts.capabilities } : {}),
    });
  };
  const lose = (reason: BoardEndpointLostReason, detail: string): void => {
    if (state === "ended") return;
    const wasReady = state === "ready";
    state = reason === "closed" || reason === "error" ? "ended" : "waiting";
    peer.stopHeartbeat();
    peer.stopSupervision();
    if (state === "ended") peer.dispose();
    if (wasReady) {
      log.warn({ role, reason, detail }, "board endpoint: host lost, outputs off");
      losts.emit({ reason, detail });
    }
  };

  const peer = createPeer({
    role,
    from: "host",
    stream,
    timers,
    maxLineBytes: opts.maxLineBytes ?? BOARD_MAX_LINE_BYTES,
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? BOARD_HEARTBEAT_INTERVAL_MS,
    heartbeatLimitMs: opts.heartbeatLimitMs ?? BOARD_HEARTBEAT_LIMIT_MS,
    onMessage(msg) {
      switch (msg.type) {
        case "hello": {
          hello();
          if (msg.role !== role) {
            sendError(`hello: field "role" is ${JSON.stringify(msg.role)}, this board is the ${role} side`);
            return;
          }
          state = "ready";
          if (heartbeatOn) peer.startHeartbeat();
          peer.supervise((silentMs) =>
            lose("heartbeat", `nothing from the host for ${Math.round(silentMs)} ms`),
          );
          for (const r of current.values()) peer.send(r);
          const { v: _v, seq: _seq, ...h } = msg;
          hellos.emit(h);
          return;
        }
        case "heartbeat":
          return;
        case "bye":
          lose("bye", "host said bye");
          return;
        default: {
          if (state !== "ready") {
            sendError(`command "${msg.type}" before the hello exchange: dropped`);
            return;
          }
          const { v: _v, seq, ...command } = msg;
          commands.emit(command as unknown as BoardCommandOf<R>, { seq });
          if (autoAck && state === "ready") peer.send({ type: "ack", ack: seq });
        }
      }
    },
    onBadLine(error) {
      log.warn({ role, code: error.code }, error.message);
      errors.emit(error);
      // Answer a foreign protocol version with our own hello so the host can name the mismatch.
      if (error.code === "protocol-mismatch") hello();
      sendError(error.message);
    },
    onSeq(check, type) {
      log.debug({ role, ...check, type }, "board endpoint: host seq out of order");
    },
    onEnd(e) {
      lose(e.error ? "error" : "closed", e.reason);
    },
  });

  return {
    role,
    get state() {
      return state;
    },
    onHello: hellos.add,
    onCommand: commands.add,
    onLost: losts.add,
    onError: errors.add,
    sendReading(reading) {
      const r = (fastReading(role, reading) ?? checkedReading(role, reading)) as BoardReadingOf<R>;
      const prev = current.get(r.type);
      current.set(r.type, r.type === "measure" && prev ? ({ ...prev, ...r } as BoardReadingOf<R>) : r);
      if (state === "ready") peer.send(r);
    },
    sendError,
    setHeartbeat(enabled) {
      heartbeatOn = enabled;
      if (!enabled) peer.stopHeartbeat();
      else if (state === "ready") peer.startHeartbeat();
    },
    close() {
      if (state === "ended") return;
      state = "ended";
      peer.dispose();
      stream.close();
    },
  };
}
