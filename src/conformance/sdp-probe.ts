/**
 * The tester's SDP probes (ISO 15118-2 §7.10.1; DIN 70121 uses the same SECC Discovery Protocol): SDP
 * request datagrams as a case describes them — good ones, ones asking for a security or transport the SECC
 * may not offer, malformed ones (payload type, length, header version) — sent one after the other from a
 * socket of their own, to where the tester's EV sends its SDP requests, each followed by a wait for
 * answers. Every datagram and every answer goes on the trace. Node-only (a UDP socket).
 */
import { createSocket } from "node:dgram";
import { isLoopback } from "../link/host/cli-support.js";
import { hex } from "../slac/matching/messages.js";
import { decodeSdpResponse, SDP_MULTICAST_ADDRESS, SDP_SERVER_PORT } from "../v2g/index.js";
import { rawHeader } from "./deviate.js";
import type { SdpProbe, TraceEvent } from "./types.js";

/** How long the tester waits for answers to one probe (ms). Design choice (D): past the SECC's 250 ms SDP retry period. */
export const SDP_PROBE_WAIT_MS = 400;
/** SDP request payload type (ISO 15118-2 Table 10: 0x9000). */
const SDP_REQUEST_TYPE = 0x9000;

/** The datagram of a probe: V2GTP header (as the probe sets it) + Security + TransportProtocol (+ extra). */
export function probeDatagram(p: SdpProbe): Uint8Array {
  const extra = p.extraBytes ?? 0;
  const payload = new Uint8Array(2 + extra);
  payload[0] = p.security & 0xff;
  payload[1] = p.transport & 0xff;
  const header = rawHeader(
    p.version ?? 0x01,
    p.inverse ?? 0xfe,
    p.payloadType ?? SDP_REQUEST_TYPE,
    payload.length,
  );
  const out = new Uint8Array(header.length + payload.length);
  out.set(header, 0);
  out.set(payload, header.length);
  return out;
}

/** Where the tester's SDP requests go: as the EV's network port sends them (ev-network.ts). */
export function sdpDestination(iface: string, sdpTarget?: string): string {
  if (sdpTarget !== undefined)
    return sdpTarget.toLowerCase().startsWith("fe80:") && !sdpTarget.includes("%") && !isLoopback(iface)
      ? `${sdpTarget}%${iface}`
      : sdpTarget;
  return isLoopback(iface) ? "::1" : `${SDP_MULTICAST_ADDRESS}%${iface}`;
}

/** Send the probes one after the other, recording each and the answers to it. */
export async function runSdpProbes(o: {
  iface: string;
  sdpTarget?: string;
  sdpServerPort?: number;
  probes: readonly SdpProbe[];
  now(): number;
  record(e: TraceEvent): void;
}): Promise<void> {
  const loop = isLoopback(o.iface);
  const to = sdpDestination(o.iface, o.sdpTarget);
  const port = o.sdpServerPort ?? SDP_SERVER_PORT;
  const sock = createSocket({ type: "udp6", ipv6Only: true });
  let current = 0;
  sock.on("message", (msg) => {
    const d = Uint8Array.from(msg);
    try {
      const r = decodeSdpResponse(d);
      o.record({
        kind: "sdp",
        tMs: o.now(),
        dir: "rx",
        probe: current,
        bytes: hex(d),
        security: r.security,
        transport: r.transport,
      });
    } catch (e) {
      o.record({
        kind: "sdp",
        tMs: o.now(),
        dir: "rx",
        probe: current,
        bytes: hex(d),
        error: (e as Error).message,
      });
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once("error", reject);
      sock.bind(0, loop ? "::1" : "::", () => {
        sock.removeAllListeners("error");
        sock.on("error", () => {});
        try {
          if (!loop) {
            sock.setMulticastInterface(`::%${o.iface}`);
            sock.setMulticastTTL(1);
          }
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
    for (const [i, p] of o.probes.entries()) {
      current = i;
      const d = probeDatagram(p);
      await new Promise<void>((resolve) => sock.send(d, port, to, () => resolve()));
      o.record({ kind: "sdp", tMs: o.now(), dir: "tx", probe: i, bytes: hex(d) });
      await new Promise((r) => setTimeout(r, SDP_PROBE_WAIT_MS));
    }
  } finally {
    await new Promise<void>((r) => sock.close(() => r()));
  }
}
