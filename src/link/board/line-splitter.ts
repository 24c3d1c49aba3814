/**
 * Bounded line splitter for the board port: byte or string chunks in, UTF-8 lines out (without "\n" and a
 * trailing "\r"). At most `maxBytes` (+1 for a "\r") are buffered: a longer line is reported once as
 * "too-long" and skipped up to its "\n", so a board that never sends a newline cannot grow the buffer.
 * Empty lines are ignored. Platform-neutral (TextEncoder / TextDecoder only).
 *
 * Every line comes out as if its bytes had been decoded on their own (a fatal UTF-8 decoder that drops a
 * leading byte-order mark), and a string chunk as if it had been encoded to UTF-8 first (a lone surrogate
 * becomes U+FFFD). Two shortcuts keep that without the per-line work: the complete lines of a byte chunk
 * are decoded in one call (a "\n" byte never occurs inside a multi-byte UTF-8 sequence, so the lines of a
 * valid run are the lines of its text; an invalid run is decoded line by line, dropping only the bad
 * lines), and a string chunk is split as text, not encoded and decoded again.
 */
import { BoardError } from "./errors.js";
import { BOARD_MAX_LINE_BYTES } from "./protocol.js";

const LF = 0x0a;
const CR = 0x0d;
const BOM = "\uFEFF";
const encoder = new TextEncoder();
/** A UTF-16 code unit is at most 3 UTF-8 bytes: a line this many times shorter than the limit needs no count. */
const MAX_BYTES_PER_UNIT = 3;
const SURROGATE = /[\uD800-\uDFFF]/;

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
  // decodes runs of lines: each line's mark is dropped by hand, as `decoder` drops it from a line of its own
  const runDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
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

  /**
   * One line as well-formed text (no "\n"; a "\r" and a mark may still be on it), checked as `pushBytes`
   * and `emit` check bytes.
   */
  const emitText = (text: string): void => {
    if (text === "") return;
    const bytes = text.length * MAX_BYTES_PER_UNIT > maxBytes ? encoder.encode(text).length : text.length;
    if (bytes > maxBytes + 1) {
      tooLong(bytes);
      return;
    }
    const cr = text.charCodeAt(text.length - 1) === CR;
    const end = cr ? bytes - 1 : bytes;
    if (end === 0) return;
    if (end > maxBytes) {
      tooLong(end);
      return;
    }
    const line = cr ? text.slice(0, -1) : text;
    opts.onLine(line.startsWith(BOM) ? line.slice(1) : line);
  };

  /** The lines of `text` that a "\n" ends (nothing buffered, not skipping); the rest is the caller's. */
  const emitLines = (text: string): void => {
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      emitText(text.slice(start, nl));
      start = nl + 1;
    }
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

  const pushBytes = (bytes: Uint8Array): void => {
    let start = 0;
    let lineByLine = false;
    while (start <= bytes.length) {
      // with nothing pending, the complete lines from here on go through one decode
      if (!lineByLine && parts.length === 0 && !skipping && start < bytes.length) {
        const lastNl = bytes.lastIndexOf(LF);
        if (lastNl > start) {
          let text: string | undefined;
          try {
            text = runDecoder.decode(bytes.subarray(start, lastNl + 1));
          } catch {
            // some line of the run is not UTF-8: the rest of the chunk line by line, which drops just that line
            lineByLine = true;
          }
          if (text !== undefined) {
            emitLines(text);
            start = lastNl + 1;
            continue;
          }
        }
      }
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
  };

  const pushText = (chunk: string): void => {
    if (parts.length > 0 || skipping || SURROGATE.test(chunk)) {
      pushBytes(encoder.encode(chunk));
      return;
    }
    emitLines(chunk);
    // an incomplete last line is buffered as bytes, with its limit
    const tail = chunk.lastIndexOf("\n") + 1;
    if (tail < chunk.length) pushBytes(encoder.encode(chunk.slice(tail)));
  };

  return {
    push(chunk) {
      if (typeof chunk === "string") pushText(chunk);
      else pushBytes(chunk);
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
