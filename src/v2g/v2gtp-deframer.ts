/**
 * Streaming V2GTP deframer for a TCP/TLS byte stream (ISO 15118-2 §7.8.3): push chunks as they arrive,
 * get the complete messages back. Handles a message split over many chunks and many messages in one chunk.
 * Copies only when needed: a payload lying inside one chunk is returned as a view into that chunk; a payload
 * spanning chunks is assembled once into a buffer of exactly its length (bounded by `maxPayload`).
 */
import {
  decodeV2gtpHeader,
  resolveMaxPayload,
  V2GTP_HEADER_LENGTH,
  V2GTP_INVERSE_VERSION,
  V2GTP_VERSION,
  type V2gtpDecodeOptions,
  V2gtpError,
  type V2gtpMessage,
} from "./v2gtp.js";

/**
 * Report a bad version byte as soon as it arrives instead of waiting for all 8 header bytes (a TLS record
 * is caught at its first byte). `header` is 8 bytes long, so decodeV2gtpHeader reaches the version checks
 * and throws the same named error it would for a full header.
 */
function checkPartialHeader(header: Uint8Array, fill: number): void {
  if (fill >= 1 && header[0] !== V2GTP_VERSION) decodeV2gtpHeader(header, 0, { maxPayload: 0 });
  if (fill >= 2 && header[1] !== V2GTP_INVERSE_VERSION) decodeV2gtpHeader(header, 0, { maxPayload: 0 });
}

/** A streaming deframer; see {@link createV2gtpDeframer}. */
export interface V2gtpDeframer {
  /**
   * Feed the next chunk; returns the messages completed by it (payloads may be views into `chunk`, so do
   * not reuse chunk buffers while holding messages). On a bad header the messages completed before it are
   * still returned, {@link V2gtpDeframer.error} is set and the deframer is dead: any later `push` throws
   * that error. The receiver then closes the connection and logs `error.code`.
   */
  push(chunk: Uint8Array): V2gtpMessage[];
  /** The error that killed the deframer, if any. */
  readonly error: V2gtpError | undefined;
  /** Bytes of an incomplete message currently held (header and payload). */
  readonly buffered: number;
}

/** Create a deframer. Options: `maxPayload` (default 64 KiB), `allowUnknownPayloadTypes` (default false). */
export function createV2gtpDeframer(opts?: V2gtpDecodeOptions): V2gtpDeframer {
  const decodeOpts: V2gtpDecodeOptions = { ...opts, maxPayload: resolveMaxPayload(opts) };
  const header = new Uint8Array(V2GTP_HEADER_LENGTH);
  let headerFill = 0;
  let payloadType = 0;
  let body: Uint8Array | null = null; // payload being assembled across chunks
  let bodyFill = 0;
  let error: V2gtpError | undefined;

  function push(chunk: Uint8Array): V2gtpMessage[] {
    if (error) throw error;
    const out: V2gtpMessage[] = [];
    let off = 0;
    const n = chunk.length;
    while (off < n) {
      if (body) {
        const take = Math.min(body.length - bodyFill, n - off);
        body.set(chunk.subarray(off, off + take), bodyFill);
        bodyFill += take;
        off += take;
        if (bodyFill === body.length) {
          out.push({ payloadType, payload: body });
          body = null;
          bodyFill = 0;
        }
        continue;
      }
      let len: number;
      try {
        if (headerFill === 0 && n - off >= V2GTP_HEADER_LENGTH) {
          const h = decodeV2gtpHeader(chunk, off, decodeOpts);
          off += V2GTP_HEADER_LENGTH;
          payloadType = h.payloadType;
          len = h.payloadLength;
        } else {
          const take = Math.min(V2GTP_HEADER_LENGTH - headerFill, n - off);
          header.set(chunk.subarray(off, off + take), headerFill);
          headerFill += take;
          off += take;
          if (headerFill < V2GTP_HEADER_LENGTH) {
            checkPartialHeader(header, headerFill);
            break;
          }
          headerFill = 0;
          const h = decodeV2gtpHeader(header, 0, decodeOpts);
          payloadType = h.payloadType;
          len = h.payloadLength;
        }
      } catch (e) {
        error = e instanceof V2gtpError ? e : new V2gtpError("bad-field", String(e), { cause: e });
        return out;
      }
      if (n - off >= len) {
        out.push({ payloadType, payload: chunk.subarray(off, off + len) });
        off += len;
      } else {
        body = new Uint8Array(len);
        body.set(chunk.subarray(off), 0);
        bodyFill = n - off;
        off = n;
      }
    }
    return out;
  }

  return {
    push,
    get error() {
      return error;
    },
    get buffered() {
      return body ? V2GTP_HEADER_LENGTH + bodyFill : headerFill;
    },
  };
}
