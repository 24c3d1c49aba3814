/**
 * Incremental pcap / pcapng reader. Push file chunks of any size; get back the records that
 * became complete. Memory is bounded by one record (plus the chunk): a record split over chunks is kept
 * until it is whole. Pure code (Uint8Array/DataView).
 *
 * pcap: both byte orders, µs and ns magics, FCS flag in the link-type field (pcap-savefile(5)).
 * pcapng: several sections (each with its own byte order), several interfaces (if_tsresol both decimal and
 * binary, if_tsoffset, if_fcslen, if_name), EPB, SPB, obsolete PB, and Decryption Secrets Blocks (TLS key
 * logs). Unknown blocks are skipped.
 *
 * Damage (a record header or block that is not plausible, see resync.ts) does not end the reading: the
 * reader reports the bad stretch (file offset, bytes skipped, the field and rule broken) as a `damage`
 * record, scans forward for the next plausible record or block, and goes on from there.
 */
import { CaptureError } from "./errors.js";
import {
  CAPTURE_MAX_RECORD_BYTES,
  PCAP_HEADER_LENGTH,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PCAP_RECORD_HEADER_LENGTH,
  PCAPNG_BYTE_ORDER_MAGIC,
  PCAPNG_DSB,
  PCAPNG_EPB,
  PCAPNG_IDB,
  PCAPNG_PB,
  PCAPNG_SECRETS_TLS_KEYLOG,
  PCAPNG_SHB,
  PCAPNG_SPB,
} from "./formats.js";
import { latin1, parseIdb, splitTimestamp } from "./pcapng-blocks.js";
import type {
  CapturedDamage,
  CapturedPacket,
  CapturedSecrets,
  CaptureInterface,
  CaptureReader,
  CaptureReaderStats,
  CaptureRecord,
} from "./reader-types.js";
import {
  type PcapContext,
  type PcapngContext,
  pcapCandidate,
  pcapHeaderProblem,
  pcapngCandidate,
  type ResyncVerdict,
} from "./resync.js";

export { latin1, splitTimestamp } from "./pcapng-blocks.js";
export type {
  CapturedDamage,
  CapturedPacket,
  CapturedSecrets,
  CaptureInterface,
  CaptureReader,
  CaptureReaderStats,
  CaptureRecord,
} from "./reader-types.js";

