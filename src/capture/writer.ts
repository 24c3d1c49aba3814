/**
 * pcapng writer, so our own sessions can be saved and opened in Wireshark / tshark, plus a
 * classic pcap encoder (used by tests and for tools that only take pcap). Blocks are returned as byte
 * arrays for the caller to write or stream. Little-endian by default; nanosecond timestamps (if_tsresol 9).
 * Formats: draft-ietf-opsawg-pcapng §4.1–4.3, §4.7; pcap-savefile(5). Pure code.
 */
import {
  PCAP_HEADER_LENGTH,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PCAP_RECORD_HEADER_LENGTH,
  PCAPNG_BYTE_ORDER_MAGIC,
  PCAPNG_DSB,
  PCAPNG_EPB,
  PCAPNG_IDB,
  PCAPNG_OPT_IF_NAME,
  PCAPNG_OPT_IF_TSRESOL,
  PCAPNG_SECRETS_TLS_KEYLOG,
  PCAPNG_SHB,
} from "./formats.js";

/** Options of one interface. */
export interface PcapngInterfaceOptions {
  linkType: number;
  /** Snapshot length; 0 = unlimited (default). */
  snapLen?: number;
  name?: string;
  /** Decimal timestamp resolution exponent: 6 = µs, 9 = ns (default). */
  tsResolution?: number;
}

/** Options of {@link createPcapngWriter}. */
export interface PcapngWriterOptions {
  /** Byte order of the section (default little-endian). */
  bigEndian?: boolean;
  /** shb_userappl option. */
  application?: string;
  interfaces: readonly PcapngInterfaceOptions[];
}

/** A pcapng writer; see {@link createPcapngWriter}. */
export interface PcapngWriter {
  /** Section Header Block followed by one Interface Description Block per interface. */
  header(): Uint8Array;
  /** Enhanced Packet Block: interface index, time (seconds + nanoseconds since the epoch), bytes. */
  packet(interfaceId: number, tsSec: number, tsNsec: number, data: Uint8Array, origLen?: number): Uint8Array;
  /** Decryption Secrets Block with an NSS key log (Wireshark decrypts TLS with it). */
  tlsKeyLog(text: string): Uint8Array;
}

const pad4 = (n: number) => (n + 3) & ~3;
const enc = new TextEncoder();

function option(code: number, value: Uint8Array): { code: number; value: Uint8Array } {
  return { code, value };
}

/** Create a pcapng writer for one section. */
export function createPcapngWriter(opts: PcapngWriterOptions): PcapngWriter {
  const le = !opts.bigEndian;
  const resolutions = opts.interfaces.map((i) => i.tsResolution ?? 9);

  function block(
    type: number,
    body: Uint8Array,
    options: { code: number; value: Uint8Array }[] = [],
  ): Uint8Array {
    let optLen = 0;
    for (const o of options) optLen += 4 + pad4(o.value.length);
    if (options.length > 0) optLen += 4; // opt_endofopt
    const total = 12 + pad4(body.length) + optLen;
    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, type, le);
    dv.setUint32(4, total, le);
    out.set(body, 8);
    let o = 8 + pad4(body.length);
    for (const opt of options) {
      dv.setUint16(o, opt.code, le);
      dv.setUint16(o + 2, opt.value.length, le);
      out.set(opt.value, o + 4);
      o += 4 + pad4(opt.value.length);
    }
    dv.setUint32(total - 4, total, le);
    return out;
  }

  return {
    header() {
      const shb = new Uint8Array(16);
      const sdv = new DataView(shb.buffer);
      sdv.setUint32(0, PCAPNG_BYTE_ORDER_MAGIC, le);
      sdv.setUint16(4, 1, le);
      sdv.setUint16(6, 0, le);
      sdv.setInt32(8, -1, le); // section length unknown
      sdv.setInt32(12, -1, le);
      const parts = [
        block(PCAPNG_SHB, shb, opts.application ? [option(4, enc.encode(opts.application))] : []),
      ];
      for (const [i, itf] of opts.interfaces.entries()) {
        const body = new Uint8Array(8);
        const dv = new DataView(body.buffer);
        dv.setUint16(0, itf.linkType, le);
        dv.setUint32(4, itf.snapLen ?? 0, le);
        const o = [option(PCAPNG_OPT_IF_TSRESOL, Uint8Array.of(resolutions[i]!))];
        if (itf.name) o.unshift(option(PCAPNG_OPT_IF_NAME, enc.encode(itf.name)));
        parts.push(block(PCAPNG_IDB, body, o));
      }
      return concatAll(parts);
    },
    packet(interfaceId, tsSec, tsNsec, data, origLen) {
      const res = resolutions[interfaceId];
      if (res === undefined)
        throw new RangeError(`interface ${interfaceId}: only ${resolutions.length} interfaces`);
      const units =
        BigInt(tsSec) * 10n ** BigInt(res) + BigInt(Math.floor(tsNsec / 10 ** (9 - Math.min(res, 9))));
      const body = new Uint8Array(20 + data.length);
      const dv = new DataView(body.buffer);
      dv.setUint32(0, interfaceId, le);
      dv.setUint32(4, Number(units >> 32n), le);
      dv.setUint32(8, Number(units & 0xffffffffn), le);
      dv.setUint32(12, data.length, le);
      dv.setUint32(16, origLen ?? data.length, le);
      body.set(data, 20);
      return block(PCAPNG_EPB, body);
    },
    tlsKeyLog(text) {
      const t = enc.encode(text);
      const body = new Uint8Array(8 + t.length);
      const dv = new DataView(body.buffer);
      dv.setUint32(0, PCAPNG_SECRETS_TLS_KEYLOG, le);
      dv.setUint32(4, t.length, le);
      body.set(t, 8);
      return block(PCAPNG_DSB, body);
    },
  };
}

/** One packet for {@link encodePcap}. */
export interface PcapPacketInput {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  origLen?: number;
}

/** Encode a classic pcap file (µs or ns magic, either byte order). */
export function encodePcap(
  linkType: number,
  packets: readonly PcapPacketInput[],
  opts?: { bigEndian?: boolean; nanoseconds?: boolean; snapLen?: number },
): Uint8Array {
  const le = !opts?.bigEndian;
  const ns = opts?.nanoseconds ?? false;
  let total = PCAP_HEADER_LENGTH;
  for (const p of packets) total += PCAP_RECORD_HEADER_LENGTH + p.data.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, ns ? PCAP_MAGIC_NS : PCAP_MAGIC_US, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, opts?.snapLen ?? 262144, le);
  dv.setUint32(20, linkType, le);
  let o = PCAP_HEADER_LENGTH;
  for (const p of packets) {
    dv.setUint32(o, p.tsSec, le);
    dv.setUint32(o + 4, ns ? p.tsNsec : Math.floor(p.tsNsec / 1000), le);
    dv.setUint32(o + 8, p.data.length, le);
    dv.setUint32(o + 12, p.origLen ?? p.data.length, le);
    out.set(p.data, o + 16);
    o += 16 + p.data.length;
  }
  return out;
}

/** Concatenate byte arrays. */
export function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
