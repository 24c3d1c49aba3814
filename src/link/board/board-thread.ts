/**
 * A host process's board thread (board-thread-worker.ts): its board links, their heartbeat and supervision,
 * and the EVSE's interlock (interlock.ts) run on their own thread; the controllers on the main thread get board
 * ports that look like any other. Readings are stamped on arrival at the main thread (the controller's
 * clock), as with an in-thread link. Node-only.
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../start-worker.js";
import type { BoardThreadMuxChannel, FromBoardThread, ToBoardThread } from "./board-thread-messages.js";
import { BoardError } from "./errors.js";
import {
  type BoardInterlock,
  INTERLOCK_CAUSE_TEXT,
  type InterlockCause,
  outputSwitchOf,
} from "./interlock.js";
import type { AnyBoardBody, BoardRole, HostHelloSim } from "./messages.js";
import { createTurnBatch } from "./turn-batch.js";

/** An interlock action on the main thread's clock (ms). */
export interface InterlockAction {
  cause: InterlockCause;
  /** The board link's transport (`unix:PATH`, …). */
  spec: string;
  inputAtMs: number;
  offAtMs: number;
}

/** One interlock action in words: "connector unlatched (PP): output off written 0.04 ms after the input". */
export function formatInterlockAction(n: InterlockAction): string {
  return `${INTERLOCK_CAUSE_TEXT[n.cause]}: output off written ${(n.offAtMs - n.inputAtMs).toFixed(2)} ms after the input`;
}

/** Interlock actions counted by cause: "2 (emergency stop 1, connector unlatched (PP) 1)". */
export function formatInterlockTally(actions: readonly InterlockAction[]): string {
  const by = new Map<InterlockCause, number>();
  for (const n of actions) by.set(n.cause, (by.get(n.cause) ?? 0) + 1);
  const parts = [...by].map(([cause, k]) => `${INTERLOCK_CAUSE_TEXT[cause]} ${k}`);
  return `${actions.length} (${parts.join(", ")})`;
}

/** Options of {@link BoardThread.open}. */
export interface BoardThreadOpenOptions<R extends BoardRole> {
  role: R;
  /** A board-protocol transport: `unix:PATH`, `tcp:HOST:PORT`, `serial:…`, `stdio:…`; with `mux`, a name. */
  spec: string;
  /**
   * Open the link on a channel of the board mux at a unix socket instead (a process hosting many simulated
   * cables): the thread connects once to each mux, and the connection beats for all its cables.
   */
  mux?: BoardThreadMuxChannel;
  /** Host identification in the hello. */
  host: string;
  /** Settings for a shared simulated world (the hello's `sim` field). */
  sim?: HostHelloSim;
  /**
   * EVSE: switch the output off on the thread on an emergency stop, a backstop limit, or while the output
   * is live the connector unlatched, the pilot out of B/C/D or an isolation fault (interlock.ts).
   */
  interlock?: BoardInterlock;
  /** Refuse when the board has not answered the hello within this long (ms, default 10 s). */
  readyTimeoutMs?: number;
}

/** One board link on the thread, as the main thread sees it. */
export interface ThreadBoardLink {
  readonly board: string;
  readonly capabilities: readonly string[];
  send(command: AnyBoardBody): void;
  /** Readings (kept until the first listener), loss (once), interlock actions (main-thread time, ms). */
  onReading(cb: (r: AnyBoardBody) => void): void;
  onLost(cb: (lost: { reason: string; detail: string }) => void): void;
  onInterlock(cb: (n: InterlockAction) => void): void;
  close(): Promise<void>;
}

/** The thread and the links it carries. */
export interface BoardThread {
  open<R extends BoardRole>(o: BoardThreadOpenOptions<R>): Promise<ThreadBoardLink>;
  /** Interlock actions of every link so far (main-thread time, ms). */
  readonly interlocks: readonly InterlockAction[];
  close(): Promise<void>;
}

interface Entry {
  settle?: { resolve(l: ThreadBoardLink): void; reject(e: Error): void };
  link?: ThreadBoardLink;
  readings: AnyBoardBody[];
  onReading?: (r: AnyBoardBody) => void;
  onLost?: (l: { reason: string; detail: string }) => void;
  lost?: { reason: string; detail: string };
  onInterlock?: (n: InterlockAction) => void;
  closed?: () => void;
}

/** The process's monotonic clock (ms) → this thread's `performance.now()` timeline. */
const toLocal = (hrMs: number): number => hrMs - (Number(process.hrtime.bigint()) / 1e6 - performance.now());

/** A command that switches the output off: the power module off, or the contactors (AC: the relay) opened. */
export const isOutputOff = (c: AnyBoardBody): boolean => outputSwitchOf(c) === false;

