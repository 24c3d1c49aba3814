/**
 * The start and end of every generated codec's document decode and encode, shared by all schema sets: the
 * EXI header check (EXI 1.0 §5: distinguishing bits 10, no options, version 1 = one byte 0x80), the
 * End-Document padding (EXI 1.0 §9: zero bits to the byte boundary; extra zero bytes tolerated and counted,
 * as Tesla cars send them), the facet warnings of a tolerant decode (see decoded.ts) and the padding restored
 * on encode. Platform-neutral.
 */
import { ENCODE_MODE } from "./check.js";
import { decodedPadding, decodedTolerant, facetWarnings, markDecoded, underRoot } from "./decoded.js";
import { ExiDecodeError, ExiEncodeError } from "./errors.js";
import { MAX_EXI_MESSAGE_BYTES } from "./limits.js";
import type { SetMeta } from "./meta.js";
import type { DecodeOptions, EncodeOptions } from "./options.js";
import type { BitReader } from "./reader.js";
import type { BitWriter } from "./writer.js";

/** Check the stream and its EXI header, then reset `r` on it after the header byte. */
export function beginDecode(r: BitReader, bytes: Uint8Array, opts?: DecodeOptions): BitReader {
  if (!(bytes instanceof Uint8Array)) throw new ExiDecodeError("EXI_HEADER", "input is not a Uint8Array", 0);
  if (bytes.length > MAX_EXI_MESSAGE_BYTES)
    throw new ExiDecodeError(
      "EXI_LIMIT",
      `stream of ${bytes.length} bytes exceeds MAX_EXI_MESSAGE_BYTES ${MAX_EXI_MESSAGE_BYTES}`,
      0,
    );
  if (bytes.length === 0 || bytes[0] !== 0x80)
    throw new ExiDecodeError(
      "EXI_HEADER",
      `EXI header must be 0x80 (no options, version 1), got ${bytes.length === 0 ? "nothing" : `0x${bytes[0]!.toString(16)}`}`,
      0,
      "header",
      "0x80",
    );
  return r.reset(bytes, 8, opts?.strict === true);
}

/** Check End-Document padding; returns the number of zero bytes after it. */
export function endDecode(r: BitReader, opts?: DecodeOptions): number {
  const p = r.pos;
  const rest = p & 7 ? 8 - (p & 7) : 0;
  if (rest && r.bits(rest) !== 0)
    r.fail("EXI_TRAILING", "non-zero padding bits after End-Document", "DocEnd", undefined, p);
  const byteEnd = r.pos >>> 3;
  if (byteEnd < r.buf.length) {
    for (let i = byteEnd; i < r.buf.length; i++)
      if (r.buf[i] !== 0)
        r.fail(
          "EXI_TRAILING",
          `${r.buf.length - byteEnd} bytes after End-Document (not zero)`,
          "DocEnd",
          undefined,
          byteEnd * 8,
        );
    opts?.onWarning?.({
      code: "EXI_TRAILING_ZERO_BYTES",
      message: `${r.buf.length - byteEnd} zero bytes after End-Document ignored`,
      bitOffset: byteEnd * 8,
    });
  }
  return r.buf.length - byteEnd;
}

/**
 * End of a decode: the padding, then the facet warnings of a tolerant decode (paths from the root element,
 * or from inside `root` when given), recorded on the result (see decoded.ts).
 */
export function finishDecode<D extends object>(
  r: BitReader,
  doc: D,
  meta: SetMeta,
  opts?: DecodeOptions,
  root?: string,
): D {
  const pad = endDecode(r, opts);
  if (r.facets.length === 0 && pad === 0) return doc;
  let ws = r.facets.length === 0 ? [] : facetWarnings(meta, doc as Record<string, unknown>, r.facets);
  let target: object = doc;
  const inner = root === undefined ? undefined : (doc as Record<string, unknown>)[root];
  if (typeof inner === "object" && inner !== null) {
    target = inner;
    ws = underRoot(ws, root!);
  }
  if (opts?.onWarning) for (const x of ws) opts.onWarning(x);
  markDecoded(target, ws, pad);
  return doc;
}

/** Start an encode on `w`: tolerant when asked or when `doc` (or its root's value) carries facet warnings of a decode (check.ts). */
export function startEncode(w: BitWriter, doc: unknown, opts?: EncodeOptions): BitWriter {
  const tolerant = opts?.tolerant ?? decodedTolerant(doc);
  ENCODE_MODE.tolerant = tolerant;
  w.reset(opts?.lenientLengths === true, tolerant);
  w.bits(0x80, 8);
  return w;
}

/** End an encode: the bytes, then the zero padding bytes asked for or recorded by the decode of `doc`. */
export function finishEncode(w: BitWriter, doc: unknown, opts?: EncodeOptions): Uint8Array {
  const pad = opts?.paddingBytes ?? decodedPadding(doc);
  const out = w.finish();
  if (pad === 0) return out;
  if (!Number.isInteger(pad) || pad < 0 || out.length + pad > MAX_EXI_MESSAGE_BYTES)
    throw new ExiEncodeError(
      "EXI_LIMIT",
      "paddingBytes",
      `${pad} padding bytes: not a count that fits MAX_EXI_MESSAGE_BYTES`,
    );
  const padded = new Uint8Array(out.length + pad);
  padded.set(out);
  return padded;
}
