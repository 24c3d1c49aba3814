/**
 * The board thread: every board link of a host process runs here, away from the sessions' event loop, so
 * that a busy main thread delays neither the heartbeat and supervision of the board protocol nor the
 * **interlock** (interlock.ts): an `emergency-stop` (pressed) reading, a measured output beyond the
 * charger's rated backstop limits, or while the output is live the connector unlatched, the pilot out of
 * state B/C/D or an isolation fault, makes this thread write the output-off command itself (the DC power
 * module's emergency off, or the AC relay opened) before it hands the reading on; the controller's own trip
 * follows on the main thread (IEC 61851-1 §6.3.1 / SAE J3400: de-energise the output on an emergency stop;
 * J3400 allows 10 ms). The interlock learns whether the output is live from the commands this thread
 * writes to the board (the host's and its own). Node-only.
 */
import { type MessagePort, parentPort } from "node:worker_threads";
import { realClock } from "../../machine/index.js";
import { openBoardStream } from "./adapters.js";
import { type BoardLink, createBoardLink } from "./board-link.js";
import type { BoardThreadMuxChannel, FromBoardThread, ToBoardThread } from "./board-thread-messages.js";
import { withHelloSim } from "./hello-sim.js";
import {
  INTERLOCK_IDLE,
  type InterlockState,
  interlockCommand,
  noteInterlockCommand,
  stepInterlock,
} from "./interlock.js";
import type { AnyBoardBody, BoardRole } from "./messages.js";
import { type BoardMuxClient, connectBoardMux } from "./mux-client.js";
import type { BoardStream } from "./stream.js";
import { createTurnBatch } from "./turn-batch.js";

/** The process's monotonic clock (ms), read through this thread's `performance.now()` (no BigInt per reading). */
const HR_OFFSET_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now();
const hrNow = (): number => performance.now() + HR_OFFSET_MS;

/** Serve `port`: open, feed and close board links on request. */
export function serveBoardThread(port: Pick<MessagePort, "on" | "postMessage">): void {
  /** Each link, and its interlock's state (fed the readings, and the commands written to the board). */
  const links = new Map<number, { link: BoardLink<BoardRole>; guard: InterlockState }>();
  // What this thread has to say leaves once per turn of its event loop, as one batch: with a thousand links
  // measuring every 100 ms, one message per reading cost the main thread about a fifth of its time in
  // message events. The interlock does not wait for it: it writes the output-off command first.
  const toMain = createTurnBatch<FromBoardThread>({
    send: (batch) => port.postMessage(batch),
    schedule: (flush) => setImmediate(flush),
  });
  const post = (m: FromBoardThread): void => toMain.push(m);

  // one connection to each board mux, shared by its cables' links; one that ended is connected anew
  const muxes = new Map<string, Promise<BoardMuxClient>>();
  const muxChannel = async ({ path, channel }: BoardThreadMuxChannel): Promise<BoardStream> => {
    let client = muxes.get(path);
    if (!client || (await client.catch(() => null))?.ended !== false) {
      client = connectBoardMux({ kind: "unix", path });
      muxes.set(path, client);
    }
    const mux = await client;
    if (!mux.hosts.has(channel)) throw new Error(`board mux ${mux.where} does not host cable ${channel}`);
    return mux.open(channel);
  };

  const open = async (m: Extract<ToBoardThread, { op: "open" }>): Promise<void> => {
    let link: BoardLink<BoardRole>;
    try {
      const raw = m.mux ? await muxChannel(m.mux) : await openBoardStream(m.spec);
      const stream = m.sim ? withHelloSim(raw, m.sim) : raw;
      link = createBoardLink({
        role: m.role,
        stream,
        timers: realClock,
        host: m.host,
      }) as BoardLink<BoardRole>;
    } catch (err) {
      post({ op: "open-failed", id: m.id, message: (err as Error).message });
      return;
    }
    const entry = { link, guard: INTERLOCK_IDLE };
    links.set(m.id, entry);
    link.onReading((reading) => {
      const r = reading as AnyBoardBody;
      if (m.interlock) {
        const inputAtHrMs = hrNow();
        const [next, cause] = stepInterlock(m.interlock, entry.guard, r);
        entry.guard = next;
        if (cause) {
          const off = interlockCommand(m.interlock.output);
          link.send(off as never);
          entry.guard = noteInterlockCommand(entry.guard, off);
          post({ op: "interlock", id: m.id, note: { cause, spec: m.spec, inputAtHrMs, offAtHrMs: hrNow() } });
        }
      }
      post({ op: "reading", id: m.id, reading: r });
    });
    link.onLost((l) => post({ op: "lost", id: m.id, reason: l.reason, detail: l.detail }));
    try {
      const hello = await link.ready;
      post({ op: "ready", id: m.id, board: hello.board, capabilities: [...(hello.capabilities ?? [])] });
    } catch (err) {
      links.delete(m.id);
      post({ op: "open-failed", id: m.id, message: (err as Error).message });
    }
  };

  const receive = (m: ToBoardThread): void => {
    switch (m.op) {
      case "open":
        void open(m);
        return;
      case "send": {
        const e = links.get(m.id);
        if (!e) return;
        e.link.send(m.command as never);
        // the interlock learns from the host's commands whether the output is live
        e.guard = noteInterlockCommand(e.guard, m.command);
        return;
      }
      case "close": {
        const e = links.get(m.id);
        links.delete(m.id);
        e?.link.close();
        post({ op: "closed", id: m.id });
        return;
      }
    }
  };
  // the main thread posts what one turn of its event loop had to say as one batch, in order
  port.on("message", (batch: ToBoardThread[]) => {
    for (const m of batch) receive(m);
  });
}

if (parentPort) serveBoardThread(parentPort);
