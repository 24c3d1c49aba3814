/**
 * Messages between a host's main thread and its board thread (see board-thread.ts). Times are the
 * process's monotonic clock in milliseconds (`process.hrtime`, the same in every thread; `performance.now()`
 * of a worker counts from the worker's own start).
 */
import type { BoardInterlock, InterlockCause } from "./interlock.js";
import type { AnyBoardBody, BoardRole, HostHelloSim } from "./messages.js";

/** A cable on a board mux at a unix socket (a process hosting many simulated cables). */
export interface BoardThreadMuxChannel {
  path: string;
  channel: number;
}

/**
 * Main → board thread, posted as arrays: what one turn of the main thread's event loop had to say, each
 * link's messages in their order (an output-off command leaves at once, ahead of other links' messages).
 */
export type ToBoardThread =
  | {
      op: "open";
      id: number;
      role: BoardRole;
      /**
       * `unix:PATH`, `tcp:HOST:PORT`, `serial:…` or `stdio:…` (a board-protocol transport); with `mux`, the
       * link's name only.
       */
      spec: string;
      /** Open the link on channel `channel` of the board mux at unix socket `path` instead (one connection a mux). */
      mux?: BoardThreadMuxChannel;
      host: string;
      sim?: HostHelloSim;
      interlock?: BoardInterlock;
    }
  | { op: "send"; id: number; command: AnyBoardBody }
  | { op: "close"; id: number };

/** The interlock acted: input received → output-off command written, both on the board thread. */
export interface BoardInterlockNote {
  cause: InterlockCause;
  /** The board link's transport (`unix:PATH`, …). */
  spec: string;
  inputAtHrMs: number;
  offAtHrMs: number;
}

/** Board thread → main (posted as arrays: what one turn of the thread's event loop had to say, in order). */
export type FromBoardThread =
  | { op: "ready"; id: number; board: string; capabilities: string[] }
  | { op: "open-failed"; id: number; message: string }
  | { op: "reading"; id: number; reading: AnyBoardBody }
  | { op: "interlock"; id: number; note: BoardInterlockNote }
  | { op: "lost"; id: number; reason: string; detail: string }
  | { op: "closed"; id: number };