/** Create an incremental reader (the format is detected from the first 4 bytes). */
export function createCaptureReader(): CaptureReader {
  let format: "pcap" | "pcapng" | undefined;
  const interfaces: CaptureInterface[] = [];
  let sectionBase = 0; // pcapng: index of the current section's first interface
  let le = true;
  let pcapNs = false;
  let pending: Uint8Array | null = null;
  let headerDone = false;
  let packetIndex = 0;
  const stats: CaptureReaderStats = {
    bytes: 0,
    packets: 0,
    blocks: 0,
    skippedBlocks: 0,
    damaged: 0,
    skippedBytes: 0,
  };
  /** File offset of the first byte of the buffer being parsed (of `pending` between pushes). */
  let base = 0;
  /** Damage being skipped: where it started and why (tail: a record running past the end of the file). */
  let resync: { start: number; reason: string; tail: boolean } | undefined;
  /** File offset where the resynchronisation scan goes on. */
  let scanAt = 0;
  let lastTsSec: number | undefined;
  let truncatedTail = 0;
  let finished = false;

  function parsePcapHeader(buf: Uint8Array, dv: DataView): void {
    const magic = dv.getUint32(0, true);
    if (magic === PCAP_MAGIC_US || magic === PCAP_MAGIC_NS) le = true;
    else if (dv.getUint32(0, false) === PCAP_MAGIC_US || dv.getUint32(0, false) === PCAP_MAGIC_NS) le = false;
    else throw badMagic(buf);
    pcapNs = dv.getUint32(0, le) === PCAP_MAGIC_NS;
    const lt = dv.getUint32(20, le);
    interfaces.push({
      linkType: lt & 0x0fffffff,
      snapLen: dv.getUint32(16, le),
      tsBase: 10,
      tsExp: pcapNs ? 9 : 6,
      tsOffset: 0,
      // bit 28 "F": FCS length in bits 29–31, in 16-bit words (pcap-savefile(5))
      fcsLen: lt & 0x10000000 ? ((lt >>> 29) & 7) * 2 : 0,
    });
  }

  function badMagic(buf: Uint8Array): CaptureError {
    const hex = Array.from(buf.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    return new CaptureError(
      "bad-magic",
      `file magic 0x${hex}: must be a pcap (a1b2c3d4 / a1b23c4d, either byte order) or pcapng (0a0d0d0a) magic`,
    );
  }

  function damage(out: CaptureRecord[], start: number, end: number, reason: string, truncated = false): void {
    stats.damaged++;
    stats.skippedBytes += end - start;
    const rec: CapturedDamage = {
      kind: "damage",
      offset: start,
      skipped: end - start,
      reason,
      beforePacket: packetIndex,
    };
    if (truncated) {
      rec.truncated = true;
      truncatedTail = end - start;
    }
    out.push(rec);
  }

  /** Start resynchronising at `off` (relative to the buffer at file offset `base`). */
  function lose(off: number, reason: string, tail = false): void {
    resync = { start: base + off, reason, tail };
    scanAt = base + off + 1;
  }

  /**
   * While resynchronising: scan for the next plausible record from `scanAt`. Returns the offset to go on
   * from, or the negative of the offset to keep (wait for more bytes from there).
   */
  function rescan(
    buf: Uint8Array,
    from: number,
    out: CaptureRecord[],
    final: boolean,
    candidate: (off: number) => ResyncVerdict,
  ): { next: number } | { keep: number } {
    const r = resync!;
    let c = Math.max(scanAt - base, from);
    for (; c < buf.length; c++) {
      const v = candidate(c);
      if (v === "yes") {
        damage(out, r.start, base + c, r.reason);
        resync = undefined;
        return { next: c };
      }
      if (v === "more") {
        scanAt = base + c;
        return { keep: c };
      }
    }
    if (!final) {
      scanAt = base + c;
      return { keep: c };
    }
    resync = undefined;
    damage(
      out,
      r.start,
      base + buf.length,
      r.tail ? `${r.reason}: the file ends inside it (cut short)` : `${r.reason}; no good record after it`,
      r.tail,
    );
    return { next: buf.length };
  }

  /** Returns the offset after the consumed records (what is left is kept for the next chunk). */
  function parsePcap(buf: Uint8Array, dv: DataView, out: CaptureRecord[], final: boolean): number {
    let off = 0;
    const itf = interfaces[0]!;
    const fracScale = pcapNs ? 1 : 1000;
    const ctx: PcapContext = { le, ns: pcapNs, snapLen: itf.snapLen };
    const H = PCAP_RECORD_HEADER_LENGTH;
    for (;;) {
      if (resync) {
        ctx.lastTsSec = lastTsSec;
        const r = rescan(buf, off, out, final, (c) => pcapCandidate(dv, buf.length, c, ctx, final));
        if ("keep" in r) return r.keep;
        off = r.next;
        continue;
      }
      const at = `pcap record ${packetIndex} at byte ${base + off}`;
      if (buf.length - off < H) {
        if (final && off < buf.length) {
          lose(off, `${at}: ${buf.length - off} bytes, too short for a record header`, true);
          continue;
        }
        return off;
      }
      const problem = pcapHeaderProblem(dv, off, ctx, false);
      if (problem) {
        lose(off, `${at}: ${problem}`);
        continue;
      }
      const incl = dv.getUint32(off + 8, le);
      const end = off + H + incl;
      if (end > buf.length) {
        if (final) {
          lose(off, `${at}: incl_len ${incl}`, true);
          continue;
        }
        return off;
      }
      let data = buf.subarray(off + H, end);
      if (itf.fcsLen > 0 && data.length >= itf.fcsLen) data = data.subarray(0, data.length - itf.fcsLen);
      lastTsSec = dv.getUint32(off, le);
      out.push({
        kind: "packet",
        index: packetIndex++,
        interfaceId: 0,
        linkType: itf.linkType,
        tsSec: lastTsSec,
        tsNsec: dv.getUint32(off + 4, le) * fracScale,
        data,
        origLen: dv.getUint32(off + 12, le),
      });
      stats.packets++;
      off = end;
    }
  }
  function packetFrom(
    buf: Uint8Array,
    localIf: number,
    hi: number,
    lo: number,
    dataOff: number,
    capLen: number,
    origLen: number,
  ): CapturedPacket | undefined {
    const interfaceId = sectionBase + localIf;
    const itf = interfaces[interfaceId];
    if (!itf) return undefined;
    const [tsSec, tsNsec] = splitTimestamp(hi, lo, itf);
    let data = buf.subarray(dataOff, dataOff + capLen);
    if (itf.fcsLen > 0 && data.length >= itf.fcsLen) data = data.subarray(0, data.length - itf.fcsLen);
    stats.packets++;
    return {
      kind: "packet",
      index: packetIndex++,
      interfaceId,
      linkType: itf.linkType,
      tsSec,
      tsNsec,
      data,
      origLen,
    };
  }

  /** Why the structurally sound block at `off` cannot be used, or undefined when it can. */
  function pcapngBlock(
    buf: Uint8Array,
    dv: DataView,
    off: number,
    type: number,
    len: number,
    out: CaptureRecord[],
  ): string | undefined {
    const tooShort = (min: number): string | undefined =>
      len < min ? `block length ${len}: must be at least ${min} for this block type` : undefined;
    let p: CapturedPacket | undefined;
    let localIf = 0;
    if (type === PCAPNG_SHB) {
      sectionBase = interfaces.length;
    } else if (type === PCAPNG_IDB) {
      const bad = tooShort(20);
      if (bad) return bad;
      interfaces.push(parseIdb(dv, off, len, le));
    } else if (type === PCAPNG_EPB || type === PCAPNG_PB) {
      const bad = tooShort(32);
      if (bad) return bad;
      localIf = type === PCAPNG_EPB ? dv.getUint32(off + 8, le) : dv.getUint16(off + 8, le);
      const cap = Math.min(dv.getUint32(off + 20, le), len - 32);
      p = packetFrom(
        buf,
        localIf,
        dv.getUint32(off + 12, le),
        dv.getUint32(off + 16, le),
        off + 28,
        cap,
        dv.getUint32(off + 24, le),
      );
    } else if (type === PCAPNG_SPB) {
      const bad = tooShort(16);
      if (bad) return bad;
      const orig = dv.getUint32(off + 8, le);
      const itf = interfaces[sectionBase];
      const snap = itf && itf.snapLen > 0 ? itf.snapLen : orig;
      const cap = Math.min(orig, snap, len - 16);
      p = packetFrom(buf, 0, 0, 0, off + 12, cap, orig);
    } else if (type === PCAPNG_DSB) {
      const bad = tooShort(20);
      if (bad) return bad;
      const secretsType = dv.getUint32(off + 8, le);
      const n = Math.min(dv.getUint32(off + 12, le), len - 20);
      const data = buf.slice(off + 16, off + 16 + n);
      const rec: CapturedSecrets = { kind: "secrets", secretsType, data };
      if (secretsType === PCAPNG_SECRETS_TLS_KEYLOG) rec.text = latin1(data);
      out.push(rec);
      return undefined;
    } else {
      stats.skippedBlocks++;
      return undefined;
    }
    if (type === PCAPNG_EPB || type === PCAPNG_PB || type === PCAPNG_SPB) {
      if (!p) return `interface ${localIf}: no such Interface Description Block in this section`;
      out.push(p);
    }
    return undefined;
  }

  function parsePcapng(buf: Uint8Array, dv: DataView, out: CaptureRecord[], final: boolean): number {
    let off = 0;
    const ctx: PcapngContext = { le, sectionInterfaces: 0 };
    for (;;) {
      if (resync) {
        ctx.le = le;
        ctx.sectionInterfaces = interfaces.length - sectionBase;
        const r = rescan(buf, off, out, final, (c) => pcapngCandidate(dv, buf.length, c, ctx, final));
        if ("keep" in r) return r.keep;
        off = r.next;
        continue;
      }
      const at = `pcapng block at byte ${base + off}`;
      if (buf.length - off < 12) {
        if (final && off < buf.length) {
          lose(off, `${at}: ${buf.length - off} bytes, too short for a block header`, true);
          continue;
        }
        return off;
      }
      if (dv.getUint32(off, true) === PCAPNG_SHB) {
        const bom = dv.getUint32(off + 8, true);
        if (bom === PCAPNG_BYTE_ORDER_MAGIC) le = true;
        else if (dv.getUint32(off + 8, false) === PCAPNG_BYTE_ORDER_MAGIC) le = false;
        else {
          lose(off, `${at}: section header byte-order magic 0x${bom.toString(16)}: must be 0x1a2b3c4d`);
          continue;
        }
      }
      const type = dv.getUint32(off, le);
      const len = dv.getUint32(off + 4, le);
      const what = `${at} (type 0x${type.toString(16)})`;
      if (len > CAPTURE_MAX_RECORD_BYTES) {
        lose(off, `${what}: block length ${len}: must be at most ${CAPTURE_MAX_RECORD_BYTES} bytes`);
        continue;
      }
      if (len < 12 || len % 4 !== 0) {
        lose(off, `${what}: block length ${len}: must be a multiple of 4 and at least 12`);
        continue;
      }
      if (off + len > buf.length) {
        if (final) {
          lose(off, `${what}: block length ${len}`, true);
          continue;
        }
        return off;
      }
      const trailer = dv.getUint32(off + len - 4, le);
      if (trailer !== len) {
        lose(off, `${what}: block length ${len}: the trailing length field (${trailer}) must repeat it`);
        continue;
      }
      stats.blocks++;
      const unusable = pcapngBlock(buf, dv, off, type, len, out);
      if (unusable) damage(out, base + off, base + off + len, `${what}: ${unusable}; block skipped`);
      off += len;
    }
  }

  function parse(buf: Uint8Array, out: CaptureRecord[], final: boolean): void {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const used = format === "pcap" ? parsePcap(buf, dv, out, final) : parsePcapng(buf, dv, out, final);
    base += used;
    pending = used < buf.length ? buf.subarray(used) : null;
  }

  function push(chunk: Uint8Array): CaptureRecord[] {
    stats.bytes += chunk.length;
    let buf: Uint8Array;
    if (pending && pending.length > 0) {
      buf = new Uint8Array(pending.length + chunk.length);
      buf.set(pending, 0);
      buf.set(chunk, pending.length);
    } else buf = chunk;
    pending = null;
    const out: CaptureRecord[] = [];
    if (!headerDone) {
      if (buf.length < 4) {
        pending = buf;
        return out;
      }
      const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      if (dv.getUint32(0, true) === PCAPNG_SHB) format = "pcapng";
      else {
        if (buf.length < PCAP_HEADER_LENGTH) {
          pending = buf;
          return out;
        }
        parsePcapHeader(buf, dv);
        format = "pcap";
        buf = buf.subarray(PCAP_HEADER_LENGTH);
        base = PCAP_HEADER_LENGTH;
      }
      headerDone = true;
    }
    parse(buf, out, false);
    return out;
  }

  function finish(): CaptureRecord[] {
    const out: CaptureRecord[] = [];
    if (!headerDone || finished) return out;
    finished = true;
    parse(pending ?? new Uint8Array(0), out, true);
    pending = null;
    return out;
  }

  return {
    push,
    finish,
    end() {
      if (!headerDone) {
        throw new CaptureError(
          "truncated",
          `capture: ${pending?.length ?? 0} bytes, too short for a file header`,
        );
      }
      finish();
      return truncatedTail;
    },
    get format() {
      return format;
    },
    interfaces,
    stats,
    get buffered() {
      return pending?.length ?? 0;
    },
  };
}
