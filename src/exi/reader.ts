/**
 * Bit-packed EXI reader over a Uint8Array (W3C EXI 1.0 §7, bit-packed alignment). Reads n-bit unsigned
 * integers, Unsigned Integer (7-bit groups), Integer, Boolean, String (literal plus local/global
 * string-table hits as sent by EXIficient-based peers), and Binary. Platform-neutral.
 */
import { ExiDecodeError } from "./errors.js";
import { DEFAULT_MAX_BINARY_LENGTH, DEFAULT_MAX_STRING_LENGTH } from "./limits.js";

/** Scratch arrays for ASCII string decoding, one per length (String.fromCharCode.apply needs exact lengths). */
const SCRATCH: number[][] = [];
for (let k = 0; k <= 64; k++) SCRATCH.push(new Array<number>(k).fill(0));

/**
 * Bit reader used by the generated decoders. A codec module keeps one instance and {@link BitReader.reset}s it
 * for every decode call, so decoding allocates only the result (and the string-table entries it remembers).
 */
export class BitReader {
  /** The stream being read. */
  buf: Uint8Array;
  /** Current bit position. */
  pos: number;
  /** End of the readable data, in bits. */
  end: number;
  /**
   * String table (EXI §7.3.2 value partitions) as parallel arrays reused across calls: the strings in the
   * order they were added (global ids) and the qname id of each (local partitions). `count` entries are valid.
   * valuePartitionCapacity-0 peers (cbv2g/OpenV2G) never send hits; EXIficient-style peers may.
   */
  private tblStr: string[] = [];
  private tblQid: number[] = [];
  private count = 0;

  /**
   * Strict mode: a value outside its schema facet (range, enumeration, maxLength) raises ExiDecodeError
   * (EXI_VALUE for ranges and enumerations, EXI_LIMIT for lengths). Otherwise the value is kept when its EXI
   * coding can carry it and its bit offset goes to {@link BitReader.facets}.
   */
  strict = false;
  /** Bit offsets of the facet violations tolerated since the last {@link BitReader.reset}, in stream order. */
  readonly facets: number[] = [];

  constructor(buf: Uint8Array = new Uint8Array(0), startBit = 0) {
    this.buf = buf;
    this.pos = startBit;
    this.end = buf.length * 8;
  }

  /** Start reading `buf` at `startBit` (clears the string table and the tolerated violations). */
  reset(buf: Uint8Array, startBit: number, strict = false): this {
    this.buf = buf;
    this.pos = startBit;
    this.end = buf.length * 8;
    this.count = 0;
    this.strict = strict;
    if (this.facets.length !== 0) this.facets.length = 0;
    return this;
  }

  /** A schema facet broken by a value whose bits start at `at`: throws in strict mode, else records `at`. */
  facet(code: "EXI_VALUE" | "EXI_LIMIT", message: string, state: string, at: number): void {
    if (this.strict) this.fail(code, message, state, undefined, at);
    this.facets.push(at);
  }

  /** Fail at the current position. */
  fail(
    code: ExiDecodeError["code"],
    message: string,
    state?: string,
    expected?: string,
    at = this.pos,
  ): never {
    throw new ExiDecodeError(code, message, at, state, expected);
  }

  /** A malformed event code: `code` was read in grammar state `state` where `expected` are allowed. */
  badEvent(code: number, width: number, state: string, expected: string): never {
    const at = this.pos - width;
    if (code === -1) this.fail("EXI_EVENT", "unexpected event", state, expected, at);
    this.fail(
      "EXI_EVENT",
      `event code ${code} (${width} bits) is not a declared production (second-level events are not supported)`,
      state,
      expected,
      at,
    );
  }

  /** CH/EE bits read together with other bits were not zero: `mask` marks them in the `width`-bit group `x`. */
  badBits(x: number, mask: number, width: number, state: string): never {
    const k = 31 - Math.clz32(x & mask);
    this.fail(
      "EXI_EVENT",
      "event code 1 (1 bits) is not a declared production (second-level events are not supported)",
      state,
      "CH|EE",
      this.pos - k - 1,
    );
    void width;
  }

