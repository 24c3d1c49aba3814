/**
 * Many board links over one connection: a fleet host running thousands of simulated cables in one process
 * talks to the process hosting their worlds over one socket instead of one per cable. Each board line
 * travels as `<channel> <line>`, the channel being the cable's index; `<channel> !close <reason>` ends a
 * channel; a line starting with `*` is a header of the connection itself (`* beat`: the connection's own
 * heartbeat, see {@link BoardMuxOptions.liveness}). Lines queued in one turn of the event loop leave in one
 * write (the `schedule` hook), so a thousand cables measuring at once cost one system call instead of a
 * thousand. Design choice: each channel carries the lines a board socket would, less the heartbeats when the
 * connection beats for its channels. Platform-neutral.
 */
import type { Clock, TimerHandle } from "../../machine/index.js";
import { BoardError } from "./errors.js";
import { createLineSplitter } from "./line-splitter.js";
import { BOARD_HEARTBEAT_INTERVAL_MS, BOARD_MAX_LINE_BYTES } from "./protocol.js";
import {
  type BoardStream,
  type BoardStreamCore,
  type BoardStreamEnd,
  createBoardStreamCore,
  type SharedTransport,
} from "./stream.js";

/** Longest channel prefix and control text added to a board line (bytes). Design choice. */
const MUX_PREFIX_MAX = 64;
/** Highest channel number (the fleets' largest pair index is below it). Design choice. */
export const BOARD_MUX_MAX_CHANNEL = 1_000_000;

/** Options of {@link createBoardMux}. */
export interface BoardMuxOptions {
  /** Write text to the connection. */
  send(text: string): void;
  /** Run `flush` once soon, after the current turn of the event loop (Node: `setImmediate`). */
  schedule(flush: () => void): void;
  /** The peer sent on a channel not open here: accept it (a world server), or leave undefined to drop. */
  onOpen?(channel: number, stream: BoardStream): void;
  /** A `*` header line from the peer (without the `*` and the space). */
  onHeader?(text: string): void;
  /** A line that could not be routed (bad prefix, too long); the connection goes on. */
  onError?(error: BoardError): void;
  /**
   * The connection's own liveness, on `clock`: it sends `* beat` whenever it sent nothing for a heartbeat
   * interval, and its channels' streams carry it as their {@link BoardStream.shared} transport, so the board
   * links on them send no heartbeats of their own and count anything received on the connection as heard.
   * Both ends of a connection must use it (or neither). Without it every channel beats for itself.
   */
  liveness?: { clock: Clock };
}

/** One end of a multiplexed connection. */
export interface BoardMux {
  /** A stream on `channel` (opened at the peer by its first line). Throws if the channel is open already. */
  open(channel: number): BoardStream;
  /** Send a `*` header line. */
  header(text: string): void;
  /** Bytes received from the connection. */
  receive(chunk: Uint8Array | string): void;
  /** The connection ended: every open channel ends with `end`. */
  end(end: BoardStreamEnd): void;
  /** Channels open now. */
  readonly size: number;
}

interface Channel {
  core: BoardStreamCore;
  /** Text written to the channel after its last "\n". */
  partial: string;
  /** Bytes written to the channel, decoded as a stream (a character may be split across writes). */
  decoder?: TextDecoder;
}

