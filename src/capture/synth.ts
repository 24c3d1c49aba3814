/**
 * Frames our own SLAC / SDP / V2GTP messages into synthetic Ethernet / IPv6 / UDP / TCP packets
 * — correct checksums (RFC 8200 §8.1), TCP sequence and acknowledgement numbers, SYN / FIN handshakes,
 * segmentation at the MSS — so a simulated session can be written with the pcapng writer and read by
 * `nacs decode` and tshark. Addresses default to link-local addresses derived from the MACs (EUI-64,
 * RFC 4291 App. A). Pure code.
 */
import { encodeSlacFrame, type Mme } from "../slac/index.js";
import { SDP_MULTICAST_ADDRESS, SDP_SERVER_PORT } from "../v2g/index.js";
import { parseIpv6 as parseIpv6Text } from "../v2g/sdp-ipv6.js";
import { ETHERTYPE_IPV6, LINKTYPE_ETHERNET } from "./formats.js";
import { IPPROTO_TCP, IPPROTO_UDP, ipv6UpperChecksum, TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from "./ip.js";
import { concatAll, createPcapngWriter } from "./writer.js";

/** Default TCP maximum segment size for synthetic segments (Ethernet MTU 1500 − 40 IPv6 − 20 TCP). */
export const SYNTH_TCP_MSS = 1440;
/** IPv6 hop limit used for link-local V2G traffic (SDP: 255? ISO 15118-2 leaves it to the stack; 64 common). */
export const SYNTH_HOP_LIMIT = 64;
/** TCP window advertised by synthetic segments. */
export const SYNTH_TCP_WINDOW = 65535;

/** Who sends. */
export type SynthSide = "ev" | "evse";

/** Endpoint configuration. */
export interface SynthEndpoints {
  evMac: Uint8Array;
  evseMac: Uint8Array;
  evIp: Uint8Array;
  evseIp: Uint8Array;
  /** EV's TCP source port and SDP client port. */
  evPort: number;
  /** SECC TCP port (as announced in the SDP response). */
  evsePort: number;
  /** Initial sequence numbers. */
  evIsn: number;
  evseIsn: number;
}

/** Link-local IPv6 address from a MAC (EUI-64, universal/local bit flipped). RFC 4291 App. A. */
export function linkLocalFromMac(mac: Uint8Array): Uint8Array {
  const a = new Uint8Array(16);
  a[0] = 0xfe;
  a[1] = 0x80;
  a.set([mac[0]! ^ 0x02, mac[1]!, mac[2]!, 0xff, 0xfe, mac[3]!, mac[4]!, mac[5]!], 8);
  return a;
}

/** IPv6 multicast → Ethernet multicast MAC 33:33:xx:xx:xx:xx. RFC 2464 §7. */
export function multicastMac(ip: Uint8Array): Uint8Array {
  return Uint8Array.of(0x33, 0x33, ip[12]!, ip[13]!, ip[14]!, ip[15]!);
}

/** Default endpoints (locally administered MACs). */
export function defaultEndpoints(over?: Partial<SynthEndpoints>): SynthEndpoints {
  const evMac = over?.evMac ?? Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01);
  const evseMac = over?.evseMac ?? Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x02);
  return {
    evMac,
    evseMac,
    evIp: over?.evIp ?? linkLocalFromMac(evMac),
    evseIp: over?.evseIp ?? linkLocalFromMac(evseMac),
    evPort: over?.evPort ?? 50000,
    evsePort: over?.evsePort ?? 61000,
    evIsn: over?.evIsn ?? 1000,
    evseIsn: over?.evseIsn ?? 500000,
  };
}

/** Ethernet II + IPv6 + upper-layer bytes. */
export function ipv6Frame(
  srcMac: Uint8Array,
  dstMac: Uint8Array,
  src: Uint8Array,
  dst: Uint8Array,
  nextHeader: number,
  l4: Uint8Array,
): Uint8Array {
  const f = new Uint8Array(14 + 40 + l4.length);
  f.set(dstMac, 0);
  f.set(srcMac, 6);
  f[12] = ETHERTYPE_IPV6 >> 8;
  f[13] = ETHERTYPE_IPV6 & 0xff;
  f[14] = 0x60;
  f[18] = l4.length >> 8;
  f[19] = l4.length & 0xff;
  f[20] = nextHeader;
  f[21] = SYNTH_HOP_LIMIT;
  f.set(src, 22);
  f.set(dst, 38);
  f.set(l4, 54);
  return f;
}

/** A UDP datagram with its checksum. */
export function udpSegment(
  src: Uint8Array,
  dst: Uint8Array,
  sport: number,
  dport: number,
  payload: Uint8Array,
): Uint8Array {
  const u = new Uint8Array(8 + payload.length);
  const dv = new DataView(u.buffer);
  dv.setUint16(0, sport);
  dv.setUint16(2, dport);
  dv.setUint16(4, u.length);
  u.set(payload, 8);
  const c = ipv6UpperChecksum(src, dst, IPPROTO_UDP, u);
  dv.setUint16(6, c === 0 ? 0xffff : c);
  return u;
}

/** A TCP segment (20-byte header, no options) with its checksum. */
export function tcpSegment(
  src: Uint8Array,
  dst: Uint8Array,
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  payload: Uint8Array,
): Uint8Array {
  const t = new Uint8Array(20 + payload.length);
  const dv = new DataView(t.buffer);
  dv.setUint16(0, sport);
  dv.setUint16(2, dport);
  dv.setUint32(4, seq >>> 0);
  dv.setUint32(8, ack >>> 0);
  t[12] = 5 << 4;
  t[13] = flags;
  dv.setUint16(14, SYNTH_TCP_WINDOW);
  t.set(payload, 20);
  dv.setUint16(16, ipv6UpperChecksum(src, dst, IPPROTO_TCP, t));
  return t;
}

