/**
 * `nacs evse|ev --pcap` recorder: the hosts' wire tap turned into pcapng that our reader and
 * decoder read back (a whole recorded session: src/cli/commands/evse-pcap.test.ts) — real endpoints (zone dropped), MACs learned from SLAC, SDP to ff02::1 on the
 * multicast MAC, messages over the MSS segmented, an implicit connection for a message without open, one
 * sink call per block (streamed), and the section comment that marks TLS payloads as decrypted.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type CapturedPacket,
  type CaptureEvent,
  createCaptureDecoder,
  createCaptureReader,
  decodeLink,
  PCAPNG_EPB,
  PCAPNG_SHB,
  parseIpv6Packet,
  parseUdp,
} from "../capture/index.js";
import { encodeSlacFrame } from "../slac/index.js";
import {
  encodeSdpRequest,
  encodeSdpResponse,
  encodeV2gtpMessage,
  formatIpv6,
  parseIpv6,
  SDP_SECURITY_NONE,
  SDP_TRANSPORT_TCP,
} from "../v2g/index.js";
import {
  createHostPcapRecorder,
  type HostPcapRecorderOptions,
  PCAP_SYNTHETIC_MAC,
  PCAP_TLS_PLAINTEXT_COMMENT,
} from "./record-pcap.js";

const EV_MAC = Uint8Array.of(0xca, 0x5c, 0xa7, 0x4f, 0xbd, 0x7b);
const EVSE_MAC = Uint8Array.of(0x7e, 0x22, 0xf2, 0x42, 0xe5, 0x16);
const T0 = 1_780_000_000_123.456;

/** Record with `o`, run `feed`, then read the blocks back with our reader and decoder. */
function roundTrip(o: HostPcapRecorderOptions, feed: (r: ReturnType<typeof createHostPcapRecorder>) => void) {
  const blocks: Uint8Array[] = [];
  const r = createHostPcapRecorder((b) => blocks.push(b.slice()), o);
  feed(r);
  const reader = createCaptureReader();
  const decoder = createCaptureDecoder();
  const packets: CapturedPacket[] = [];
  const events: CaptureEvent[] = [];
  for (const b of blocks)
    for (const rec of reader.push(b))
      if (rec.kind === "packet") {
        packets.push(rec);
        events.push(...decoder.push(rec));
      }
  assert.equal(reader.end(), 0, "no partial block");
  events.push(...decoder.end());
  return { blocks, packets, events, stats: decoder.stats, frames: r.frames };
}

const blockType = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);
const text = (b: Uint8Array) => Buffer.from(b).toString("latin1");

