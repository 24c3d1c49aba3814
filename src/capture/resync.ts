/**
 * Plausibility of pcap records and pcapng blocks, for the reader to tell damage from data and to find the
 * next good record after damage (resynchronisation). Pure code (DataView).
 *
 * pcap record header (pcap-savefile(5)): ts_sec, ts_usec|ts_nsec, incl_len, orig_len. A plausible record has
 * a sub-second field below one second, incl_len ≤ orig_len and incl_len ≤ the file's snapshot length;
 * while resynchronising its timestamp must also lie near the last good one and the header after it must be
 * sane too (or the file ends exactly there).
 *
 * pcapng block (draft-ietf-opsawg-pcapng §3.1): a known block type, a total length that is a multiple of 4
 * and at least the type's minimum, and the same length repeated in the block's last 4 bytes.
 */
import {
  CAPTURE_MAX_RECORD_BYTES,
  PCAP_RECORD_HEADER_LENGTH,
  PCAPNG_BYTE_ORDER_MAGIC,
  PCAPNG_DSB,
  PCAPNG_EPB,
  PCAPNG_IDB,
  PCAPNG_ISB,
  PCAPNG_NRB,
  PCAPNG_PB,
  PCAPNG_SHB,
  PCAPNG_SPB,
} from "./formats.js";

/** Verdict on a candidate position: a good record starts there, none does, or more bytes are needed. */
export type ResyncVerdict = "yes" | "no" | "more";

/**
 * Largest incl_len accepted when the file header gives no snapshot length (0): the largest snapshot length
 * libpcap and Wireshark use for Ethernet (MAXIMUM_SNAPLEN, 262144).
 */
export const PCAP_DEFAULT_MAX_SNAPLEN = 262144;
/** While resynchronising, a pcap record may be at most this many seconds older than the last good one. */
export const PCAP_RESYNC_BACKWARD_S = 60;
/** While resynchronising, a pcap record may be at most this many seconds newer than the last good one. */
export const PCAP_RESYNC_FORWARD_S = 86_400;

/** pcapng custom blocks (copiable and not). draft-ietf-opsawg-pcapng §4.8. */
const PCAPNG_CUSTOM = 0x00000bad;
const PCAPNG_CUSTOM_NOCOPY = 0x40000bad;

/** Minimum total length of each known pcapng block type (header, fixed fields, trailer). */
const PCAPNG_MIN_LENGTH: ReadonlyMap<number, number> = new Map([
  [PCAPNG_SHB, 28],
  [PCAPNG_IDB, 20],
  [PCAPNG_PB, 32],
  [PCAPNG_SPB, 16],
  [PCAPNG_NRB, 12],
  [PCAPNG_ISB, 24],
  [PCAPNG_EPB, 32],
  [PCAPNG_DSB, 20],
  [PCAPNG_CUSTOM, 16],
  [PCAPNG_CUSTOM_NOCOPY, 16],
]);

/** What a pcap plausibility check needs to know about the file. */
export interface PcapContext {
  le: boolean;
  /** Nanosecond timestamps (magic a1b23c4d). */
  ns: boolean;
  /** Snapshot length of the file header (0 = not given). */
  snapLen: number;
  /** ts_sec of the last good record (undefined before the first one). */
  lastTsSec?: number;
}

/**
 * Why the pcap record header at `off` (16 bytes must be there) is not plausible, or undefined when it is.
 * `strict` (resynchronising): incl_len within the snapshot length itself and the timestamp near the last
 * good one; otherwise incl_len may exceed a small snapshot length up to {@link PCAP_DEFAULT_MAX_SNAPLEN}, as
 * libpcap and Wireshark tolerate, and timestamps may jump.
 */
