/**
 * Bit-packed EXI reader over a Uint8Array (W3C EXI 1.0 §7, bit-packed alignment). Reads n-bit unsigned
 * integers, Unsigned Integer (7-bit groups), Integer, Boolean, String (literal plus local/global
 * string-table hits as sent by EXIficient-based peers), and Binary. Platform-neutral.
 */
import { ExiDecodeError } from "./errors.js";

/** Bit reader used by the generated decoders. One instance per decode call. */
export class BitReader {
  /** Current bit position. */
  pos: number;
  /** End of the readable data, in bits. */
  readonly end: number;
  /** Global string-table partition (lazily created; only used when a peer sends string-table hits). */
  private global: string[] | null = null;
  /** Local string-table partitions keyed by qname id. */
  private local: Map<number, string[]> | null = null;

  constructor(
    readonly buf: Uint8Array,
    startBit = 0,
  ) {
    this.pos = startBit;
    this.end = buf.length * 8;
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

  /** Read an n-bit unsigned integer, 0 ≤ n ≤ 32 (EXI §7.1.9). */
  bits(n: number): number {
    const p = this.pos;
    const e = p + n;
    if (e > this.end) this.fail("EXI_EOF", `unexpected end of stream reading ${n} bits`);
    if (n > 24) {
      const hi = this.bits(n - 16);
      return hi * 65536 + this.bits(16);
    }
    let i = p >>> 3;
    const buf = this.buf;
    let v = buf[i]! & (0xff >>> (p & 7));
    let have = 8 - (p & 7);
    while (have < n) {
      v = (v << 8) | buf[++i]!;
      have += 8;
    }
    this.pos = e;
    return v >>> (have - n);
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
    let v = 0n;
    let shift = 0n;
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
    const neg = this.bit();
    const m = this.uint();
    return neg ? -m - 1 : m;
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
    if (v > max) this.fail("EXI_VALUE", `value ${v} above the schema maximum ${max}`, state, undefined, at);
    return v;
  }

  /** Unsigned Integer checked against the schema range. */
  uintIn(min: number, max: number, state: string): number {
    const at = this.pos;
    const v = this.uint();
    if (v < min || v > max)
      this.fail("EXI_VALUE", `value ${v} outside the schema range [${min}, ${max}]`, state, undefined, at);
    return v;
  }

  /** Integer checked against the schema range. */
  intIn(min: number, max: number, state: string): number {
    const at = this.pos;
    const v = this.int();
    if (v < min || v > max)
      this.fail("EXI_VALUE", `value ${v} outside the schema range [${min}, ${max}]`, state, undefined, at);
    return v;
  }

  /** 64-bit or unbounded integer (bigint) checked against optional schema bounds. */
  bigIn(signed: boolean, min: bigint | undefined, max: bigint | undefined, state: string): bigint {
    const at = this.pos;
    const v = signed ? this.intBig() : this.uintBig();
    if ((min !== undefined && v < min) || (max !== undefined && v > max))
      this.fail("EXI_VALUE", `value ${v} outside the schema range`, state, undefined, at);
    return v;
  }

  /** Enumeration index (EXI §7.2) with `count` values, returned as index. */
  enumIndex(width: number, count: number, state: string): number {
    const at = this.pos;
    const i = this.bits(width);
    if (i >= count)
      this.fail("EXI_VALUE", `enumeration index ${i} out of range (${count} values)`, state, undefined, at);
    return i;
  }

  /**
   * String (EXI §7.1.10 with the string table of §7.3): length+2 then code points; 0 = local hit, 1 = global hit.
   * `qid` identifies the element/attribute qname (local partition). `maxLength` from the schema facet.
   */
  string(maxLength: number, qid: number, state: string): string {
    const at = this.pos;
    const n = this.uint();
    if (n < 2) return this.stringHit(n, qid, state, at);
    const len = n - 2;
    if (len > maxLength)
      this.fail("EXI_LIMIT", `string length ${len} exceeds maxLength ${maxLength}`, state, undefined, at);
    if (len * 8 > this.end - this.pos)
      this.fail("EXI_EOF", `string of ${len} characters runs past the end`, state, undefined, at);
    let s = "";
    for (let k = 0; k < len; k++) {
      let c = this.bits(8);
      if (c >= 128) {
        this.pos -= 8;
        c = this.uint();
        if (c > 0x10ffff) this.fail("EXI_VALUE", `code point ${c} out of range`, state);
        s += String.fromCodePoint(c);
      } else s += String.fromCharCode(c);
    }
    // valuePartitionCapacity 0 peers never hit; EXIficient-style peers may, so remember every literal.
    if (len > 0) this.remember(s, qid);
    return s;
  }

  private remember(s: string, qid: number): void {
    if (this.global === null) {
      this.global = [];
      this.local = new Map();
    }
    this.global.push(s);
    const l = this.local!.get(qid);
    if (l) l.push(s);
    else this.local!.set(qid, [s]);
  }

  private stringHit(n: number, qid: number, state: string, at: number): string {
    const table = n === 0 ? (this.local?.get(qid) ?? []) : (this.global ?? []);
    if (table.length === 0)
      this.fail(
        "EXI_VALUE",
        `string-table ${n === 0 ? "local" : "global"} hit on an empty table`,
        state,
        undefined,
        at,
      );
    const i = this.bits(Math.ceil(Math.log2(table.length)));
    const v = table[i];
    if (v === undefined) this.fail("EXI_VALUE", `string-table index ${i} out of range`, state, undefined, at);
    return v;
  }

  /** Binary (EXI §7.1.1): Unsigned Integer length, then the bytes. */
  binary(maxLength: number, state: string): Uint8Array {
    const at = this.pos;
    const len = this.uint();
    if (len > maxLength)
      this.fail("EXI_LIMIT", `binary length ${len} exceeds maxLength ${maxLength}`, state, undefined, at);
    if (len * 8 > this.end - this.pos)
      this.fail("EXI_EOF", `binary of ${len} bytes runs past the end`, state, undefined, at);
    const p = this.pos;
    if ((p & 7) === 0) {
      this.pos = p + len * 8;
      return this.buf.slice(p >>> 3, (p >>> 3) + len);
    }
    const out = new Uint8Array(len);
    const buf = this.buf;
    const sh = p & 7;
    let i = p >>> 3;
    for (let k = 0; k < len; k++, i++) out[k] = ((buf[i]! << sh) | (buf[i + 1]! >>> (8 - sh))) & 0xff;
    this.pos = p + len * 8;
    return out;
  }
}