test("EV recorder: SLAC as sent, SDP multicast, TCP on the real endpoints, big messages segmented", () => {
  const local = { address: "fe80::c85c:a7ff:fe4f:bd7b%veth-ev", port: 50123 };
  const remote = { address: "fe80::7c22:f2ff:fe42:e516%veth-ev", port: 61234 };
  const big = encodeV2gtpMessage(0x8001, new Uint8Array(3000).fill(0x55));
  const slac = encodeSlacFrame({
    dst: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
    src: EV_MAC,
    mme: { kind: "CM_SLAC_PARM.REQ", applicationType: 0, securityType: 0, runId: new Uint8Array(8).fill(7) },
  });
  const req = encodeSdpRequest({ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP });
  const res = encodeSdpResponse({
    address: parseIpv6("fe80::7c22:f2ff:fe42:e516"),
    port: remote.port,
    security: SDP_SECURITY_NONE,
    transport: SDP_TRANSPORT_TCP,
  });
  const { blocks, packets, events, stats, frames } = roundTrip(
    { role: "ev", application: "nacs ev", interfaceName: "veth-ev", localIp: "fe80::c85c:a7ff:fe4f:bd7b" },
    (r) => {
      let t = T0;
      const at = () => {
        t += 1.5;
        return t;
      };
      r.tap(at(), { kind: "slac", dir: "tx", frame: slac });
      r.learn({ localMac: EV_MAC, peerMac: EVSE_MAC });
      const sdpLocal = { address: "::", port: 40000 };
      r.tap(at(), {
        kind: "sdp",
        dir: "tx",
        datagram: req,
        local: sdpLocal,
        remote: { address: "ff02::1%veth-ev", port: 15118 },
      });
      r.tap(at(), {
        kind: "sdp",
        dir: "rx",
        datagram: res,
        local: sdpLocal,
        remote: { address: remote.address, port: 15118 },
      });
      r.tap(at(), { kind: "tcp-open", conn: "tcp#1", transport: "tcp", local, remote });
      r.tap(at(), { kind: "v2gtp", conn: "tcp#1", dir: "tx", message: big, local, remote });
      r.tap(at(), { kind: "v2gtp", conn: "tcp#1", dir: "rx", message: big, local, remote });
      r.tap(at(), { kind: "tcp-close", conn: "tcp#1", by: "remote" });
      // a message on a connection never opened: the handshake is written first
      const l2 = { ...local, port: 50124 };
      r.tap(at(), { kind: "v2gtp", conn: "tcp#2", dir: "tx", message: big, local: l2, remote });
    },
  );
  assert.equal(blockType(blocks[0]!), PCAPNG_SHB);
  assert.ok(
    blocks.slice(1).every((b) => blockType(b) === PCAPNG_EPB),
    "one sink call per packet after the header",
  );
  assert.equal(blocks.length - 1, frames);
  assert.doesNotMatch(text(blocks[0]!), /decrypted by nacs/);
  assert.match(text(blocks[0]!), /nacs ev/);
  assert.deepEqual(
    { slac: stats.slac, sdp: stats.sdp, v2g: stats.v2gMessages, conns: stats.connections, gaps: stats.gaps },
    { slac: 1, sdp: 2, v2g: 3, conns: 2, gaps: 0 },
  );
  assert.deepEqual(packets[0]!.data, slac, "SLAC frames are written as they were sent");
  const t = packets[0]!.tsSec * 1000 + packets[0]!.tsNsec / 1e6;
  assert.ok(Math.abs(t - (T0 + 1.5)) < 0.001, `timestamp ${t}`);
  const sdpReq = decodeLink(1, packets[1]!.data)!;
  assert.deepEqual([...sdpReq.dst!], [0x33, 0x33, 0, 0, 0, 1], "multicast MAC of ff02::1");
  assert.deepEqual([...sdpReq.src!], [...EV_MAC], "learned MAC");
  const ip = parseIpv6Packet(sdpReq.payload)!;
  assert.equal(formatIpv6(ip.src), "fe80::c85c:a7ff:fe4f:bd7b", "unspecified bind → our address");
  assert.deepEqual([formatIpv6(ip.dst), parseUdp(ip.payload)!.srcPort], ["ff02::1", 40000]);
  const connects = events.filter((e) => e.type === "TcpConnect").map((e) => e.message);
  assert.deepEqual(connects, [
    { client: "[fe80::c85c:a7ff:fe4f:bd7b]:50123", server: "[fe80::7c22:f2ff:fe42:e516]:61234" },
    { client: "[fe80::c85c:a7ff:fe4f:bd7b]:50124", server: "[fe80::7c22:f2ff:fe42:e516]:61234" },
  ]);
  const v2g = events.filter((e) => e.layer === "v2g").map((e) => e.from);
  assert.deepEqual(v2g, ["ev", "evse", "ev"]);
  const maxLen = Math.max(...packets.map((p) => p.data.length));
  assert.ok(maxLen <= 14 + 40 + 20 + 1440, `segmented at the MSS (largest frame ${maxLen})`);
});

test("EVSE recorder: SDP requests to ff02::1 on a real link, TLS note in the section header", () => {
  const req = encodeSdpRequest({ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP });
  const { blocks, packets } = roundTrip(
    { role: "evse", application: "nacs evse", interfaceName: "eth1", multicastSdp: true, tlsPlaintext: true },
    (r) => {
      r.learn({ localIp: "fe80::2%eth1" });
      r.tap(T0, {
        kind: "sdp",
        dir: "rx",
        datagram: req,
        local: { address: "::", port: 15118 },
        remote: { address: "fe80::1%eth1", port: 40001 },
      });
    },
  );
  assert.ok(text(blocks[0]!).includes(PCAP_TLS_PLAINTEXT_COMMENT));
  const l = decodeLink(1, packets[0]!.data)!;
  assert.deepEqual([...l.src!], [...PCAP_SYNTHETIC_MAC.ev], "peer MAC unknown: synthetic");
  const ip = parseIpv6Packet(l.payload)!;
  assert.deepEqual([formatIpv6(ip.src), formatIpv6(ip.dst)], ["fe80::1", "ff02::1"]);
});
