/**
 * `--pcap FILE` recorders.
 *
 * `nacs simulate --pcap FILE`: turns the DC simulator's wire events (src/sim/dc/wire.ts) into
 * a pcapng stream — SLAC MMEs as Ethernet frames, SDP over UDP and the V2G session over a synthetic TCP
 * connection on IPv6 link-local addresses derived from the MACs — with virtual timestamps, using the capture
 * module's packet synthesizer and pcapng writer. Pure: bytes go to `sink` block by block as the session
 * runs (the CLI appends them to the file). One synthesizer per V2G connection (a resumed session opens a
 * second one, on the next EV port).
 *
 * `nacs evse --pcap FILE` / `nacs ev --pcap FILE` ({@link createHostPcapRecorder}): turns the real hosts'
 * wire tap (src/link/host/wire-tap.ts) into pcapng with wall-clock timestamps — SLAC frames as sent and
 * received on the raw socket, SDP datagrams and V2GTP messages framed into Ethernet / IPv6 / UDP / TCP
 * packets with the sockets' real addresses and ports. The IP packets are synthesized (we do not capture at
 * the kernel): checksums and per-direction seq/ack are correct, the handshake, the peer's ACKs and the FIN
 * exchange are written when the host sees the connection open, a message, or the close. TLS sessions are
 * recorded as their decrypted application data on the TLS port, and the section header says so.
 */
import {
  concatAll,
  createPacketSynthesizer,
  createPcapngWriter,
  IPPROTO_UDP,
  ipv6Frame,
  LINKTYPE_ETHERNET,
  linkLocalFromMac,
  multicastMac,
  type PacketSynthesizer,
  PCAPNG_SHB,
  udpSegment,
} from "../capture/index.js";
import type { HostWireEvent, HostWireTap } from "../link/host/index.js";
import type { LinkEndpoint } from "../link/index.js";
import type { WireEvent, WireTap } from "../sim/dc/wire.js";
import { encodeSlacFrame } from "../slac/index.js";
import { parseIpv6, SDP_MULTICAST_ADDRESS, splitIpv6Zone } from "../v2g/index.js";

/** First EV TCP port of the synthetic connections (then +1 per connection). */
export const PCAP_EV_FIRST_PORT = 50_001;
/** SECC TCP port in the synthetic capture (the SDP response of the simulator announces port 50000). */
export const PCAP_EVSE_PORT = 50_000;

/** Options of {@link createPcapRecorder}. */
export interface PcapRecorderOptions {
  evMac: Uint8Array;
  evseMac: Uint8Array;
  /** Wall-clock time of virtual t = 0 (ms since the epoch): the capture's timestamps start there. */
  epochMs: number;
  interfaceName?: string;
}

/** A recorder: `tap` goes to `DcSessionOptions.onWire`; `frames` counts packets written. */
export interface PcapRecorder {
  tap: WireTap;
  readonly frames: number;
}

/** Create a recorder writing a pcapng section header at once, then one block per packet to `sink`. */
export function createPcapRecorder(sink: (bytes: Uint8Array) => void, o: PcapRecorderOptions): PcapRecorder {
  const w = createPcapngWriter({
    application: "nacs simulate",
    interfaces: [{ linkType: LINKTYPE_ETHERNET, name: o.interfaceName ?? "nacs-sim-plc" }],
  });
  sink(w.header());
  let frames = 0;
  const conns = new Map<number, PacketSynthesizer>();
  let sdpSynth: PacketSynthesizer | null = null;
  const synthFor = (conn: number) => {
    let s = conns.get(conn);
    if (!s) {
      s = createPacketSynthesizer({
        evMac: o.evMac,
        evseMac: o.evseMac,
        evPort: PCAP_EV_FIRST_PORT + conns.size,
        evsePort: PCAP_EVSE_PORT,
        evIsn: 1000 + conn * 100_000,
        evseIsn: 500_000 + conn * 100_000,
      });
      conns.set(conn, s);
    }
    return s;
  };
  const write = (tMs: number, data: Uint8Array) => {
    const ns = Math.round((o.epochMs + tMs) * 1e6);
    const sec = Math.floor(ns / 1e9);
    sink(w.packet(0, sec, ns - sec * 1e9, data));
    frames++;
  };
  const packets = (e: WireEvent): Uint8Array[] => {
    switch (e.kind) {
      case "slac":
        return [encodeSlacFrame(e.frame)];
      case "sdp":
        sdpSynth ??= createPacketSynthesizer({
          evMac: o.evMac,
          evseMac: o.evseMac,
          evPort: PCAP_EV_FIRST_PORT,
        });
        return [sdpSynth.sdp(e.from, e.datagram)];
      case "tcp-open":
        return synthFor(e.conn).connect();
      case "v2gtp":
        return synthFor(e.conn).v2gtp(e.from, e.message);
      case "tcp-close":
        return synthFor(e.conn).close(e.from);
    }
  };
  return {
    tap: (tMs, e) => {
      for (const p of packets(e)) write(tMs, p);
    },
    get frames() {
      return frames;
    },
  };
}