export function pcapHeaderProblem(
  dv: DataView,
  off: number,
  ctx: PcapContext,
  strict: boolean,
): string | undefined {
  const tsSec = dv.getUint32(off, ctx.le);
  const frac = dv.getUint32(off + 4, ctx.le);
  const incl = dv.getUint32(off + 8, ctx.le);
  const orig = dv.getUint32(off + 12, ctx.le);
  const fracMax = ctx.ns ? 1e9 : 1e6;
  if (frac >= fracMax) return `ts_${ctx.ns ? "nsec" : "usec"} ${frac}: must be below ${fracMax}`;
  if (incl > orig) return `incl_len ${incl}: must be at most orig_len ${orig}`;
  const snap = ctx.snapLen > 0 ? ctx.snapLen : PCAP_DEFAULT_MAX_SNAPLEN;
  const limit = strict ? snap : Math.max(snap, PCAP_DEFAULT_MAX_SNAPLEN);
  if (incl > limit) return `incl_len ${incl}: must be at most the snapshot length ${limit}`;
  if (orig > CAPTURE_MAX_RECORD_BYTES) return `orig_len ${orig}: must be at most ${CAPTURE_MAX_RECORD_BYTES}`;
  if (strict && incl === 0) return "incl_len 0: an empty record (zero fill, not a packet)";
  if (strict && ctx.lastTsSec !== undefined) {
    const d = tsSec - ctx.lastTsSec;
    if (d < -PCAP_RESYNC_BACKWARD_S || d > PCAP_RESYNC_FORWARD_S)
      return `ts_sec ${tsSec}: ${d} s from the last good record`;
  }
  return undefined;
}

/**
 * Does a plausible pcap record start at `off` of a buffer of `len` bytes? It must pass the strict header
 * check, and the header after it must be sane as well (or the data ends exactly after it at the end of the
 * file). `final`: no more bytes will come, so "more" becomes "no".
 */
export function pcapCandidate(
  dv: DataView,
  len: number,
  off: number,
  ctx: PcapContext,
  final: boolean,
): ResyncVerdict {
  const H = PCAP_RECORD_HEADER_LENGTH;
  if (off + H > len) return final ? "no" : "more";
  if (pcapHeaderProblem(dv, off, ctx, true)) return "no";
  const end = off + H + dv.getUint32(off + 8, ctx.le);
  if (end + H > len) {
    if (!final) return "more";
    return end === len ? "yes" : "no";
  }
  const next: PcapContext = { ...ctx, lastTsSec: dv.getUint32(off, ctx.le) };
  return pcapHeaderProblem(dv, end, next, true) ? "no" : "yes";
}

/** What a pcapng plausibility check needs to know about the current section. */
export interface PcapngContext {
  le: boolean;
  /** Interfaces described so far in the current section. */
  sectionInterfaces: number;
}

/**
 * Does a plausible pcapng block start at `off`? Known type, sane total length, matching trailing length;
 * a packet block must name an interface of the current section and fit its captured length.
 */
export function pcapngCandidate(
  dv: DataView,
  len: number,
  off: number,
  ctx: PcapngContext,
  final: boolean,
): ResyncVerdict {
  if (off + 12 > len) return final ? "no" : "more";
  let le = ctx.le;
  const typeAny = dv.getUint32(off, true);
  if (typeAny === PCAPNG_SHB) {
    if (dv.getUint32(off + 8, true) === PCAPNG_BYTE_ORDER_MAGIC) le = true;
    else if (dv.getUint32(off + 8, false) === PCAPNG_BYTE_ORDER_MAGIC) le = false;
    else return "no";
  }
  const type = dv.getUint32(off, le);
  const min = PCAPNG_MIN_LENGTH.get(type);
  if (min === undefined) return "no";
  const blen = dv.getUint32(off + 4, le);
  if (blen % 4 !== 0 || blen < min || blen > CAPTURE_MAX_RECORD_BYTES) return "no";
  if (off + blen > len) return final ? "no" : "more";
  if (dv.getUint32(off + blen - 4, le) !== blen) return "no";
  if (type === PCAPNG_EPB || type === PCAPNG_PB) {
    const ifId = type === PCAPNG_EPB ? dv.getUint32(off + 8, le) : dv.getUint16(off + 8, le);
    if (ifId >= ctx.sectionInterfaces) return "no";
    if (dv.getUint32(off + 20, le) > blen - 32) return "no";
  }
  if (type === PCAPNG_SPB && ctx.sectionInterfaces === 0) return "no";
  return "yes";
}
