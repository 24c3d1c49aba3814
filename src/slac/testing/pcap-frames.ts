/**
 * Test-only, minimal pcap / pcapng frame iterator (the full capture reader is src/capture/reader.ts).
 *
 * Supports classic pcap in both byte orders (µs and ns magic), pcapng Enhanced Packet Blocks (EPB) and
 * Simple Packet Blocks (SPB), and the link types Ethernet (1), Linux cooked SLL (113) and SLL2 (276).
 * Frames of other link types are skipped and counted. A truncated last record ends the iteration and is
 * counted in `stats.truncated`. Formats: https://www.tcpdump.org/manpages/pcap-savefile.5.html,
 * https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-01.html, https://www.tcpdump.org/linktypes.html.
 */
import { readFileSync } from "node:fs";

/** LINKTYPE_ETHERNET. */
export const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_LINUX_SLL (16-byte header, protocol at bytes 14–15). */
export const LINKTYPE_LINUX_SLL = 113;
/** LINKTYPE_LINUX_SLL2 (20-byte header, protocol at bytes 0–1). */
export const LINKTYPE_LINUX_SLL2 = 276;

/** One captured frame. */
export interface CapturedFrame {
  /** 0-based index among all records of the file (including skipped ones). */
  index: number;
  linkType: number;
  /** The captured bytes exactly as stored (link-layer header included). */
  data: Uint8Array;
  /** EtherType / protocol of the frame (after one optional 802.1Q tag for Ethernet). */
  etherType: number;
  /** Bytes following the EtherType (and VLAN tag): the network-layer payload. */
  payload: Uint8Array;
}

/** Counts collected while iterating. */
export interface PcapStats {
  format: "pcap" | "pcapng";
  records: number;
  yielded: number;
  skippedLinkType: number;
  truncated: number;
}

function linkPayload(linkType: number, data: Uint8Array): { etherType: number; payload: Uint8Array } | null {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (linkType === LINKTYPE_ETHERNET) {
    if (data.length < 14) return null;
    let et = dv.getUint16(12);
    let off = 14;
    if ((et === 0x8100 || et === 0x88a8) && data.length >= 18) {
      et = dv.getUint16(16);
      off = 18;
    }
    return { etherType: et, payload: data.subarray(off) };
  }
  if (linkType === LINKTYPE_LINUX_SLL) {
    if (data.length < 16) return null;
    return { etherType: dv.getUint16(14), payload: data.subarray(16) };
  }
  if (linkType === LINKTYPE_LINUX_SLL2) {
    if (data.length < 20) return null;
    return { etherType: dv.getUint16(0), payload: data.subarray(20) };
  }
  return null;
}

function* classicPcap(buf: Uint8Array, stats: PcapStats): Generator<CapturedFrame> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magicLe = dv.getUint32(0, true);
  const le = magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d;
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  let off = 24;
  while (off < buf.length) {
    if (off + 16 > buf.length) {
      stats.truncated++;
      return;
    }
    const incl = dv.getUint32(off + 8, le);
    if (off + 16 + incl > buf.length) {
      stats.truncated++;
      return;
    }
    const data = buf.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const index = stats.records++;
    const lp = linkPayload(linkType, data);
    if (!lp) {
      stats.skippedLinkType++;
      continue;
    }
    stats.yielded++;
    yield { index, linkType, data, ...lp };
  }
}

function* pcapng(buf: Uint8Array, stats: PcapStats): Generator<CapturedFrame> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let le = true;
  let ifaces: number[] = [];
  let off = 0;
  while (off + 12 <= buf.length) {
    const typeLe = dv.getUint32(off, true);
    if (typeLe === 0x0a0d0d0a) {
      le = dv.getUint32(off + 8, true) === 0x1a2b3c4d;
      ifaces = [];
    }
    const type = dv.getUint32(off, le);
    const len = dv.getUint32(off + 4, le);
    if (len < 12 || off + len > buf.length) {
      stats.truncated++;
      return;
    }
    if (type === 1) {
      ifaces.push(dv.getUint16(off + 8, le));
    } else if (type === 6 || type === 3) {
      const index = stats.records++;
      let linkType: number;
      let data: Uint8Array;
      if (type === 6) {
        linkType = ifaces[dv.getUint32(off + 8, le)] ?? -1;
        const caplen = dv.getUint32(off + 20, le);
        data = buf.subarray(off + 28, off + 28 + Math.min(caplen, len - 32));
      } else {
        linkType = ifaces[0] ?? -1;
        const origLen = dv.getUint32(off + 8, le);
        data = buf.subarray(off + 12, off + 12 + Math.min(origLen, len - 16));
      }
      const lp = linkPayload(linkType, data);
      if (!lp) {
        stats.skippedLinkType++;
      } else {
        stats.yielded++;
        yield { index, linkType, data, ...lp };
      }
    }
    off += len;
  }
  if (off < buf.length) stats.truncated++;
}

/** Iterate the frames of a pcap/pcapng image; `stats` is filled in as the iteration proceeds. */
export function* pcapFrames(buf: Uint8Array, stats?: PcapStats): Generator<CapturedFrame> {
  if (buf.length < 24) throw new Error(`pcap: file too short (${buf.length} bytes)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const m = dv.getUint32(0, true);
  const s: PcapStats = stats ?? { format: "pcap", records: 0, yielded: 0, skippedLinkType: 0, truncated: 0 };
  if (m === 0x0a0d0d0a) {
    s.format = "pcapng";
    yield* pcapng(buf, s);
    return;
  }
  const known = [0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1];
  if (!known.includes(m)) throw new Error(`pcap: unknown magic 0x${m.toString(16)}`);
  s.format = "pcap";
  yield* classicPcap(buf, s);
}

/** Read a capture file and return all its frames plus the counts. */
export function readPcapFile(path: string): { frames: CapturedFrame[]; stats: PcapStats } {
  const buf = new Uint8Array(readFileSync(path));
  const stats: PcapStats = { format: "pcap", records: 0, yielded: 0, skippedLinkType: 0, truncated: 0 };
  const frames = [...pcapFrames(buf, stats)];
  return { frames, stats };
}