/** Create one end of a multiplexed board connection. */
export function createBoardMux(o: BoardMuxOptions): BoardMux {
  const channels = new Map<number, Channel>();
  let out: string[] = [];
  let scheduled = false;
  let ended: BoardStreamEnd | null = null;
  const clock = o.liveness?.clock;
  let lastRxMs = clock?.now() ?? 0;
  let lastTxMs = clock?.now() ?? 0;
  let beatTimer: TimerHandle | undefined;
  const shared: SharedTransport | undefined = clock && { quietMs: () => clock.now() - lastRxMs };

  const flush = (): void => {
    scheduled = false;
    if (out.length === 0 || ended) return;
    const text = out.join("");
    out = [];
    o.send(text);
    if (clock) lastTxMs = clock.now();
  };
  // One beat for the whole connection when it was quiet for an interval (with many cables it rarely is).
  const beat = (): void => {
    beatTimer = undefined;
    if (!clock || ended) return;
    const quietMs = clock.now() - lastTxMs;
    const due = quietMs >= BOARD_HEARTBEAT_INTERVAL_MS;
    if (due) queue("* beat\n");
    beatTimer = clock.setTimeout(beat, BOARD_HEARTBEAT_INTERVAL_MS - (due ? 0 : quietMs));
  };
  const queue = (text: string): void => {
    if (ended) return;
    out.push(text);
    if (!scheduled) {
      scheduled = true;
      o.schedule(flush);
    }
  };

  const channel = (ch: number): Channel => {
    const c: Channel = {
      partial: "",
      core: createBoardStreamCore(
        {
          write(chunk) {
            // one whole line (how a board link writes): framed as it is
            if (typeof chunk === "string" && c.partial === "" && isOneLine(chunk)) {
              queue(`${ch} ${chunk}`);
              return;
            }
            // whole lines go out framed; a partial line waits for its "\n"
            if (typeof chunk !== "string") c.decoder ??= new TextDecoder();
            const text =
              c.partial + (typeof chunk === "string" ? chunk : c.decoder!.decode(chunk, { stream: true }));
            const last = text.lastIndexOf("\n");
            if (last < 0) {
              c.partial = text;
              return;
            }
            c.partial = text.slice(last + 1);
            for (const line of text.slice(0, last).split("\n")) if (line !== "") queue(`${ch} ${line}\n`);
          },
          close() {
            if (channels.get(ch) === c) channels.delete(ch);
            queue(`${ch} !close\n`);
            c.core.end({ reason: "closed" });
          },
        },
        shared,
      ),
    };
    channels.set(ch, c);
    return c;
  };

  const bad = (message: string): void => o.onError?.(new BoardError("bad-message", `board mux: ${message}`));
  const onLine = (line: string): void => {
    if (line.startsWith("*")) {
      const text = line.slice(1).trimStart();
      if (text !== "beat") o.onHeader?.(text);
      return;
    }
    const sp = line.indexOf(" ");
    const ch = sp > 0 && sp <= 7 ? Number(line.slice(0, sp)) : Number.NaN;
    if (!Number.isInteger(ch) || ch < 0 || ch > BOARD_MUX_MAX_CHANNEL) {
      bad(`line without a channel number: ${JSON.stringify(line.slice(0, 40))}`);
      return;
    }
    const body = line.slice(sp + 1);
    const open = channels.get(ch);
    if (body.startsWith("!close")) {
      if (!open) return;
      channels.delete(ch);
      const why = body.slice("!close".length).trim();
      open.core.end({ reason: why ? `channel closed by the peer: ${why}` : "channel closed by the peer" });
      return;
    }
    if (open) {
      open.core.data(`${body}\n`);
      return;
    }
    if (!o.onOpen) return; // a line for a channel this side closed already
    const c = channel(ch);
    o.onOpen(ch, c.core.stream);
    c.core.data(`${body}\n`);
  };
  const splitter = createLineSplitter({
    maxBytes: BOARD_MAX_LINE_BYTES + MUX_PREFIX_MAX,
    onLine,
    onError: (e) => o.onError?.(e),
  });

  if (clock) beat();
  return {
    open(ch) {
      if (!Number.isInteger(ch) || ch < 0 || ch > BOARD_MUX_MAX_CHANNEL)
        throw new RangeError(`board mux: channel ${ch} is not an integer in 0…${BOARD_MUX_MAX_CHANNEL}`);
      if (channels.has(ch)) throw new Error(`board mux: channel ${ch} is open already`);
      const c = channel(ch);
      if (ended) c.core.end(ended);
      return c.core.stream;
    },
    header(text) {
      queue(`* ${text}\n`);
    },
    receive(chunk) {
      if (ended) return;
      if (clock) lastRxMs = clock.now();
      splitter.push(chunk);
    },
    end(e) {
      if (ended) return;
      ended = e;
      if (beatTimer !== undefined) clock?.clearTimeout(beatTimer);
      beatTimer = undefined;
      const open = [...channels.values()];
      channels.clear();
      for (const c of open) c.core.end(e);
    },
    get size() {
      return channels.size;
    },
  };
}

/** Channel numbers as compact ranges: [0,1,2,5] → "0-2,5". */
export function formatChannelRanges(channels: Iterable<number>): string {
  const s = [...new Set(channels)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** The inverse of {@link formatChannelRanges}; throws a RangeError naming a bad part. */
export function parseChannelRanges(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(",")) {
    if (part === "") continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const a = m ? Number(m[1]) : Number.NaN;
    const b = m?.[2] !== undefined ? Number(m[2]) : a;
    if (!m || b < a || b > BOARD_MUX_MAX_CHANNEL)
      throw new RangeError(`board mux: bad channel range ${JSON.stringify(part)}`);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

/** A non-empty line and its "\n", nothing more. */
function isOneLine(text: string): boolean {
  return text.length > 1 && text.indexOf("\n") === text.length - 1;
}