/** Synthetic MACs when the real one is unknown (locally administered; the synthesizer's defaults). */
export const PCAP_SYNTHETIC_MAC = {
  ev: Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01),
  evse: Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x02),
} as const;

/** Section comment of a capture whose TLS sessions are recorded as plaintext. */
export const PCAP_TLS_PLAINTEXT_COMMENT =
  "decrypted by nacs: TLS application data recorded as plaintext TCP on the TLS port (no TLS records)";

/** Options of {@link createHostPcapRecorder}. */
export interface HostPcapRecorderOptions {
  /** Which side this host is. */
  role: "ev" | "evse";
  /** shb_userappl, e.g. "nacs evse". */
  application: string;
  /** if_name of the one Ethernet interface (the `--iface`). */
  interfaceName: string;
  /** Our MAC (the interface's, when it has a real one); default {@link PCAP_SYNTHETIC_MAC}. */
  localMac?: Uint8Array;
  /** The peer's MAC (from SLAC); default {@link PCAP_SYNTHETIC_MAC}. */
  peerMac?: Uint8Array;
  /** Our IPv6 address, for sockets bound to "::" (the SDP sockets). Default: link-local of `localMac`. */
  localIp?: string;
  /** EVSE on a real link: SDP requests were sent to ff02::1 (the socket does not tell). */
  multicastSdp?: boolean;
  /** TLS: payloads are the decrypted application data; adds {@link PCAP_TLS_PLAINTEXT_COMMENT}. */
  tlsPlaintext?: boolean;
  /** More section comments. */
  comments?: readonly string[];
}

/** A host recorder: `tap` goes to the hosts' `tap` options; `frames` counts packets written. */
export interface HostPcapRecorder {
  tap: HostWireTap;
  readonly frames: number;
  /** Addresses learned later (SLAC: the MACs; the SECC's listen address); used from this call on. */
  learn(m: { localMac?: Uint8Array; peerMac?: Uint8Array; localIp?: string }): void;
}

const utf8 = new TextEncoder();

/**
 * Section Header Block with opt_comment (1) and shb_userappl (4) options (pcapng §4.1), little-endian,
 * section length unknown — the writer's header() without comments, so the recorder builds its own.
 */
export function sectionHeaderBlock(application: string, comments: readonly string[]): Uint8Array {
  const opts = [...comments.map((c) => [1, utf8.encode(c)] as const), [4, utf8.encode(application)] as const];
  const optLen = opts.reduce((n, [, v]) => n + 4 + ((v.length + 3) & ~3), 4);
  const total = 12 + 16 + optLen;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, PCAPNG_SHB, true);
  dv.setUint32(4, total, true);
  dv.setUint32(8, 0x1a2b3c4d, true);
  dv.setUint16(12, 1, true);
  dv.setUint16(14, 0, true);
  dv.setInt32(16, -1, true);
  dv.setInt32(20, -1, true);
  let o = 24;
  for (const [code, v] of opts) {
    dv.setUint16(o, code, true);
    dv.setUint16(o + 2, v.length, true);
    b.set(v, o + 4);
    o += 4 + ((v.length + 3) & ~3);
  }
  dv.setUint32(total - 4, total, true);
  return b;
}

/** IPv6 bytes of a socket address (zone dropped); `fallback` for "::" or anything not IPv6. */
function ipBytes(text: string, fallback: Uint8Array): Uint8Array {
  const { address } = splitIpv6Zone(text);
  if (address === "::" || address === "") return fallback;
  try {
    return parseIpv6(address);
  } catch {
    return fallback;
  }
}

/**
 * Create a recorder for a real host: writes the section header (with the TLS note when `tlsPlaintext`)
 * and one interface at once, then one Enhanced Packet Block per packet to `sink` as events arrive.
 */
