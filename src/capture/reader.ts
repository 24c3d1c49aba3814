/**
 * Incremental pcap / pcapng reader. Push file chunks of any size; get back the records that
 * became complete. Memory is bounded by one record (plus the chunk): a record split over chunks is kept
 * until it is whole. Pure code (Uint8Array/DataView).
 *
 * pcap: both byte orders, µs and ns magics, FCS flag in the link-type field (pcap-savefile(5)).
 * pcapng: several sections (each with its own byte order), several interfaces (if_tsresol both decimal and
 * binary, if_tsoffset, if_fcslen, if_name), EPB, SPB, obsolete PB, and Decryption Secrets Blocks (TLS key
 * logs). Unknown blocks are skipped.
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
  PCAPNG_OPT_IF_FCSLEN,
  PCAPNG_OPT_IF_NAME,
  PCAPNG_OPT_IF_TSOFFSET,
  PCAPNG_OPT_IF_TSRESOL,
  PCAPNG_PB,
  PCAPNG_SECRETS_TLS_KEYLOG,
  PCAPNG_SHB,
  PCAPNG_SPB,
} from "./formats.js";

/** One capture interface (pcap: the single one from the file header). */
export interface CaptureInterface {
  /** Link type (LINKTYPE_*). */
  linkType: number;
  /** Snapshot length (0 = unlimited). */
  snapLen: number;
  /** Timestamp units per second as a power: `base ** exp` (decimal 10^6 by default). */
  tsBase: 2 | 10;
  tsExp: number;
  /** Seconds added to every timestamp (pcapng if_tsoffset). */
  tsOffset: number;
  /** Number of FCS bytes at the end of each frame (0 if none). */
  fcsLen: number;
  name?: string;
}

/** One captured packet. `data` may be a view into a pushed chunk: do not mutate pushed chunks. */
export interface CapturedPacket {
  kind: "packet";
  /** 0-based index among the packets of the file (the frame number Wireshark shows, minus 1). */
  index: number;
  /** Index into {@link CaptureReader.interfaces} (pcapng: per section, made global here). */
  interfaceId: number;
  linkType: number;
  /** Whole seconds since the epoch (offset applied). */
  tsSec: number;
  /** Nanoseconds within the second. */
  tsNsec: number;
  /** Captured bytes (FCS removed when the interface says there is one). */
  data: Uint8Array;
  /** Length of the packet on the wire. */
  origLen: number;
}

/** Decryption secrets from a pcapng DSB (e.g. an NSS TLS key log). */
export interface CapturedSecrets {
  kind: "secrets";
  secretsType: number;
  /** The key-log text for TLS key logs; undefined for other types. */
  text?: string;
  data: Uint8Array;
}

/** What {@link CaptureReader.push} returns. */
export type CaptureRecord = CapturedPacket | CapturedSecrets;

/** Counters of the reader. */
export interface CaptureReaderStats {
  bytes: number;
  packets: number;
  blocks: number;
  skippedBlocks: number;
}

/** Incremental reader; see {@link createCaptureReader}. */
export interface CaptureReader {
  /** Feed the next chunk; returns the records completed by it. Throws {@link CaptureError} on bad input. */
  push(chunk: Uint8Array): CaptureRecord[];
  /**
   * Signal the end of the file. Returns the number of bytes of a partial last record (a capture cut short,
   * e.g. by a full disk or a still-running capture: 0 for a clean file). Throws {@link CaptureError}
   * "truncated" only when not even the file header arrived.
   */
  end(): number;
  readonly format: "pcap" | "pcapng" | undefined;
  readonly interfaces: readonly CaptureInterface[];
  readonly stats: Readonly<CaptureReaderStats>;
  /** Bytes held for an incomplete record. */
  readonly buffered: number;
}

const TWO32 = 2 ** 32;

