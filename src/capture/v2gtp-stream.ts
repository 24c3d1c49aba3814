/**
 * V2GTP framing of one captured TCP (or decrypted TLS) byte stream, tolerant of what captures contain:
 * capture gaps, garbage, connections picked up mid-message. Like `createV2gtpDeframer` (src/v2g) a message
 * inside one chunk is returned as a view and a split message is assembled once into a buffer of exactly its
 * length; unlike it, a bad header does not end the stream: the bytes up to the next plausible header (version
 * 0x01, inverse 0xFE, known payload type, length within the limit — ISO 15118-2 §7.8.3) are returned as a
 * `junk` piece, so nothing is dropped silently. Pure code.
 */
import {
  isKnownPayloadType,
  V2GTP_HEADER_LENGTH,
  V2GTP_INVERSE_VERSION,
  V2GTP_VERSION,
} from "../v2g/index.js";

/** Default largest V2GTP payload accepted from a capture (PnC certificate chains stay far below). */
export const CAPTURE_MAX_V2GTP_PAYLOAD = 1024 * 1024;
/** At most this many junk bytes are kept (for the hex dump); the count covers all of them. */
export const CAPTURE_MAX_JUNK_KEPT = 4096;

/** A piece of the stream. */
export type V2gtpPiece =
  | { kind: "message"; payloadType: number; payload: Uint8Array }
  | { kind: "junk"; bytes: Uint8Array; length: number; reason: string };

/** The framer of one stream direction; see {@link createV2gtpStream}. */
export interface V2gtpStream {
  push(chunk: Uint8Array): V2gtpPiece[];
  /** The capture lost `bytes` bytes here: abandon any partial message (returned as junk). */
  gap(bytes: number): V2gtpPiece[];
  /** End of stream: return any partial message as junk. */
  flush(): V2gtpPiece[];
  readonly messages: number;
}

function validHeader(d: Uint8Array, o: number, max: number): boolean {
  if (d[o] !== V2GTP_VERSION || d[o + 1] !== V2GTP_INVERSE_VERSION) return false;
  const pt = (d[o + 2]! << 8) | d[o + 3]!;
  const len = d[o + 4]! * 0x1000000 + ((d[o + 5]! << 16) | (d[o + 6]! << 8) | d[o + 7]!);
  return isKnownPayloadType(pt) && len <= max;
}

/** Create a framer; `maxPayload` defaults to {@link CAPTURE_MAX_V2GTP_PAYLOAD}. */
export function createV2gtpStream(opts?: { maxPayload?: number }): V2gtpStream {
  const max = opts?.maxPayload ?? CAPTURE_MAX_V2GTP_PAYLOAD;
  let tail: Uint8Array = new Uint8Array(0);
  let body: Uint8Array | null = null;
  let bodyFill = 0;
  let bodyHeader = new Uint8Array(0);
  let ptype = 0;
  let junk: Uint8Array[] = [];
  let junkLen = 0;
  let junkKept = 0;
  let junkReason = "";
  let messages = 0;

  function addJunk(b: Uint8Array, reason: string): void {
    if (b.length === 0) return;
    if (junkLen === 0) junkReason = reason;
    junkLen += b.length;
    if (junkKept < CAPTURE_MAX_JUNK_KEPT) {
      const k = b.subarray(0, CAPTURE_MAX_JUNK_KEPT - junkKept);
      junk.push(k.slice());
      junkKept += k.length;
    }
  }

  function flushJunk(out: V2gtpPiece[]): void {
    if (junkLen === 0) return;
    const bytes = new Uint8Array(junkKept);
    let o = 0;
    for (const j of junk) {
      bytes.set(j, o);
      o += j.length;
    }
    out.push({ kind: "junk", bytes, length: junkLen, reason: junkReason });
    junk = [];
    junkLen = 0;
    junkKept = 0;
  }

  function abandon(out: V2gtpPiece[], reason: string): void {
    if (body) {
      addJunk(bodyHeader, reason);
      addJunk(body.subarray(0, bodyFill), reason);
      body = null;
      bodyFill = 0;
    }
    addJunk(tail, reason);
    tail = new Uint8Array(0);
    flushJunk(out);
  }

  return {
    push(chunk) {
      const out: V2gtpPiece[] = [];
      let data = chunk;
      if (tail.length > 0) {
        data = new Uint8Array(tail.length + chunk.length);
        data.set(tail, 0);
        data.set(chunk, tail.length);
        tail = new Uint8Array(0);
      }
      const n = data.length;
      let off = 0;
      while (off < n) {
        if (body) {
          const take = Math.min(body.length - bodyFill, n - off);
          body.set(data.subarray(off, off + take), bodyFill);
          bodyFill += take;
          off += take;
          if (bodyFill === body.length) {
            out.push({ kind: "message", payloadType: ptype, payload: body });
            messages++;
            body = null;
          }
          continue;
        }
        if (n - off < V2GTP_HEADER_LENGTH) {
          tail = data.slice(off);
          break;
        }
        if (validHeader(data, off, max)) {
          flushJunk(out);
          ptype = (data[off + 2]! << 8) | data[off + 3]!;
          const len =
            data[off + 4]! * 0x1000000 + ((data[off + 5]! << 16) | (data[off + 6]! << 8) | data[off + 7]!);
          const start = off + V2GTP_HEADER_LENGTH;
          if (n - start >= len) {
            out.push({ kind: "message", payloadType: ptype, payload: data.subarray(start, start + len) });
            messages++;
            off = start + len;
          } else {
            bodyHeader = data.slice(off, start);
            body = new Uint8Array(len);
            body.set(data.subarray(start), 0);
            bodyFill = n - start;
            off = n;
          }
          continue;
        }
        let i = off + 1;
        while (i + V2GTP_HEADER_LENGTH <= n && !validHeader(data, i, max)) i++;
        addJunk(data.subarray(off, i), "not a V2GTP header (version 0x01, inverse 0xFE, known payload type)");
        off = i;
      }
      return out;
    },
    gap(bytes) {
      const out: V2gtpPiece[] = [];
      abandon(out, `message cut by a capture gap of ${bytes} bytes`);
      return out;
    },
    flush() {
      const out: V2gtpPiece[] = [];
      abandon(out, "incomplete V2GTP message at the end of the capture");
      return out;
    },
    get messages() {
      return messages;
    },
  };
}
