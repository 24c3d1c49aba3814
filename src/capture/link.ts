/**
 * Link-layer decoding of captured frames: Ethernet II (with any number of 802.1Q / 802.1ad tags), Linux
 * cooked captures (SLL, SLL2), raw IP, and BSD/OpenBSD loopback. Pure code.
 * Formats: https://www.tcpdump.org/linktypes.html (LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL).
 */
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_QINQ,
  ETHERTYPE_QINQ_OLD,
  ETHERTYPE_VLAN,
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from "./formats.js";

/** Ethernet header length (dst, src, EtherType). IEEE 802.3. */
export const ETHERNET_HEADER_LENGTH = 14;
/** Linux cooked header v1 length. linktypes.html LINKTYPE_LINUX_SLL. */
export const SLL_HEADER_LENGTH = 16;
/** Linux cooked header v2 length. linktypes.html LINKTYPE_LINUX_SLL2. */
export const SLL2_HEADER_LENGTH = 20;

/** A decoded link-layer frame. */
export interface LinkFrame {
  /** EtherType of the payload (after VLAN tags); -1 for 802.3 length frames (LLC) and unknown protocols. */
  etherType: number;
  /** Source link address (6-byte MAC for Ethernet; SLL address; undefined when the link has none). */
  src?: Uint8Array;
  /** Destination MAC (Ethernet only). */
  dst?: Uint8Array;
  /** VLAN IDs, outermost first (empty when untagged). */
  vlan: number[];
  /** Network-layer bytes. */
  payload: Uint8Array;
}

function ipEtherType(b: Uint8Array, off: number): number {
  const v = (b[off] ?? 0) >> 4;
  return v === 4 ? ETHERTYPE_IPV4 : v === 6 ? ETHERTYPE_IPV6 : -1;
}

const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set([
  LINKTYPE_ETHERNET,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_RAW,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_NULL,
  LINKTYPE_LOOP,
]);

/** Whether {@link decodeLink} knows link type `linkType` (LINKTYPE_* number). */
export function isSupportedLinkType(linkType: number): boolean {
  return SUPPORTED_LINK_TYPES.has(linkType);
}

/** Decode the link-layer header of a frame of link type `linkType`; null if the type is unsupported or short. */
export function decodeLink(linkType: number, data: Uint8Array): LinkFrame | null {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (data.length < ETHERNET_HEADER_LENGTH) return null;
      let et = dv.getUint16(12);
      let off = ETHERNET_HEADER_LENGTH;
      const vlan: number[] = [];
      while (
        (et === ETHERTYPE_VLAN || et === ETHERTYPE_QINQ || et === ETHERTYPE_QINQ_OLD) &&
        off + 4 <= data.length
      ) {
        vlan.push(dv.getUint16(off) & 0x0fff);
        et = dv.getUint16(off + 2);
        off += 4;
      }
      return {
        etherType: et < 0x0600 ? -1 : et,
        dst: data.subarray(0, 6),
        src: data.subarray(6, 12),
        vlan,
        payload: data.subarray(off),
      };
    }
    case LINKTYPE_LINUX_SLL: {
      if (data.length < SLL_HEADER_LENGTH) return null;
      const alen = Math.min(dv.getUint16(4), 8);
      return {
        etherType: dv.getUint16(14),
        src: data.subarray(6, 6 + alen),
        vlan: [],
        payload: data.subarray(16),
      };
    }
    case LINKTYPE_LINUX_SLL2: {
      if (data.length < SLL2_HEADER_LENGTH) return null;
      const alen = Math.min(data[11]!, 8);
      return {
        etherType: dv.getUint16(0),
        src: data.subarray(12, 12 + alen),
        vlan: [],
        payload: data.subarray(20),
      };
    }
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      if (data.length < 1) return null;
      return { etherType: ipEtherType(data, 0), vlan: [], payload: data };
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      if (data.length < 5) return null;
      return { etherType: ipEtherType(data, 4), vlan: [], payload: data.subarray(4) };
    default:
      return null;
  }
}
