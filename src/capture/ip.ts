/**
 * IPv6 (RFC 8200, extension headers skipped), IPv4 (RFC 791), UDP (RFC 768) and TCP (RFC 9293) header
 * parsing, and the Internet checksum (RFC 1071) with the IPv6 pseudo-header (RFC 8200 §8.1). Pure code.
 */

/** IPv6 fixed header length. RFC 8200 §3. */
export const IPV6_HEADER_LENGTH = 40;
/** UDP header length. RFC 768. */
export const UDP_HEADER_LENGTH = 8;
/** Minimum TCP header length. RFC 9293 §3.1. */
export const TCP_MIN_HEADER_LENGTH = 20;
/** IP protocol number of TCP. IANA. */
export const IPPROTO_TCP = 6;
/** IP protocol number of UDP. IANA. */
export const IPPROTO_UDP = 17;

/** TCP flag bits (byte 13). RFC 9293 §3.1. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** A parsed IP packet. */
export interface IpPacket {
  version: 4 | 6;
  src: Uint8Array;
  dst: Uint8Array;
  /** Upper-layer protocol (after IPv6 extension headers). */
  protocol: number;
  /** Upper-layer bytes (limited to the IP payload length and to what was captured). */
  payload: Uint8Array;
  /** True for a fragment (not reassembled; callers skip it). */
  fragment: boolean;
}

const EXT_HOP_BY_HOP = 0;
const EXT_ROUTING = 43;
const EXT_FRAGMENT = 44;
const EXT_AUTH = 51;
const EXT_DEST_OPTS = 60;
const EXT_MOBILITY = 135;

/** Parse an IPv6 packet, walking the extension-header chain; null when truncated or not version 6. */
export function parseIpv6Packet(b: Uint8Array): IpPacket | null {
  if (b.length < IPV6_HEADER_LENGTH || b[0]! >> 4 !== 6) return null;
  const plen = (b[4]! << 8) | b[5]!;
  const end = plen === 0 ? b.length : Math.min(b.length, IPV6_HEADER_LENGTH + plen);
  let nh = b[6]!;
  let off = IPV6_HEADER_LENGTH;
  let fragment = false;
  for (;;) {
    if (nh === EXT_HOP_BY_HOP || nh === EXT_ROUTING || nh === EXT_DEST_OPTS || nh === EXT_MOBILITY) {
      if (off + 8 > end) return null;
      const len = (b[off + 1]! + 1) * 8;
      nh = b[off]!;
      off += len;
    } else if (nh === EXT_FRAGMENT) {
      if (off + 8 > end) return null;
      const fo = ((b[off + 2]! << 8) | b[off + 3]!) & 0xfff9; // offset (13 bits) and M flag
      if (fo !== 0) fragment = true;
      nh = b[off]!;
      off += 8;
    } else if (nh === EXT_AUTH) {
      if (off + 8 > end) return null;
      const len = (b[off + 1]! + 2) * 4;
      nh = b[off]!;
      off += len;
    } else break;
  }
  if (off > end) return null;
  return {
    version: 6,
    src: b.subarray(8, 24),
    dst: b.subarray(24, 40),
    protocol: nh,
    payload: b.subarray(off, end),
    fragment,
  };
}

/** Parse an IPv4 packet; null when truncated or not version 4. */
export function parseIpv4Packet(b: Uint8Array): IpPacket | null {
  if (b.length < 20 || b[0]! >> 4 !== 4) return null;
  const ihl = (b[0]! & 0x0f) * 4;
  const total = (b[2]! << 8) | b[3]!;
  if (ihl < 20 || b.length < ihl) return null;
  const end = Math.min(b.length, Math.max(total, ihl));
  const fragField = ((b[6]! << 8) | b[7]!) & 0x3fff; // MF flag + offset
  return {
    version: 4,
    src: b.subarray(12, 16),
    dst: b.subarray(16, 20),
    protocol: b[9]!,
    payload: b.subarray(ihl, end),
    fragment: fragField !== 0,
  };
}

/** A parsed UDP datagram. */
export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** Parse a UDP datagram (payload limited by the UDP length field); null if truncated. */
export function parseUdp(b: Uint8Array): UdpDatagram | null {
  if (b.length < UDP_HEADER_LENGTH) return null;
  const len = (b[4]! << 8) | b[5]!;
  const end = len >= UDP_HEADER_LENGTH ? Math.min(len, b.length) : b.length;
  return {
    srcPort: (b[0]! << 8) | b[1]!,
    dstPort: (b[2]! << 8) | b[3]!,
    payload: b.subarray(UDP_HEADER_LENGTH, end),
  };
}

/** A parsed TCP segment. */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Flag byte (TCP_FIN, TCP_SYN, …). */
  flags: number;
  window: number;
  payload: Uint8Array;
}

/** Parse a TCP segment; null if truncated or the data offset is invalid. */
export function parseTcp(b: Uint8Array): TcpSegment | null {
  if (b.length < TCP_MIN_HEADER_LENGTH) return null;
  const hl = (b[12]! >> 4) * 4;
  if (hl < TCP_MIN_HEADER_LENGTH || hl > b.length) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    srcPort: dv.getUint16(0),
    dstPort: dv.getUint16(2),
    seq: dv.getUint32(4),
    ack: dv.getUint32(8),
    flags: b[13]!,
    window: dv.getUint16(14),
    payload: b.subarray(hl),
  };
}

/** One's-complement sum of `b` added to `sum` (not folded). RFC 1071. */
export function onesComplementAdd(sum: number, b: Uint8Array): number {
  let s = sum;
  const n = b.length & ~1;
  for (let i = 0; i < n; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (b.length & 1) s += b[b.length - 1]! << 8;
  return s;
}

/** Fold a sum to 16 bits and complement it: the checksum field value. RFC 1071. */
export function foldChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/**
 * TCP/UDP checksum over the IPv6 pseudo-header (src, dst, upper-layer length, next header) and the
 * upper-layer bytes `l4` (with its checksum field zeroed or holding the value to verify: a correct packet
 * then yields 0). RFC 8200 §8.1. UDP senders must send 0xFFFF for a computed 0.
 */
export function ipv6UpperChecksum(
  src: Uint8Array,
  dst: Uint8Array,
  protocol: number,
  l4: Uint8Array,
): number {
  let s = onesComplementAdd(0, src);
  s = onesComplementAdd(s, dst);
  s += Math.floor(l4.length / 0x10000) + (l4.length & 0xffff) + protocol;
  s = onesComplementAdd(s, l4);
  return foldChecksum(s);
}