  /** Enumeration index out of range (bits starting at `at`): throws in strict mode (EXI 1.0 §7.2). */
  enumErr(i: number, count: number, state: string, at: number): void {
    this.facet("EXI_VALUE", `enumeration index ${i} out of range (${count} values)`, state, at);
  }

  /** n-bit integer above the schema maximum (bits starting at `at`): throws in strict mode (EXI 1.0 §7.1.9). */
  rangeErr(v: number, max: number, state: string, at: number): void {
    this.facet("EXI_VALUE", `value ${v} above the schema maximum ${max}`, state, at);
  }

  /** Read an n-bit unsigned integer, 0 ≤ n ≤ 32 (EXI §7.1.9). */
  bits(n: number): number {
    const p = this.pos;
    const e = p + n;
    if (e > this.end) this.fail("EXI_EOF", `unexpected end of stream reading ${n} bits`);
    this.pos = e;
    const i = p >>> 3;
    const buf = this.buf;
    const sh = p & 7;
    if (n + sh <= 8) return (buf[i]! >>> (8 - sh - n)) & ((1 << n) - 1);
    if (n <= 25) {
      // big-endian window of the bytes holding bits p..e-1 (all inside the buffer since e ≤ end)
      const m = n + sh;
      let win = (buf[i]! << 24) | (buf[i + 1]! << 16);
      if (m > 16) win |= buf[i + 2]! << 8;
      if (m > 24) win |= buf[i + 3]!;
      return (win << sh) >>> (32 - n);
    }
    return this.slowBits(p, n);
  }

  private slowBits(p: number, n: number): number {
    let v = 0;
    for (let k = 0; k < n; k++) {
      const q = p + k;
      v = v * 2 + ((this.buf[q >>> 3]! >>> (7 - (q & 7))) & 1);
    }
    return v;
  }

  /** Read one bit. */
  bit(): number {
    const p = this.pos;
    if (p >= this.end) this.fail("EXI_EOF", "unexpected end of stream reading 1 bit");
    this.pos = p + 1;
    return (this.buf[p >>> 3]! >>> (7 - (p & 7))) & 1;
  }

  /** Expect a 1-bit event code 0 (CH after SE of a simple-typed element, or EE after its value). */
  zero(state: string, expected: string): void {
    if (this.bit() !== 0) this.badEvent(1, 1, state, expected);
  }

  /** Unsigned Integer (EXI §7.1.6) as a number; values above 2^53-1 raise EXI_LIMIT. */
  uint(): number {
    const start = this.pos;
    let b = this.bits(8);
    if (b < 128) return b;
    let v = b & 127;
    let mul = 128;
    for (;;) {
      b = this.bits(8);
      v += (b & 127) * mul;
      if (b < 128) break;
      mul *= 128;
      if (mul > 2 ** 49)
        this.fail("EXI_LIMIT", "unsigned integer exceeds 2^53-1", undefined, undefined, start);
    }
    if (v > Number.MAX_SAFE_INTEGER)
      this.fail("EXI_LIMIT", "unsigned integer exceeds 2^53-1", undefined, undefined, start);
    return v;
  }

  /** Unsigned Integer (EXI §7.1.6) as a bigint, for 64-bit and unbounded schema types. */
  uintBig(): bigint {
    // number arithmetic while the value stays below 2^49, then bigint for the rest
    let lo = 0;
    let mul = 1;
    for (let k = 0; k < 7; k++) {
      const b = this.bits(8);
      lo += (b & 127) * mul;
      if (b < 128) return BigInt(lo);
      mul *= 128;
    }
    let v = BigInt(lo);
    let shift = 49n;
    for (;;) {
      const b = this.bits(8);
      v |= BigInt(b & 127) << shift;
      if (b < 128) return v;
      shift += 7n;
      if (shift > 1024n) this.fail("EXI_LIMIT", "unsigned integer longer than 1024 bits");
    }
  }

  /** Integer (EXI §7.1.5): sign bit, then |v| (or |v|-1 when negative) as Unsigned Integer. */
  int(): number {
    const x = this.bits(9);
    const b = x & 255;
    if (b < 128) return x > 255 ? -b - 1 : b;
    this.pos -= 8;
    const m = this.uint();
    return x > 255 ? -m - 1 : m;
  }

