/**
 * Live network port of the EV controller (`nacs ev` on a real interface or loopback): carries the
 * controller's network effects over real sockets and turns what arrives into controller events.
 *
 * - SLAC (ISO 15118-3): frames on a {@link FramePort} (raw socket), decoded into `slac-frame` events.
 * - SDP (ISO 15118-2 §7.10.1; DIN 70121 uses the same SDP): `sdp-send` goes from one ephemeral UDP socket to
 *   ff02::1%iface port 15118 (hop limit 1: link-local scope); every datagram arriving on that socket becomes
 *   an `sdp-response` (the controller decodes it, retries and times out itself). Linux `lo` has no multicast,
 *   so on loopback the request goes to [::1] unicast.
 * - V2G (ISO 15118-2 §7.7 transport layer; DIN 70121 TCP only): `v2g-connect` opens TCP or TLS 1.2 to the
 *   address SDP returned (scoped with %iface when link-local); success → `v2g-connected`, failure →
 *   `v2g-closed` with the reason. A new connect replaces the connection or attempt in progress (design
 *   choice).
 *
 * Bad input from the wire never throws: undecodable SLAC frames are counted, bad V2GTP closes its
 * connection (→ `v2g-closed`). Node-only code.
 */
import { createSocket } from "node:dgram";
import type { EvDcEvent } from "../../../ev/dc/index.js";
import type { FramePort } from "../../../slac/run/index.js";
import { formatIpv6, SDP_MULTICAST_ADDRESS, SDP_SERVER_PORT } from "../../../v2g/index.js";
import { LinkError } from "../../errors.js";
import { withScope } from "../../iface.js";
import { type LinkLogger, silentLogger } from "../../logger.js";
import { tcpConnect } from "../../tcp.js";
import { type TlsClientConfig, tlsConnect } from "../../tls.js";
import type { ReceiveOptions } from "../../types.js";
import { isLoopback } from "../cli-support.js";
import type { EvNetworkEffect } from "../controllers.js";
import { type HostWireTap, sdpTap } from "../wire-tap.js";
import { createPortModem, type ModemKind, type PortModem } from "./modem.js";
import {
  attachSlac,
  boundEndpoint,
  emptyNetworkStats,
  type NetworkContext,
  type NetworkStats,
  V2gSlot,
  type V2gWireHook,
} from "./shared.js";

/** Options of {@link startEvNetwork}. */
export interface EvNetworkOptions {
  /** Interface of the link ("eth0", "lo"). Loopback: SDP goes to [::1] unicast. */
  iface: string;
  /** SLAC frame port (raw socket on `iface`); null = no SLAC on this link. */
  slac: FramePort | null;
  /** UDP port of the SECC's SDP server (default 15118). */
  sdpServerPort?: number;
  /** The local PLC modem (default "none"); "qca" needs `hostMac`, the MAC of `iface`. */
  modem?: ModemKind;
  hostMac?: Uint8Array;
  /**
   * Send SDP requests to this address (unicast, e.g. a SECC on another host of a lab network) instead of
   * ff02::1 on `iface` (or [::1] on loopback). A link-local address takes `iface` as its zone.
   */
  sdpTarget?: string;
  /** Connect with TLS 1.2 trusting these roots instead of plain TCP. */
  tls?: TlsClientConfig;
  /** TCP/TLS connect timeout (default LINK_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** Receive limits of the V2G connection (max payload, read timeout). */
  receive?: Omit<ReceiveOptions, "logger">;
  /** Deliver an event to the controller host (`host.push`). */
  push(ev: EvDcEvent): void;
  /** Controller time for the events' `tMs`. */
  now(): number;
  /** Wire tap (`--pcap`): SLAC frames, SDP datagrams, V2GTP messages. */
  tap?: HostWireTap;
  /** Test-only hook between the controller's V2G bytes and the socket (the conformance tester). */
  wireHook?: V2gWireHook;
  logger?: LinkLogger;
}

/** A running EV network port. */
export interface EvNetwork {
  /** Carry out one network effect of the controller (`ports.network`). Never throws. */
  perform(effect: EvNetworkEffect): void;
  /** Local UDP port SDP requests leave from (responses arrive there). */
  readonly sdpLocalPort: number;
  readonly transport: "tcp" | "tls";
  readonly stats: NetworkStats;
  /** Stop SLAC and SDP, close the V2G connection; nothing is pushed after this. */
  close(): Promise<void>;
}

/**
 * Start the EV's live network port. Rejects with {@link LinkError} "sdp-socket" when UDP cannot be set
 * up.
 */