/** Start a board thread. */
export function startBoardThread(): BoardThread {
  const worker: Worker = startModuleWorker(import.meta.url, "./board-thread-worker", {});
  // The thread must not keep the process alive by itself once every link is closed.
  worker.unref();
  const entries = new Map<number, Entry>();
  const interlocks: InterlockAction[] = [];
  let nextId = 1;
  let dead: Error | null = null;
  // What the main thread has to say leaves once per turn of its event loop, as one batch (a park's chargers
  // set their power modules with every charge-loop request: one message each cost about a tenth of the
  // main thread's time). An output-off command does not wait: it leaves at once, after what was queued for its
  // own link (the other links' set points, which may be many at the end of a busy turn, wait for the turn).
  const toThread = createTurnBatch<ToBoardThread>({
    send: (batch) => {
      if (!dead) worker.postMessage(batch);
    },
    schedule: (flush) => setImmediate(flush),
    urgent: (m) => m.op === "send" && isOutputOff(m.command),
    key: (m) => m.id,
  });
  const post = (m: ToBoardThread): void => toThread.push(m);

  // the thread sends what it has to say once per turn of its event loop, in order, as one batch
  worker.on("message", (batch: FromBoardThread[]) => {
    for (const m of batch) receive(m);
  });
  const receive = (m: FromBoardThread): void => {
    const e = entries.get(m.id);
    if (!e) return;
    switch (m.op) {
      case "ready":
        e.settle?.resolve(makeLink(m.id, e, m.board, m.capabilities));
        e.settle = undefined;
        return;
      case "open-failed":
        entries.delete(m.id);
        e.settle?.reject(new BoardError("open-failed", m.message));
        return;
      case "reading":
        if (e.onReading) e.onReading(m.reading);
        else e.readings.push(m.reading);
        return;
      case "interlock": {
        const n: InterlockAction = {
          cause: m.note.cause,
          spec: m.note.spec,
          inputAtMs: toLocal(m.note.inputAtHrMs),
          offAtMs: toLocal(m.note.offAtHrMs),
        };
        interlocks.push(n);
        e.onInterlock?.(n);
        return;
      }
      case "lost":
        e.lost ??= { reason: m.reason, detail: m.detail };
        e.onLost?.(e.lost);
        return;
      case "closed":
        entries.delete(m.id);
        e.closed?.();
        return;
    }
  };
  worker.on("error", (err) => fail(err));
  worker.on("exit", (code) => fail(new Error(`board thread exited (code ${code})`)));
  const fail = (err: Error): void => {
    if (dead) return;
    dead = err;
    for (const e of entries.values()) {
      e.settle?.reject(new BoardError("open-failed", `board thread: ${err.message}`, { cause: err }));
      e.settle = undefined;
      e.lost ??= { reason: "error", detail: `board thread: ${err.message}` };
      e.onLost?.(e.lost);
      e.closed?.();
    }
    entries.clear();
  };

  const makeLink = (id: number, e: Entry, board: string, capabilities: string[]): ThreadBoardLink => {
    const link: ThreadBoardLink = {
      board,
      capabilities,
      send: (command) => {
        if (!dead) post({ op: "send", id, command });
      },
      onReading(cb) {
        e.onReading = cb;
        for (const r of e.readings.splice(0)) cb(r);
      },
      onLost(cb) {
        e.onLost = cb;
        if (e.lost) cb(e.lost);
      },
      onInterlock(cb) {
        e.onInterlock = cb;
      },
      close: () =>
        new Promise<void>((resolve) => {
          if (dead || !entries.has(id)) return resolve();
          e.closed = resolve;
          e.onLost = undefined;
          post({ op: "close", id });
        }),
    };
    e.link = link;
    return link;
  };

  return {
    interlocks,
    open(o) {
      if (dead) return Promise.reject(new BoardError("open-failed", `board thread: ${dead.message}`));
      const id = nextId++;
      const e: Entry = { readings: [] };
      entries.set(id, e);
      const limitMs = o.readyTimeoutMs ?? 10_000;
      return new Promise<ThreadBoardLink>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (!e.settle) return;
          e.settle = undefined;
          post({ op: "close", id });
          reject(new BoardError("open-failed", `${o.spec}: no board hello within ${limitMs} ms`));
        }, limitMs);
        e.settle = {
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        };
        post({
          op: "open",
          id,
          role: o.role,
          spec: o.spec,
          ...(o.mux && { mux: o.mux }),
          host: o.host,
          ...(o.sim && { sim: o.sim }),
          ...(o.interlock && { interlock: o.interlock }),
        });
      });
    },
    async close() {
      for (const e of [...entries.values()]) await e.link?.close();
      if (!dead) {
        dead = new Error("closed");
        await worker.terminate();
      }
    },
  };
}
