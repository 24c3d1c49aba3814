/**
 * Bounded line splitter for the board port: byte or string chunks in, UTF-8 lines out (without "\n" and a
 * trailing "\r"). At most `maxBytes` (+1 for a "\r") are buffered: a longer line is reported once as
 * "too-long" and skipped up to its "\n", so a board that never sends a newline cannot grow the buffer.
 * Empty lines are ignored. Platform-neutral (TextEncoder / TextDecoder only).
 */
import { BoardError } from "./errors.js";
import { BOARD_MAX_LINE_BYTES } from "./protocol.js";

const LF = 0x0a;
const CR = 0x0d;
const encoder = new TextEncoder();

/** Options of {@link createLineSplitter}. */
export interface LineSplitterOptions {
  /** Longest line content in bytes (default {@link BOARD_MAX_LINE_BYTES}). */
  maxBytes?: number;
  onLine(line: string): void;
  /** A line that was dropped: "too-long" or "bad-utf8". */
  onError(error: BoardError): void;
}

/** A line splitter; `buffered` is the number of bytes of the incomplete last line. */
export interface LineSplitter {
  push(chunk: Uint8Array | string): void;
  readonly buffered: number;
  /** Forget any incomplete line. */
  reset(): void;
}

export function createLineSplitter(opts: LineSplitterOptions): LineSplitter {
  const maxBytes = opts.maxBytes ?? BOARD_MAX_LINE_BYTES;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Uint8Array[] = [];
  let size = 0;
  /** Inside an over-long line: drop bytes up to the next "\n". */
  let skipping = false;

  const tooLong = (n: number): void =>
    opts.onError(
      new BoardError(
        "too-long",
        `line: more than ${maxBytes} bytes without a newline (${n}+ bytes), dropped`,
      ),
    );

  const emit = (bytes: Uint8Array): void => {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    if (end === 0) return;
    if (end > maxBytes) {
      tooLong(end);
      return;
    }
    let line: string;
    try {
      line = decoder.decode(bytes.subarray(0, end));
    } catch (err) {
      opts.onError(new BoardError("bad-utf8", "line: not valid UTF-8, dropped", { cause: err }));
      return;
    }
    opts.onLine(line);
  };

  const take = (piece: Uint8Array): Uint8Array => {
    if (parts.length === 0) return piece;
    const out = new Uint8Array(size + piece.length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    out.set(piece, at);
    parts = [];
    size = 0;
    return out;
  };

  return {
    push(chunk) {
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      let start = 0;
      while (start <= bytes.length) {
        const nl = bytes.indexOf(LF, start);
        const piece = bytes.subarray(start, nl < 0 ? bytes.length : nl);
        if (nl < 0) {
          if (skipping || piece.length === 0) return;
          if (size + piece.length > maxBytes + 1) {
            tooLong(size + piece.length);
            parts = [];
            size = 0;
            skipping = true;
            return;
          }
          parts.push(piece.slice());
          size += piece.length;
          return;
        }
        if (skipping) {
          skipping = false;
        } else if (size + piece.length > maxBytes + 1) {
          tooLong(size + piece.length);
          parts = [];
          size = 0;
        } else {
          emit(take(piece));
        }
        start = nl + 1;
      }
    },
    get buffered() {
      return size;
    },
    reset() {
      parts = [];
      size = 0;
      skipping = false;
    },
  };
}