  /** Integer (EXI §7.1.5) as a bigint. */
  intBig(): bigint {
    const neg = this.bit();
    const m = this.uintBig();
    return neg ? -m - 1n : m;
  }

  /** n-bit unsigned integer for a bounded range (EXI §7.1.9), offset by `min`, checked against `max`. */
  ranged(width: number, min: number, max: number, state: string): number {
    const at = this.pos;
    const v = this.bits(width) + min;
    if (v > max) this.facet("EXI_VALUE", `value ${v} above the schema maximum ${max}`, state, at);
    return v;
  }

  /** Unsigned Integer checked against the schema range. */
  uintIn(min: number, max: number, state: string): number {
    const at = this.pos;
    const v = this.uint();
    if (v < min || v > max)
      this.facet("EXI_VALUE", `value ${v} outside the schema range [${min}, ${max}]`, state, at);
    return v;
  }

  /** Integer checked against the schema range. */
  intIn(min: number, max: number, state: string): number {
    const at = this.pos;
    const v = this.int();
    if (v < min || v > max)
      this.facet("EXI_VALUE", `value ${v} outside the schema range [${min}, ${max}]`, state, at);
    return v;
  }

  /**
   * The CH event code (1 bit, 0) of a simple element, then an Integer checked against the schema range:
   * CH, sign and the first 7-bit group in one read.
   */
  chIntIn(min: number, max: number, state: string): number {
    const x = this.bits(10);
    if (x >= 512) this.badBits(x, 512, 10, state);
    const at = this.pos - 9;
    const b = x & 255;
    let v: number;
    if (b < 128) v = x > 255 ? -b - 1 : b;
    else {
      this.pos -= 8;
      const m = this.uint();
      v = x > 255 ? -m - 1 : m;
    }
    if (v < min || v > max)
      this.facet("EXI_VALUE", `value ${v} outside the schema range [${min}, ${max}]`, state, at);
    return v;
  }

  /** 64-bit or unbounded integer (bigint) checked against optional schema bounds. */
  bigIn(signed: boolean, min: bigint | undefined, max: bigint | undefined, state: string): bigint {
    const at = this.pos;
    const v = signed ? this.intBig() : this.uintBig();
    if ((min !== undefined && v < min) || (max !== undefined && v > max))
      this.facet("EXI_VALUE", `value ${v} outside the schema range`, state, at);
    return v;
  }

  /** Enumeration index (EXI §7.2) with `count` values, returned as index (≥ count only when tolerated). */
  enumIndex(width: number, count: number, state: string): number {
    const at = this.pos;
    const i = this.bits(width);
    if (i >= count)
      this.facet("EXI_VALUE", `enumeration index ${i} out of range (${count} values)`, state, at);
    return i;
  }

  /**
   * Enumeration value (EXI §7.2): the string of `values`, or, for an index past the end that the n-bit code
   * can hold (tolerant mode), the index itself as a number.
   */
  enumValue(values: readonly string[], width: number, state: string): string | number {
    const i = this.enumIndex(width, values.length, state);
    return i < values.length ? values[i]! : i;
  }

