/**
 * Bit-packed EXI writer (W3C EXI 1.0 §7, bit-packed alignment). The generated encoders reuse one writer per
 * codec module, so encoding allocates only the returned Uint8Array. Platform-neutral.
 */
import { ExiEncodeError } from "./errors.js";
import { hexToBytes } from "./hex.js";
import { DECODE_MIN_STRING_LIMIT } from "./limits.js";

/** Bit writer used by the generated encoders. */
export class BitWriter {
  buf: Uint8Array;
  /** Current bit position. */
  pos = 0;

  constructor(capacity = 4096) {
    this.buf = new Uint8Array(capacity);
  }

  /** Accept strings longer than their maxLength facet (up to DECODE_MIN_STRING_LIMIT). */
  lenient = false;

  /** Start a new stream (clears the bytes used by the previous one). */
  reset(lenient = false): void {
    this.lenient = lenient;
    this.buf.fill(0, 0, (this.pos + 7) >>> 3);
    this.pos = 0;
  }

  private grow(bits: number): void {
    const need = (this.pos + bits + 7) >>> 3;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf);
    this.buf = nb;
  }

  /** Write `v` as an n-bit unsigned integer, 0 ≤ n ≤ 32 (EXI §7.1.9). */
  bits(v: number, n: number): void {
    if (n === 0) return;
    if (n > 24) {
      this.bits(Math.floor(v / 65536), n - 16);
      this.bits(v & 0xffff, 16);
      return;
    }
    let p = this.pos;
    if ((p + n + 7) >>> 3 > this.buf.length) this.grow(n);
    const buf = this.buf;
    while (n > 0) {
      const i = p >>> 3;
      const free = 8 - (p & 7);
      const take = Math.min(n, free);
      n -= take;
      buf[i]! |= ((v >>> n) & ((1 << take) - 1)) << (free - take);
      p += take;
    }
    this.pos = p;
  }

  /** Unsigned Integer (EXI §7.1.6) from a non-negative safe integer. */
  uint(v: number): void {
    while (v >= 128) {
      this.bits((v % 128) | 128, 8);
      v = Math.floor(v / 128);
    }
    this.bits(v, 8);
  }

  /** Unsigned Integer (EXI §7.1.6) from a non-negative bigint. */
  uintBig(v: bigint): void {
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
      for (let k = 0; k < s.length; k++) this.bits(s.charCodeAt(k), 8);
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
    if (bytes.length > maxLength)
      throw new ExiEncodeError(
        "EXI_LENGTH",
        field,
        `binary length ${bytes.length} exceeds maxLength ${maxLength}`,
      );
    this.uint(bytes.length);
    if ((this.pos & 7) === 0) {
      if ((this.pos >>> 3) + bytes.length > this.buf.length) this.grow(bytes.length * 8);
      this.buf.set(bytes, this.pos >>> 3);
      this.pos += bytes.length * 8;
      return;
    }
    for (let k = 0; k < bytes.length; k++) this.bits(bytes[k]!, 8);
  }

  /** The bytes written so far, padded with zero bits to a byte boundary (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, (this.pos + 7) >>> 3);
  }
}
