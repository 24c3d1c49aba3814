/**
 * Minimal DER (ITU-T X.690) encoder: just the types an X.509 v3 certificate needs. Test tooling only.
 */

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** Tag-length-value with the given contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const len = contents.reduce((n, c) => n + c.length, 0);
  const head = [tag, ...lengthBytes(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let o = head.length;
  for (const c of contents) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
export const set = (...c: Uint8Array[]) => tlv(0x31, ...c);
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const utf8 = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
export const printable = (s: string) => tlv(0x13, new TextEncoder().encode(s));
export const ia5 = (s: string) => tlv(0x16, new TextEncoder().encode(s));
export const bool = (v: boolean) => tlv(0x01, Uint8Array.of(v ? 0xff : 0x00));
/** Context-specific constructed tag [n] (EXPLICIT). */
export const explicit = (n: number, ...c: Uint8Array[]) => tlv(0xa0 | n, ...c);
/** Context-specific primitive tag [n] (IMPLICIT on a primitive). */
export const implicitPrim = (n: number, b: Uint8Array) => tlv(0x80 | n, b);

/** INTEGER from non-negative bytes (big-endian), minimal two's-complement form. */
export function uint(bytes: Uint8Array | number): Uint8Array {
  let b: number[];
  if (typeof bytes === "number") {
    b = [];
    for (let v = bytes; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
    if (b.length === 0) b = [0];
  } else b = [...bytes];
  while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b.shift();
  if (b[0]! >= 0x80) b.unshift(0);
  return tlv(0x02, Uint8Array.from(b));
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Uint8Array {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const enc: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) enc.unshift(0x80 | (v & 0x7f));
    out.push(...enc);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** BIT STRING with `unused` trailing bits in the last byte. */
export function bits(b: Uint8Array, unused = 0): Uint8Array {
  const c = new Uint8Array(b.length + 1);
  c[0] = unused;
  c.set(b, 1);
  return tlv(0x03, c);
}

/** Named-bit BIT STRING (e.g. KeyUsage) from bit numbers, DER-minimal (trailing zero bits dropped). */
export function namedBits(set: number[]): Uint8Array {
  const max = Math.max(...set);
  const bytes = new Uint8Array(Math.floor(max / 8) + 1);
  for (const n of set) bytes[Math.floor(n / 8)]! |= 0x80 >> (n % 8);
  return bits(bytes, 7 - (max % 8));
}

/** UTCTime (1950–2049) or GeneralizedTime, as RFC 5280 §4.1.2.5 requires. */
export function time(d: Date): Uint8Array {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  if (y >= 1950 && y < 2050) return tlv(0x17, new TextEncoder().encode(`${p(y % 100)}${rest}`));
  return tlv(0x18, new TextEncoder().encode(`${p(y, 4)}${rest}`));
}
