/**
 * Full Ethernet frames carrying HomePlug AV MMEs: dst 6, src 6, optional 802.1Q tag (decode and encode),
 * EtherType 0x88E1, the MME, then trailer bytes. Encoding pads with zeros to the 60-byte minimum; decoding
 * keeps everything after the MME fields (padding, which real modems sometimes fill with garbage) in
 * `trailer`, so `encodeSlacFrame(decodeSlacFrame(b))` reproduces `b` byte for byte. Frame layout per
 * ISO 15118-3 (HomePlug AV MMEs, EtherType 0x88E1).
 */
import {
  ETHERNET_HEADER_LENGTH,
  ETHERNET_MIN_FRAME_LENGTH,
  ETHERTYPE_HOMEPLUG_AV,
  ETHERTYPE_QINQ,
  ETHERTYPE_VLAN,
  MAC_LENGTH,
  VLAN_TAG_LENGTH,
} from "./constants.js";
import { SlacError } from "./errors.js";
import { decodeMme, mmeLength, writeMme } from "./mme-codec.js";
import type { Mme } from "./mme-schema.js";

/** An 802.1Q (or 802.1ad) tag: TPID (default 0x8100) and TCI (PCP 3 bits, DEI 1, VID 12). */
export interface VlanTag {
  tpid?: number;
  tci: number;
}

/** An Ethernet frame carrying one MME. */
export interface SlacFrame<M extends Mme = Mme> {
  /** Destination MAC (6 bytes). */
  dst: Uint8Array;
  /** Source MAC (6 bytes). */
  src: Uint8Array;
  /** Optional VLAN tag between src and EtherType. */
  vlan?: VlanTag;
  mme: M;
  /**
   * Bytes after the MME fields (padding). Decoding always fills it; on encode it is appended as is, and
   * the frame is then zero-padded to 60 bytes if still shorter.
   */
  trailer?: Uint8Array;
}

function checkMac(where: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== MAC_LENGTH) {
    throw new SlacError("bad-field", `${where}: must be ${MAC_LENGTH} bytes`);
  }
  return v;
}

/**
 * Decode an Ethernet frame (FCS not included) holding a HomePlug AV MME. Throws {@link SlacError}:
 * "truncated" (too short) or "not-homeplug" (EtherType ≠ 0x88E1), never anything else.
 */
export function decodeSlacFrame(bytes: Uint8Array): SlacFrame {
  if (bytes.length < ETHERNET_HEADER_LENGTH) {
    throw new SlacError(
      "truncated",
      `frame: ${bytes.length} bytes, Ethernet header needs ${ETHERNET_HEADER_LENGTH}`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let etherType = dv.getUint16(12);
  let off = ETHERNET_HEADER_LENGTH;
  let vlan: VlanTag | undefined;
  if (etherType === ETHERTYPE_VLAN || etherType === ETHERTYPE_QINQ) {
    if (bytes.length < ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH) {
      throw new SlacError("truncated", `frame: ${bytes.length} bytes, VLAN-tagged header needs 18`);
    }
    vlan = { tpid: etherType, tci: dv.getUint16(14) };
    etherType = dv.getUint16(16);
    off += VLAN_TAG_LENGTH;
  }
  if (etherType !== ETHERTYPE_HOMEPLUG_AV) {
    throw new SlacError(
      "not-homeplug",
      `frame: EtherType 0x${etherType.toString(16).padStart(4, "0")}, must be 0x88e1 (HomePlug AV)`,
    );
  }
  const { mme, trailer } = decodeMme(bytes.subarray(off));
  const frame: SlacFrame = { dst: bytes.slice(0, 6), src: bytes.slice(6, 12), mme, trailer };
  if (vlan) frame.vlan = vlan;
  return frame;
}

/** Encode a frame; zero-pads to {@link ETHERNET_MIN_FRAME_LENGTH}. Throws {@link SlacError} "bad-field". */
export function encodeSlacFrame(frame: SlacFrame): Uint8Array {
  const dst = checkMac("frame.dst", frame.dst);
  const src = checkMac("frame.src", frame.src);
  const trailer = frame.trailer ?? new Uint8Array(0);
  const head = ETHERNET_HEADER_LENGTH + (frame.vlan ? VLAN_TAG_LENGTH : 0);
  const len = head + mmeLength(frame.mme) + trailer.length;
  const out = new Uint8Array(Math.max(len, ETHERNET_MIN_FRAME_LENGTH));
  const dv = new DataView(out.buffer);
  out.set(dst, 0);
  out.set(src, 6);
  let off = 12;
  if (frame.vlan) {
    const tpid = frame.vlan.tpid ?? ETHERTYPE_VLAN;
    const tci = frame.vlan.tci;
    if (
      !Number.isInteger(tpid) ||
      tpid < 0 ||
      tpid > 0xffff ||
      !Number.isInteger(tci) ||
      tci < 0 ||
      tci > 0xffff
    ) {
      throw new SlacError("bad-field", `frame.vlan: tpid ${tpid} / tci ${tci}, must be integers 0..65535`);
    }
    dv.setUint16(off, tpid);
    dv.setUint16(off + 2, tci);
    off += VLAN_TAG_LENGTH;
  }
  dv.setUint16(off, ETHERTYPE_HOMEPLUG_AV);
  const end = writeMme(frame.mme, out, off + 2);
  out.set(trailer, end);
  return out;
}