export async function startEvNetwork(o: EvNetworkOptions): Promise<EvNetwork> {
  const log = o.logger ?? silentLogger;
  const loop = isLoopback(o.iface);
  const stats = emptyNetworkStats();
  let closed = false;
  const push = (ev: EvDcEvent) => {
    if (!closed) o.push(ev);
  };
  const ctx: NetworkContext = { push, now: o.now, tap: o.tap, log, stats, side: "ev", hook: o.wireHook };
  const onDatagram = o.tap ? sdpTap(o.tap) : undefined;

  const sock = createSocket({ type: "udp6", ipv6Only: true });
  sock.on("message", (msg, rinfo) => {
    const datagram = Uint8Array.from(msg);
    stats.sdpReceived++;
    onDatagram?.("rx", datagram, boundEndpoint(sock), { address: rinfo.address, port: rinfo.port });
    push({ kind: "sdp-response", datagram, tMs: o.now() });
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => {
      sock.close();
      reject(e instanceof LinkError ? e : new LinkError("sdp-socket", `sdp: ${e.message}`, { cause: e }));
    };
    sock.once("error", fail);
    sock.bind(0, loop ? "::1" : "::", () => {
      sock.removeAllListeners("error");
      sock.on("error", (e) => log.error({ err: e.message }, `ev: sdp socket error: ${e.message}`));
      if (loop) return resolve();
      try {
        sock.setMulticastInterface(`::%${o.iface}`);
        // Link-local scope (ISO 15118-2 §7.10.1): the request must not leave the link.
        sock.setMulticastTTL(1);
        resolve();
      } catch (e) {
        fail(new LinkError("sdp-socket", `sdp: multicast on "${o.iface}": ${(e as Error).message}`));
      }
    });
  });
  const sdpTarget =
    o.sdpTarget !== undefined
      ? o.sdpTarget.toLowerCase().startsWith("fe80:") && !o.sdpTarget.includes("%") && !loop
        ? `${o.sdpTarget}%${o.iface}`
        : o.sdpTarget
      : loop
        ? "::1"
        : `${SDP_MULTICAST_ADDRESS}%${o.iface}`;
  const sdpPort = o.sdpServerPort ?? SDP_SERVER_PORT;

  const sendSdp = (datagram: Uint8Array) => {
    const to = { address: sdpTarget, port: sdpPort };
    try {
      sock.send(datagram, sdpPort, sdpTarget, (err) => {
        if (err) {
          stats.sdpDropped++;
          log.warn({ err: err.message }, `ev: sdp-send to [${sdpTarget}]:${sdpPort} failed: ${err.message}`);
          return;
        }
        stats.sdpSent++;
        onDatagram?.("tx", datagram, boundEndpoint(sock), to);
      });
    } catch (e) {
      stats.sdpDropped++;
      log.warn({ err: (e as Error).message }, "ev: sdp-send failed");
    }
  };

  const slot = new V2gSlot(ctx);
  const connect = (address: Uint8Array, port: number) => {
    const gen = slot.next("replaced by a new connect");
    let host: string;
    try {
      host = withScope(formatIpv6(address), o.iface);
    } catch (e) {
      slot.fail(gen, `connect failed: ${(e as Error).message}`);
      return;
    }
    const opts = {
      ...o.receive,
      host,
      port,
      logger: log,
      ...(o.connectTimeoutMs !== undefined ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
    };
    log.info({ host, port }, `ev: V2G ${o.tls ? "tls" : "tcp"} connect to [${host}]:${port}`);
    const attempt = o.tls ? tlsConnect({ ...opts, tls: o.tls }) : tcpConnect(opts);
    attempt.then(
      (conn) => slot.adopt(conn, gen),
      (e: unknown) => slot.fail(gen, `connect failed: ${(e as Error).message}`),
    );
  };

  let modem: PortModem | null = null;
  const slac = attachSlac(o.slac, ctx, (frame) => {
    if (modem?.receive(frame)) push({ kind: "slac-frame", frame, tMs: o.now() });
  });
  modem = createPortModem({
    kind: o.modem ?? "none",
    hostMac: o.hostMac ?? new Uint8Array(6),
    send: (f) => slac.send(f),
    onLinkUp: () => push({ kind: "modem-link", up: true, tMs: o.now() }),
  });
  const sdpLocalPort = sock.address().port;
  log.info({ iface: o.iface, sdpLocalPort }, `ev: network on ${o.iface}: SDP to [${sdpTarget}]:${sdpPort}`);

  return {
    sdpLocalPort,
    transport: o.tls ? "tls" : "tcp",
    stats,
    perform(f) {
      if (closed) return;
      switch (f.kind) {
        case "slac-send":
          slac.send(f.frame);
          break;
        case "slac-set-key":
          modem?.setKey(f.nmk, f.nid);
          break;
        case "sdp-send":
          sendSdp(f.datagram);
          break;
        case "v2g-connect":
          connect(f.address, f.port);
          break;
        case "v2g-send":
          slot.send(f.payloadType, f.bytes, f.name);
          break;
        case "v2g-close":
          slot.close(f.reason);
          break;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      modem?.stop();
      slac.detach();
      slot.shutdown();
      await new Promise<void>((r) => sock.close(() => r()));
    },
  };
}