/** Convert a 64-bit timestamp in `base^exp` units to seconds + nanoseconds. */
function splitTimestamp(hi: number, lo: number, itf: CaptureInterface): [number, number] {
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
  const stats: CaptureReaderStats = { bytes: 0, packets: 0, blocks: 0, skippedBlocks: 0 };

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

  function checkLength(what: string, len: number, min: number): void {
    if (len > CAPTURE_MAX_RECORD_BYTES) {
      throw new CaptureError(
        "too-large",
        `${what} length ${len}: must be at most ${CAPTURE_MAX_RECORD_BYTES} bytes`,
      );
    }
    if (len < min) throw new CaptureError("bad-block", `${what} length ${len}: must be at least ${min}`);
  }

  /** Returns the offset after the consumed records. */
  function parsePcap(buf: Uint8Array, dv: DataView, out: CaptureRecord[]): number {
    let off = 0;
    const itf = interfaces[0]!;
    const fracScale = pcapNs ? 1 : 1000;
    while (buf.length - off >= PCAP_RECORD_HEADER_LENGTH) {
      const incl = dv.getUint32(off + 8, le);
      checkLength(`pcap record ${packetIndex} incl_len`, incl, 0);
      const end = off + PCAP_RECORD_HEADER_LENGTH + incl;
      if (end > buf.length) break;
      let data = buf.subarray(off + PCAP_RECORD_HEADER_LENGTH, end);
      if (itf.fcsLen > 0 && data.length >= itf.fcsLen) data = data.subarray(0, data.length - itf.fcsLen);
      out.push({
        kind: "packet",
        index: packetIndex++,
        interfaceId: 0,
        linkType: itf.linkType,
        tsSec: dv.getUint32(off, le),
        tsNsec: dv.getUint32(off + 4, le) * fracScale,
        data,
        origLen: dv.getUint32(off + 12, le),
      });
      stats.packets++;
      off = end;
    }
    return off;
  }

  function parseIdb(dv: DataView, off: number, len: number): void {
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
    interfaces.push(itf);
  }

  function packetFrom(
    buf: Uint8Array,
    localIf: number,
    hi: number,
    lo: number,
    dataOff: number,
    capLen: number,
    origLen: number,
    what: string,
  ): CapturedPacket {
    const interfaceId = sectionBase + localIf;
    const itf = interfaces[interfaceId];
    if (!itf || interfaceId >= interfaces.length) {
      throw new CaptureError(
        "bad-block",
        `${what} interface ${localIf}: no such Interface Description Block`,
      );
    }
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

  function parsePcapng(buf: Uint8Array, dv: DataView, out: CaptureRecord[]): number {
    let off = 0;
    while (buf.length - off >= 12) {
      const typeAny = dv.getUint32(off, true);
      if (typeAny === PCAPNG_SHB) {
        const bom = dv.getUint32(off + 8, true);
        if (bom === PCAPNG_BYTE_ORDER_MAGIC) le = true;
        else if (dv.getUint32(off + 8, false) === PCAPNG_BYTE_ORDER_MAGIC) le = false;
        else
          throw new CaptureError(
            "bad-block",
            `pcapng section header: byte-order magic 0x${bom.toString(16)}`,
          );
      }
      const type = dv.getUint32(off, le);
      const len = dv.getUint32(off + 4, le);
      checkLength(`pcapng block type 0x${type.toString(16)} at packet ${packetIndex}`, len, 12);
      if (len % 4 !== 0)
        throw new CaptureError("bad-block", `pcapng block length ${len}: must be a multiple of 4`);
      if (off + len > buf.length) break;
      if (dv.getUint32(off + len - 4, le) !== len) {
        throw new CaptureError("bad-block", `pcapng block length ${len}: trailing length field differs`);
      }
      stats.blocks++;
      const what = `pcapng block 0x${type.toString(16)}`;
      if (type === PCAPNG_SHB) {
        sectionBase = interfaces.length;
      } else if (type === PCAPNG_IDB) {
        checkLength(what, len, 20);
        parseIdb(dv, off, len);
      } else if (type === PCAPNG_EPB) {
        checkLength(what, len, 32);
        const cap = Math.min(dv.getUint32(off + 20, le), len - 32);
        const p = packetFrom(
          buf,
          dv.getUint32(off + 8, le),
          dv.getUint32(off + 12, le),
          dv.getUint32(off + 16, le),
          off + 28,
          cap,
          dv.getUint32(off + 24, le),
          what,
        );
        out.push(p);
      } else if (type === PCAPNG_PB) {
        checkLength(what, len, 32);
        const cap = Math.min(dv.getUint32(off + 20, le), len - 32);
        const p = packetFrom(
          buf,
          dv.getUint16(off + 8, le),
          dv.getUint32(off + 12, le),
          dv.getUint32(off + 16, le),
          off + 28,
          cap,
          dv.getUint32(off + 24, le),
          what,
        );
        out.push(p);
      } else if (type === PCAPNG_SPB) {
        checkLength(what, len, 16);
        const orig = dv.getUint32(off + 8, le);
        const itf = interfaces[sectionBase];
        const snap = itf && itf.snapLen > 0 ? itf.snapLen : orig;
        const cap = Math.min(orig, snap, len - 16);
        const p = packetFrom(buf, 0, 0, 0, off + 12, cap, orig, what);
        out.push(p);
      } else if (type === PCAPNG_DSB) {
        checkLength(what, len, 20);
        const secretsType = dv.getUint32(off + 8, le);
        const n = Math.min(dv.getUint32(off + 12, le), len - 20);
        const data = buf.slice(off + 16, off + 16 + n);
        const rec: CapturedSecrets = { kind: "secrets", secretsType, data };
        if (secretsType === PCAPNG_SECRETS_TLS_KEYLOG) rec.text = latin1(data);
        out.push(rec);
      } else {
        stats.skippedBlocks++;
      }
      off += len;
    }
    return off;
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
    let dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (!headerDone) {
      if (buf.length < 4) {
        pending = buf;
        return out;
      }
      if (dv.getUint32(0, true) === PCAPNG_SHB) format = "pcapng";
      else {
        if (buf.length < PCAP_HEADER_LENGTH) {
          pending = buf;
          return out;
        }
        parsePcapHeader(buf, dv);
        format = "pcap";
        buf = buf.subarray(PCAP_HEADER_LENGTH);
        dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      }
      headerDone = true;
    }
    const used = format === "pcap" ? parsePcap(buf, dv, out) : parsePcapng(buf, dv, out);
    if (used < buf.length) pending = buf.subarray(used);
    return out;
  }

  return {
    push,
    end() {
      if (!headerDone) {
        throw new CaptureError(
          "truncated",
          `capture: ${pending?.length ?? 0} bytes, too short for a file header`,
        );
      }
      return pending?.length ?? 0;
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

/** Bytes as a Latin-1 string (key logs and interface names are ASCII). */
export function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