/** Frames one session's messages into packets; see {@link createPacketSynthesizer}. */
export interface PacketSynthesizer {
  readonly endpoints: SynthEndpoints;
  /** A SLAC MME as an Ethernet frame (EV frames go to the broadcast address unless `dst` is given). */
  slac(from: SynthSide, mme: Mme, dst?: Uint8Array): Uint8Array;
  /** An SDP datagram (V2GTP-framed request from the EV to ff02::1:15118, or the EVSE's response). */
  sdp(from: SynthSide, datagram: Uint8Array): Uint8Array;
  /** TCP three-way handshake EV → EVSE. */
  connect(): Uint8Array[];
  /** A V2GTP message (header included) in MSS-sized segments, each acknowledged by the peer. */
  v2gtp(from: SynthSide, message: Uint8Array): Uint8Array[];
  /** FIN from `from`, the peer's FIN, the final ACK. */
  close(from: SynthSide): Uint8Array[];
}

/** Create a synthesizer for one EV–EVSE pair and one TCP connection. */
export function createPacketSynthesizer(
  over?: Partial<SynthEndpoints>,
  opts?: { mss?: number },
): PacketSynthesizer {
  const ep = defaultEndpoints(over);
  const mss = opts?.mss ?? SYNTH_TCP_MSS;
  const seq = { ev: ep.evIsn >>> 0, evse: ep.evseIsn >>> 0 };
  const side = (s: SynthSide) =>
    s === "ev"
      ? {
          mac: ep.evMac,
          ip: ep.evIp,
          port: ep.evPort,
          peerMac: ep.evseMac,
          peerIp: ep.evseIp,
          peerPort: ep.evsePort,
        }
      : {
          mac: ep.evseMac,
          ip: ep.evseIp,
          port: ep.evsePort,
          peerMac: ep.evMac,
          peerIp: ep.evIp,
          peerPort: ep.evPort,
        };
  const other = (s: SynthSide): SynthSide => (s === "ev" ? "evse" : "ev");

  function tcp(from: SynthSide, flags: number, payload: Uint8Array): Uint8Array {
    const a = side(from);
    const seg = tcpSegment(
      a.ip,
      a.peerIp,
      a.port,
      a.peerPort,
      seq[from],
      flags & TCP_ACK ? seq[other(from)] : 0,
      flags,
      payload,
    );
    seq[from] = (seq[from] + payload.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0;
    return ipv6Frame(a.mac, a.peerMac, a.ip, a.peerIp, IPPROTO_TCP, seg);
  }

  return {
    endpoints: ep,
    slac(from, mme, dst) {
      const a = side(from);
      const to = dst ?? (from === "ev" ? Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff) : a.peerMac);
      return encodeSlacFrame({ dst: to, src: a.mac, mme });
    },
    sdp(from, datagram) {
      if (from === "ev") {
        const mc = parseIpv6Text(SDP_MULTICAST_ADDRESS);
        const u = udpSegment(ep.evIp, mc, ep.evPort, SDP_SERVER_PORT, datagram);
        return ipv6Frame(ep.evMac, multicastMac(mc), ep.evIp, mc, IPPROTO_UDP, u);
      }
      const u = udpSegment(ep.evseIp, ep.evIp, SDP_SERVER_PORT, ep.evPort, datagram);
      return ipv6Frame(ep.evseMac, ep.evMac, ep.evseIp, ep.evIp, IPPROTO_UDP, u);
    },
    connect() {
      return [
        tcp("ev", TCP_SYN, new Uint8Array(0)),
        tcp("evse", TCP_SYN | TCP_ACK, new Uint8Array(0)),
        tcp("ev", TCP_ACK, new Uint8Array(0)),
      ];
    },
    v2gtp(from, message) {
      const out: Uint8Array[] = [];
      for (let o = 0; o < message.length; o += mss) {
        out.push(tcp(from, TCP_ACK | TCP_PSH, message.subarray(o, Math.min(message.length, o + mss))));
      }
      out.push(tcp(other(from), TCP_ACK, new Uint8Array(0)));
      return out;
    },
    close(from) {
      return [
        tcp(from, TCP_FIN | TCP_ACK, new Uint8Array(0)),
        tcp(other(from), TCP_FIN | TCP_ACK, new Uint8Array(0)),
        tcp(from, TCP_ACK, new Uint8Array(0)),
      ];
    },
  };
}

/** A frame with its capture time (seconds since the epoch, fractional). */
export interface TimedFrame {
  t: number;
  data: Uint8Array;
}

/**
 * Write Ethernet frames as one pcapng image (one Ethernet interface, ns timestamps) — what
 * `nacs simulate --pcap` will stream; `tlsKeyLog` adds a Decryption Secrets Block first.
 */
export function framesToPcapng(
  frames: readonly TimedFrame[],
  opts?: { interfaceName?: string; tlsKeyLog?: string },
): Uint8Array {
  const w = createPcapngWriter({
    application: "nacs",
    interfaces: [{ linkType: LINKTYPE_ETHERNET, name: opts?.interfaceName ?? "nacs-sim" }],
  });
  const parts = [w.header()];
  if (opts?.tlsKeyLog) parts.push(w.tlsKeyLog(opts.tlsKeyLog));
  for (const f of frames) {
    const sec = Math.floor(f.t);
    parts.push(w.packet(0, sec, Math.round((f.t - sec) * 1e9) % 1_000_000_000, f.data));
  }
  return concatAll(parts);
}
