/**
 * Bit-packed EXI writer (W3C EXI 1.0 §7, bit-packed alignment). The generated encoders reuse one writer per
 * codec module, so encoding allocates only the returned Uint8Array. Platform-neutral.
 */
import { ExiEncodeError } from "./errors.js";
import { hexToBytes } from "./hex.js";
import { DECODE_MIN_STRING_LIMIT, DEFAULT_MAX_BINARY_LENGTH, DEFAULT_MAX_STRING_LENGTH } from "./limits.js";

/**
 * Bit writer used by the generated encoders. Bytes past the current position may hold stale data from a
 * previous stream: every write masks the partial byte at `pos` and assigns the bytes after it, so `reset`
 * costs nothing and {@link BitWriter.finish} copies only the bytes written.
 */
export class BitWriter {
  buf: Uint8Array;
  /** Current bit position. */
  pos = 0;

  constructor(capacity = 4096) {
    this.buf = new Uint8Array(Math.max(capacity, 8));
  }

  /** Accept strings longer than their maxLength facet (up to DECODE_MIN_STRING_LIMIT). */
  lenient = false;

  /** Accept strings and binaries longer than their maxLength facet up to the hard limits (tolerant encode). */
  tolerant = false;

  /** Start a new stream. */
  reset(lenient = false, tolerant = false): void {
    this.lenient = lenient;
    this.tolerant = tolerant;
    this.pos = 0;
  }

  private grow(bytes: number): void {
    const need = (this.pos >>> 3) + bytes + 8;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf);
    this.buf = nb;
  }

  /** Write `v` as an n-bit unsigned integer, 0 ≤ n ≤ 32 (EXI §7.1.9). */
  bits(v: number, n: number): void {
    if (n > 24) {
      this.bits(Math.floor(v / 65536), n - 16);
      this.bits(v & 0xffff, 16);
      return;
    }
    const p = this.pos;
    const i = p >>> 3;
    let buf = this.buf;
    if (i + 4 > buf.length) {
      this.grow(4);
      buf = this.buf;
    }
    const sh = p & 7;
    // v left-aligned in a 32-bit window that starts at byte i (n + sh ≤ 31)
    const x = n === 0 ? 0 : ((v << (32 - n)) >>> sh) >>> 0;
    buf[i] = (buf[i]! & (0xff00 >>> sh)) | (x >>> 24);
    buf[i + 1] = x >>> 16;
    buf[i + 2] = x >>> 8;
    buf[i + 3] = x;
    this.pos = p + n;
  }

  /** Unsigned Integer (EXI §7.1.6) from a non-negative safe integer. */
  uint(v: number): void {
    if (v < 128) {
      this.bits(v, 8);
      return;
    }
    if (v < 16384) {
      this.bits((((v & 127) | 128) << 8) | (v >>> 7), 16);
      return;
    }
    while (v >= 128) {
      this.bits((v % 128) | 128, 8);
      v = Math.floor(v / 128);
    }
    this.bits(v, 8);
  }

  /** Unsigned Integer (EXI §7.1.6) from a non-negative bigint. */
  uintBig(v: bigint): void {
    if (v <= 9007199254740991n) {
      this.uint(Number(v));
      return;
    }
    while (v >= 128n) {
      this.bits(Number(v & 127n) | 128, 8);
      v >>= 7n;
    }
    this.bits(Number(v), 8);
  }

  /** Integer (EXI §7.1.5). */
  int(v: number): void {
    if (v < 0) {
      this.bits(1, 1);
      this.uint(-v - 1);
    } else {
      this.bits(0, 1);
      this.uint(v);
    }
  }

  /** Integer (EXI §7.1.5) from a bigint. */
  intBig(v: bigint): void {
    if (v < 0n) {
      this.bits(1, 1);
      this.uintBig(-v - 1n);
    } else {
      this.bits(0, 1);
      this.uintBig(v);
    }
  }

  /** String literal (EXI §7.1.10): length+2, then code points. Never emits string-table hits. */
  string(s: unknown, maxLength: number, field: string): void {
    if (typeof s !== "string")
      throw new ExiEncodeError("EXI_TYPE", field, `expected a string, got ${typeof s}`);
    if (this.lenient && maxLength < DECODE_MIN_STRING_LIMIT) maxLength = DECODE_MIN_STRING_LIMIT;
    if (this.tolerant && maxLength < DEFAULT_MAX_STRING_LENGTH) maxLength = DEFAULT_MAX_STRING_LENGTH;
    let ascii = true;
    for (let k = 0; k < s.length; k++) {
      if (s.charCodeAt(k) >= 128) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      if (s.length > maxLength)
        throw new ExiEncodeError(
          "EXI_LENGTH",
          field,
          `string length ${s.length} exceeds maxLength ${maxLength}`,
        );
      this.uint(s.length + 2);
      this.bytesAt(null, s, s.length);
      return;
    }
    const cps: number[] = [];
    for (const ch of s) cps.push(ch.codePointAt(0)!);
    if (cps.length > maxLength)
      throw new ExiEncodeError(
        "EXI_LENGTH",
        field,
        `string length ${cps.length} exceeds maxLength ${maxLength}`,
      );
    this.uint(cps.length + 2);
    for (const c of cps) this.uint(c);
  }

  /** Binary (EXI §7.1.1). Accepts bytes or a hex string (the JSON form). */
  binary(b: unknown, maxLength: number, field: string): void {
    const bytes = typeof b === "string" ? hexToBytes(b, field) : b;
    if (!(bytes instanceof Uint8Array))
      throw new ExiEncodeError("EXI_TYPE", field, "expected a Uint8Array or a hex string");
    if (this.tolerant && maxLength < DEFAULT_MAX_BINARY_LENGTH) maxLength = DEFAULT_MAX_BINARY_LENGTH;
    if (bytes.length > maxLength)
      throw new ExiEncodeError(
        "EXI_LENGTH",
        field,
        `binary length ${bytes.length} exceeds maxLength ${maxLength}`,
      );
    this.uint(bytes.length);
    if ((this.pos & 7) === 0 && bytes.length > 16) {
      if ((this.pos >>> 3) + bytes.length + 4 > this.buf.length) this.grow(bytes.length + 4);
      this.buf.set(bytes, this.pos >>> 3);
      this.pos += bytes.length * 8;
      return;
    }
    this.bytesAt(bytes, null, bytes.length);
  }

  /** Write `len` whole bytes (from `bytes`, or the char codes of `str`) at any bit offset. */
  private bytesAt(bytes: Uint8Array | null, str: string | null, len: number): void {
    const p = this.pos;
    let i = p >>> 3;
    if (i + len + 4 > this.buf.length) this.grow(len + 4);
    const buf = this.buf;
    const sh = p & 7;
    let cur = buf[i]! & (0xff00 >>> sh);
    for (let k = 0; k < len; k++) {
      const x = bytes !== null ? bytes[k]! : str!.charCodeAt(k);
      buf[i++] = cur | (x >>> sh);
      cur = (x << (8 - sh)) & 0xff;
    }
    buf[i] = cur;
    this.pos = p + len * 8;
  }

  /** The bytes written so far, padded with zero bits to a byte boundary (a copy that later calls do not touch). */
  finish(): Uint8Array {
    const p = this.pos;
    const n = (p + 7) >>> 3;
    const buf = this.buf;
    if (p & 7) buf[n - 1] = buf[n - 1]! & (0xff00 >>> (p & 7));
    return buf.slice(0, n);
  }
}