export function createHostPcapRecorder(
  sink: (bytes: Uint8Array) => void,
  o: HostPcapRecorderOptions,
): HostPcapRecorder {
  const w = createPcapngWriter({
    application: o.application,
    interfaces: [{ linkType: LINKTYPE_ETHERNET, name: o.interfaceName }],
  });
  const h = w.header();
  const shbLen = new DataView(h.buffer, h.byteOffset).getUint32(4, true);
  const comments = [...(o.tlsPlaintext ? [PCAP_TLS_PLAINTEXT_COMMENT] : []), ...(o.comments ?? [])];
  sink(concatAll([sectionHeaderBlock(o.application, comments), h.subarray(shbLen)]));
  const peerRole = o.role === "ev" ? "evse" : "ev";
  let localMac = o.localMac ?? PCAP_SYNTHETIC_MAC[o.role];
  let peerMac = o.peerMac ?? PCAP_SYNTHETIC_MAC[peerRole];
  let localIpText = o.localIp;
  const localIp = () =>
    localIpText ? ipBytes(localIpText, linkLocalFromMac(localMac)) : linkLocalFromMac(localMac);
  let frames = 0;
  let connections = 0;
  const conns = new Map<string, PacketSynthesizer>();
  const write = (atMs: number, data: Uint8Array) => {
    const sec = Math.floor(atMs / 1000);
    const ns = Math.min(999_999_999, Math.round((atMs - sec * 1000) * 1e6));
    sink(w.packet(0, sec, ns, data));
    frames++;
  };
  const open = (conn: string, local: LinkEndpoint, remote: LinkEndpoint) => {
    const n = connections++;
    const mine = { mac: localMac, ip: ipBytes(local.address, localIp()), port: local.port };
    const theirs = {
      mac: peerMac,
      ip: ipBytes(remote.address, linkLocalFromMac(peerMac)),
      port: remote.port,
    };
    const [ev, evse] = o.role === "ev" ? [mine, theirs] : [theirs, mine];
    const s = createPacketSynthesizer({
      evMac: ev.mac,
      evseMac: evse.mac,
      evIp: ev.ip,
      evseIp: evse.ip,
      evPort: ev.port,
      evsePort: evse.port,
      evIsn: 1000 + n * 100_000,
      evseIsn: 500_000 + n * 100_000,
    });
    conns.set(conn, s);
    return s;
  };
  const sdp = (e: Extract<HostWireEvent, { kind: "sdp" }>): Uint8Array => {
    const mine = ipBytes(e.local.address, localIp());
    const theirs = ipBytes(e.remote.address, linkLocalFromMac(peerMac));
    if (e.dir === "tx") {
      const mc = theirs[0] === 0xff;
      const u = udpSegment(mine, theirs, e.local.port, e.remote.port, e.datagram);
      return ipv6Frame(localMac, mc ? multicastMac(theirs) : peerMac, mine, theirs, IPPROTO_UDP, u);
    }
    const dst = o.multicastSdp ? parseIpv6(SDP_MULTICAST_ADDRESS) : mine;
    const u = udpSegment(theirs, dst, e.remote.port, e.local.port, e.datagram);
    const dstMac = o.multicastSdp ? multicastMac(dst) : localMac;
    return ipv6Frame(peerMac, dstMac, theirs, dst, IPPROTO_UDP, u);
  };
  const fromOf = (dir: "tx" | "rx") => (dir === "tx" ? o.role : peerRole);
  const packets = (e: HostWireEvent): Uint8Array[] => {
    switch (e.kind) {
      case "slac":
        return [e.frame];
      case "sdp":
        return [sdp(e)];
      case "tcp-open":
        return open(e.conn, e.local, e.remote).connect();
      case "v2gtp": {
        const known = conns.get(e.conn);
        const s = known ?? open(e.conn, e.local, e.remote);
        return [...(known ? [] : s.connect()), ...s.v2gtp(fromOf(e.dir), e.message)];
      }
      case "tcp-close": {
        const s = conns.get(e.conn);
        conns.delete(e.conn);
        return s ? s.close(e.by === "local" ? o.role : peerRole) : [];
      }
    }
  };
  return {
    tap: (atMs, e) => {
      for (const p of packets(e)) write(atMs, p);
    },
    get frames() {
      return frames;
    },
    learn(m) {
      if (m.localMac) localMac = Uint8Array.from(m.localMac);
      if (m.peerMac) peerMac = Uint8Array.from(m.peerMac);
      if (m.localIp !== undefined) localIpText = m.localIp;
    },
  };
}