  /**
   * String (EXI §7.1.10 with the string table of §7.3): length+2 then code points; 0 = local hit, 1 = global hit.
   * `qid` identifies the element/attribute qname (local partition). `maxLength` from the schema facet: longer
   * strings throw in strict mode, else are kept up to DEFAULT_MAX_STRING_LENGTH (the hard limit).
   */
  string(maxLength: number, qid: number, state: string): string {
    const at = this.pos;
    const n = this.uint();
    if (n < 2) {
      const hit = this.stringHit(n, qid, state, at);
      if (hit.length > maxLength && [...hit].length > maxLength)
        this.facet("EXI_LIMIT", `string length ${[...hit].length} exceeds maxLength ${maxLength}`, state, at);
      return hit;
    }
    const len = n - 2;
    if (len > maxLength) {
      const msg = `string length ${len} exceeds maxLength ${maxLength}`;
      if (len > DEFAULT_MAX_STRING_LENGTH) this.fail("EXI_LIMIT", msg, state, undefined, at);
      this.facet("EXI_LIMIT", msg, state, at);
    }
    if (len * 8 > this.end - this.pos)
      this.fail("EXI_EOF", `string of ${len} characters runs past the end`, state, undefined, at);
    if (len === 0) return "";
    let s: string | undefined;
    const sc = SCRATCH[len];
    if (sc !== undefined) {
      // ASCII fast path: every code point below 128 is one 8-bit group (bytes i..i+len, shifted by sh)
      const p = this.pos;
      const buf = this.buf;
      const sh = p & 7;
      let i = p >>> 3;
      let k = 0;
      if (sh === 0)
        for (; k < len; k++, i++) {
          const c = buf[i]!;
          if (c >= 128) break;
          sc[k] = c;
        }
      else
        for (; k < len; k++, i++) {
          const c = ((buf[i]! << sh) | (buf[i + 1]! >>> (8 - sh))) & 0xff;
          if (c >= 128) break;
          sc[k] = c;
        }
      this.pos = p + k * 8;
      if (k === len) s = String.fromCharCode.apply(null, sc);
      else s = String.fromCharCode.apply(null, sc.slice(0, k)) + this.codePoints(len - k, state);
    } else s = this.codePoints(len, state);
    // valuePartitionCapacity 0 peers never hit; EXIficient-style peers may, so remember every literal.
    const i = this.count++;
    this.tblStr[i] = s;
    this.tblQid[i] = qid;
    return s;
  }

  private codePoints(len: number, state: string): string {
    let s = "";
    for (let k = 0; k < len; k++) {
      const c = this.uint();
      if (c > 0x10ffff) this.fail("EXI_VALUE", `code point ${c} out of range`, state);
      s += String.fromCodePoint(c);
    }
    return s;
  }

  private stringHit(n: number, qid: number, state: string, at: number): string {
    const count = this.count;
    let size = count;
    if (n === 0) {
      size = 0;
      for (let k = 0; k < count; k++) if (this.tblQid[k] === qid) size++;
    }
    if (size === 0)
      this.fail(
        "EXI_VALUE",
        `string-table ${n === 0 ? "local" : "global"} hit on an empty table`,
        state,
        undefined,
        at,
      );
    let w = 0;
    while (1 << w < size) w++;
    const i = this.bits(w);
    if (i >= size) this.fail("EXI_VALUE", `string-table index ${i} out of range`, state, undefined, at);
    if (n === 1) return this.tblStr[i]!;
    for (let k = 0, j = 0; k < count; k++) if (this.tblQid[k] === qid && j++ === i) return this.tblStr[k]!;
    return this.fail("EXI_VALUE", `string-table index ${i} out of range`, state, undefined, at);
  }

  /** Binary (EXI §7.1.1): Unsigned Integer length, then the bytes. */
  binary(maxLength: number, state: string): Uint8Array {
    const at = this.pos;
    const len = this.uint();
    if (len > maxLength) {
      const msg = `binary length ${len} exceeds maxLength ${maxLength}`;
      if (len > DEFAULT_MAX_BINARY_LENGTH) this.fail("EXI_LIMIT", msg, state, undefined, at);
      this.facet("EXI_LIMIT", msg, state, at);
    }
    if (len * 8 > this.end - this.pos)
      this.fail("EXI_EOF", `binary of ${len} bytes runs past the end`, state, undefined, at);
    const p = this.pos;
    const buf = this.buf;
    let i = p >>> 3;
    // new Uint8Array(small) lives on the JS heap; slice() would allocate a separate backing store
    const out = new Uint8Array(len);
    const sh = p & 7;
    if (sh === 0) {
      if (len > 64) out.set(buf.subarray(i, i + len));
      else for (let k = 0; k < len; k++) out[k] = buf[i + k]!;
    } else for (let k = 0; k < len; k++, i++) out[k] = ((buf[i]! << sh) | (buf[i + 1]! >>> (8 - sh))) & 0xff;
    this.pos = p + len * 8;
    return out;
  }
}
