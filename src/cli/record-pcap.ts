/**
 * `nacs simulate --pcap FILE` (issue 7 §4): turns the DC simulator's wire events (src/sim/dc/wire.ts) into
 * a pcapng stream — SLAC MMEs as Ethernet frames, SDP over UDP and the V2G session over a synthetic TCP
 * connection on IPv6 link-local addresses derived from the MACs — with virtual timestamps, using the capture
 * module's packet synthesizer and pcapng writer. Pure: bytes go to `sink` block by block as the session
 * runs (the CLI appends them to the file). One synthesizer per V2G connection (a resumed session opens a
 * second one, on the next EV port).
 */
import {
  createPacketSynthesizer,
  createPcapngWriter,
  LINKTYPE_ETHERNET,
  type PacketSynthesizer,
} from "../capture/index.js";
import type { WireEvent, WireTap } from "../sim/dc/wire.js";
import { encodeSlacFrame } from "../slac/index.js";

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
