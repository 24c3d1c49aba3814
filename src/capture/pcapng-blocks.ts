/**
 * pcapng block helpers of the reader: Interface Description Block options (if_tsresol, if_tsoffset,
 * if_fcslen, if_name; pcapng §4.2), 64-bit timestamps in the interface's units, Latin-1 text. Pure code.
 */
import {
  PCAPNG_OPT_IF_FCSLEN,
  PCAPNG_OPT_IF_NAME,
  PCAPNG_OPT_IF_TSOFFSET,
  PCAPNG_OPT_IF_TSRESOL,
} from "./formats.js";
import type { CaptureInterface } from "./reader-types.js";

const TWO32 = 2 ** 32;

/** Convert a 64-bit timestamp in `base^exp` units to seconds + nanoseconds. */
export function splitTimestamp(hi: number, lo: number, itf: CaptureInterface): [number, number] {
  const units = itf.tsBase ** itf.tsExp;
  const raw = hi * TWO32 + lo;
  let sec: number;
  let rem: number;
  if (raw <= Number.MAX_SAFE_INTEGER) {
    sec = Math.floor(raw / units);
    rem = raw - sec * units;
  } else {
    const big = (BigInt(hi) << 32n) | BigInt(lo);
    const u = BigInt(units);
    sec = Number(big / u);
    rem = Number(big % u);
  }
  const nsec =
    itf.tsBase === 10 && itf.tsExp <= 9 ? rem * 10 ** (9 - itf.tsExp) : Math.floor((rem * 1e9) / units);
  return [sec + itf.tsOffset, nsec];
}

/** Parse an Interface Description Block (pcapng §4.2) at `off`, `len` bytes long. */
export function parseIdb(dv: DataView, off: number, len: number, le: boolean): CaptureInterface {
  const itf: CaptureInterface = {
    linkType: dv.getUint16(off + 8, le),
    snapLen: dv.getUint32(off + 12, le),
    tsBase: 10,
    tsExp: 6,
    tsOffset: 0,
    fcsLen: 0,
  };
  let o = off + 16;
  const end = off + len - 4;
  while (o + 4 <= end) {
    const code = dv.getUint16(o, le);
    const olen = dv.getUint16(o + 2, le);
    if (code === 0 || o + 4 + olen > end) break;
    const v = o + 4;
    if (code === PCAPNG_OPT_IF_TSRESOL && olen >= 1) {
      const r = dv.getUint8(v);
      itf.tsBase = r & 0x80 ? 2 : 10;
      itf.tsExp = r & 0x7f;
    } else if (code === PCAPNG_OPT_IF_TSOFFSET && olen >= 8) {
      itf.tsOffset = Number(dv.getBigInt64(v, le));
    } else if (code === PCAPNG_OPT_IF_FCSLEN && olen >= 1) {
      itf.fcsLen = dv.getUint8(v);
    } else if (code === PCAPNG_OPT_IF_NAME) {
      itf.name = latin1(new Uint8Array(dv.buffer, dv.byteOffset + v, olen)).replace(/\0+$/, "");
    }
    o = v + ((olen + 3) & ~3);
  }
  return itf;
}

/** Bytes as a Latin-1 string (key logs and interface names are ASCII). */
export function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
