/**
 * Live network port of the EVSE controller (`nacs evse` on a real interface or loopback): carries the
 * controller's network effects over real sockets and turns what arrives into controller events.
 *
 * - SLAC (ISO 15118-3): frames on a {@link FramePort} (raw socket), decoded into `slac-frame` events; with no
 *   modem to measure it, each CM_MNBC_SOUND.IND carries the fixed attenuation of `noneModem`.
 * - SDP (ISO 15118-2 §7.10.1; DIN 70121 uses the same SDP): UDP port 15118 on "::" joined to ff02::1 on the
 *   interface; each datagram becomes an `sdp-request` (the controller decodes it and builds the reply);
 *   `sdp-reply` goes to the sender of the last request.
 * - V2G (ISO 15118-2 §7.7 transport layer; DIN 70121 TCP only): a TCP or TLS 1.2 server; one connection at a
 *   time, a newly admitted connection replaces the open one (design choice: the EV reconnected, the old one
 *   is dead). With `v2g.admission` a connection is admitted only once its first message is a
 *   supportedAppProtocolReq and the controller is ready (gate.ts); every connection is tallied
 *   (`connections`: accepted, sessions, refused by reason).
 *
 * Bad input from the wire never throws: undecodable SLAC frames are counted, bad V2GTP closes its
 * connection (→ `v2g-closed`). Node-only code.
 */
import { createSocket, type RemoteInfo } from "node:dgram";
import type { EvseDcEvent } from "../../../evse/dc/index.js";
import type { FramePort } from "../../../slac/run/index.js";
import {
  parseIpv6,
  SDP_MULTICAST_ADDRESS,
  SDP_SECC_PORT_MAX,
  SDP_SECC_PORT_MIN,
  SDP_SERVER_PORT,
  splitIpv6Zone,
} from "../../../v2g/index.js";
import { LinkError } from "../../errors.js";
import { withScope } from "../../iface.js";
import { type LinkLogger, silentLogger } from "../../logger.js";
import { startTcpServer } from "../../tcp.js";
import { startTlsServer, type TlsServerConfig } from "../../tls.js";
import type { LinkEndpoint, ReceiveOptions, V2gServer } from "../../types.js";
import { isLoopback, seccListenAddress } from "../cli-support.js";
import type { EvseNetworkEffect } from "../controllers.js";
import { type HostWireTap, sdpTap } from "../wire-tap.js";
import { ConnectionGate, type ConnectionTally } from "./gate.js";
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

/** Options of {@link startEvseNetwork}. */
export interface EvseNetworkOptions {
  /** Interface of the link ("eth0", "lo"). Loopback: SDP binds ::1 and ::1 is advertised. */
  iface: string;
  /** SLAC frame port (raw socket on `iface`); null = no SLAC on this link. */
  slac: FramePort | null;
  /** Attenuation (dB, every group) attached to each received CM_MNBC_SOUND.IND (default: noneModem's). */
  soundAttenuationDb?: number;
  /** The local PLC modem (default "none"); "qca" needs `hostMac`, the MAC of `iface`. */
  modem?: ModemKind;
  hostMac?: Uint8Array;
  /** UDP port of SDP (default 15118; 0 = any, for tests). */
  sdpPort?: number;
  /**
   * The V2G server: `host` to listen on ("::1", "fe80::…" with or without "%iface", or "::" = every
   * address, advertising the link-local one); `port` omitted → random 49152–65535. Without
   * `allowAnyPort` the port must lie in 49152–65535, the range SDP may advertise (ISO 15118-2 §7.10.1).
   */
  v2g: {
    host: string;
    port?: number;
    tls?: TlsServerConfig;
    allowAnyPort?: boolean;
    /** Bound from accept to the first complete V2GTP message, TLS handshake included (link default 18 s). */
    setupTimeoutMs?: number;
    /**
     * Admit a connection to the controller only once its first message is a supportedAppProtocolReq and
     * `ready()` (the controller expects an EV); without it every accepted connection is handed over at once.
     */
    admission?: { ready(): boolean };
  } & Omit<ReceiveOptions, "logger">;
  /** Deliver an event to the controller host (`host.push`). */
  push(ev: EvseDcEvent): void;
  /** Controller time for the events' `tMs`. */
  now(): number;
  /** Wire tap (`--pcap`): SLAC frames, SDP datagrams, V2GTP messages. */
  tap?: HostWireTap;
  /**
   * Test-only hook between the controller's V2G bytes and the socket (the conformance tester playing the
   * SECC, `nacs conformance --sut evcc`). Absent in normal runs.
   */
  wireHook?: V2gWireHook;
  /**
   * Test-only: each SDP request datagram before the controller sees it; false: it is dropped (unanswered),
   * as a tester that answers only the N-th request does. Absent in normal runs.
   */
  sdpHook?: (datagram: Uint8Array) => boolean;
  logger?: LinkLogger;
}

/** A running EVSE network port. */
export interface EvseNetwork {
  /** Carry out one network effect of the controller (`ports.network`). Never throws. */
  perform(effect: EvseNetworkEffect): void;
  /** The 16-byte IPv6 address SDP should advertise (the controller's `cfg.sdp.address`). */
  readonly sdpAddress: Uint8Array;
  /** TCP port of the V2G server (the controller's `cfg.sdp.port`). */
  readonly v2gPort: number;
  /** UDP port SDP listens on. */
  readonly sdpPort: number;
  readonly transport: "tcp" | "tls";
  readonly stats: NetworkStats;
  /** The V2G connections so far: accepted, sessions (supportedAppProtocol succeeded), refused by reason. */
  readonly connections: ConnectionTally;
  /** Stop SLAC, SDP and the V2G server; nothing is pushed after this. */
  close(): Promise<void>;
}

function isUnspecified(host: string): boolean {
  return parseIpv6(splitIpv6Zone(host).address).every((b) => b === 0);
}

/** Start the EVSE's live network port. Rejects with {@link LinkError} when a socket cannot be opened. */
export async function startEvseNetwork(o: EvseNetworkOptions): Promise<EvseNetwork> {
  const log = o.logger ?? silentLogger;
  const loop = isLoopback(o.iface);
  const stats = emptyNetworkStats();
  let closed = false;
  const push = (ev: EvseDcEvent) => {
    if (!closed) o.push(ev);
  };
  const ctx: NetworkContext = { push, now: o.now, tap: o.tap, log, stats, side: "evse", hook: o.wireHook };

  const { host: rawHost, port, tls, allowAnyPort, admission, ...receive } = o.v2g;
  const host = loop ? rawHost : withScope(rawHost, o.iface);
  const advertised = loop ? "::1" : isUnspecified(host) ? await seccListenAddress(o.iface) : host;
  const sdpAddress = parseIpv6(splitIpv6Zone(advertised).address);

  const listen = { ...receive, host, logger: log, ...(port !== undefined ? { port } : {}) };
  const server: V2gServer = tls ? await startTlsServer({ ...listen, tls }) : await startTcpServer(listen);
  const v2gPort = server.local.port;
  if (!allowAnyPort && (v2gPort < SDP_SECC_PORT_MIN || v2gPort > SDP_SECC_PORT_MAX)) {
    await server.close();
    throw new LinkError(
      "bad-option",
      `v2g port ${v2gPort}: SDP advertises only ${SDP_SECC_PORT_MIN}–${SDP_SECC_PORT_MAX} (ISO 15118-2 §7.10.1); set allowAnyPort`,
    );
  }
  const slot = new V2gSlot(ctx);
  const gate = new ConnectionGate({
    admission,
    adopt: (conn, first) => slot.adopt(conn, slot.next("replaced by a new connection"), first),
    log,
  });
  server.onRefused?.((r) => gate.serverRefused(r));
  server.onConnection((conn) => gate.accept(conn));

  let sdp: Awaited<ReturnType<typeof openSdp>>;
  try {
    sdp = await openSdp(o, loop, log, stats, (datagram) => {
      if (o.sdpHook && !o.sdpHook(datagram)) return;
      push({ kind: "sdp-request", datagram, tMs: o.now() });
    });
  } catch (e) {
    await server.close();
    throw e;
  }

  let modem: PortModem | null = null;
  const slac = attachSlac(o.slac, ctx, (frame) => {
    const r = modem?.receive(frame);
    if (r) push({ kind: "slac-frame", frame, ...r, tMs: o.now() });
  });
  modem = createPortModem({
    kind: o.modem ?? "none",
    hostMac: o.hostMac ?? new Uint8Array(6),
    ...(o.soundAttenuationDb !== undefined && { soundAttenuationDb: o.soundAttenuationDb }),
    send: (f) => slac.send(f),
    onLinkUp: () => push({ kind: "modem-link", up: true, tMs: o.now() }),
  });

  log.info(
    { iface: o.iface, v2gPort, sdpPort: sdp.port, transport: server.transport },
    `evse: network on ${o.iface}: V2G ${server.transport} [${host}]:${v2gPort}, SDP UDP ${sdp.port}`,
  );
  return {
    sdpAddress,
    v2gPort,
    sdpPort: sdp.port,
    transport: tls ? "tls" : "tcp",
    stats,
    connections: gate.tally,
    perform(f) {
      if (closed) return;
      switch (f.kind) {
        case "slac-send":
          slac.send(f.frame);
          break;
        case "slac-set-key":
          modem?.setKey(f.nmk, f.nid);
          break;
        case "sdp-reply":
          sdp.reply(f.datagram);
          break;
        case "v2g-send":
          if (f.name === "supportedAppProtocolRes") gate.sapAnswered(f.bytes);
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
      gate.shutdown();
      slot.shutdown();
      await Promise.all([server.close(), sdp.close()]);
    },
  };
}

/** The SDP socket of the SECC: every datagram → `onRequest`; `reply` answers the last sender. */
async function openSdp(
  o: EvseNetworkOptions,
  loop: boolean,
  log: LinkLogger,
  stats: NetworkStats,
  onRequest: (datagram: Uint8Array) => void,
): Promise<{ port: number; reply(datagram: Uint8Array): void; close(): Promise<void> }> {
  // No address reuse: a second SECC on this host's SDP port would answer the same multicast requests, and
  // the EV would see two chargers. Refused with a clear error instead.
  const sock = createSocket({ type: "udp6", reuseAddr: false, ipv6Only: true });
  const onDatagram = o.tap ? sdpTap(o.tap) : undefined;
  let last: LinkEndpoint | null = null;
  let open = true;
  sock.on("message", (msg: Buffer, rinfo: RemoteInfo) => {
    const datagram = Uint8Array.from(msg);
    last = { address: rinfo.address, port: rinfo.port };
    stats.sdpReceived++;
    onDatagram?.("rx", datagram, boundEndpoint(sock), last);
    onRequest(datagram);
  });
  const bindAddress = loop ? "::1" : "::";
  const want = o.sdpPort ?? SDP_SERVER_PORT;
  await new Promise<void>((resolve, reject) => {
    sock.once("error", (e: NodeJS.ErrnoException) => {
      sock.close();
      const why =
        e.code === "EADDRINUSE"
          ? `UDP port ${want} is already in use on this host (another EVSE's SDP server?): stop it, or give this one another port (--sdp-port)`
          : e.message;
      reject(new LinkError("sdp-socket", `sdp: bind [${bindAddress}]:${want}: ${why}`, { cause: e }));
    });
    sock.bind(want, bindAddress, () => {
      sock.removeAllListeners("error");
      sock.on("error", (e) => log.error({ err: e.message }, `evse: sdp socket error: ${e.message}`));
      resolve();
    });
  });
  if (!loop) {
    try {
      // SDP requests go to the all-nodes group (ISO 15118-2 §7.10.1); joining fails when already a member.
      sock.addMembership(SDP_MULTICAST_ADDRESS, `::%${o.iface}`);
    } catch (e) {
      log.debug({ iface: o.iface, err: (e as Error).message }, "evse: addMembership ff02::1 failed");
    }
  }
  return {
    port: sock.address().port,
    reply(datagram) {
      const to = last;
      if (!open || !to) {
        stats.sdpDropped++;
        log.warn({}, "evse: sdp-reply dropped: no SDP request received yet");
        return;
      }
      const address = loop ? to.address : withScope(to.address, o.iface);
      try {
        sock.send(datagram, to.port, address, (err) => {
          if (err) {
            stats.sdpDropped++;
            log.warn({ err: err.message }, `evse: sdp-reply to [${address}]:${to.port} failed`);
            return;
          }
          stats.sdpSent++;
          onDatagram?.("tx", datagram, boundEndpoint(sock), to);
        });
      } catch (e) {
        stats.sdpDropped++;
        log.warn({ err: (e as Error).message }, "evse: sdp-reply failed");
      }
    },
    close: () =>
      new Promise<void>((r) => {
        open = false;
        sock.close(() => r());
      }),
  };
}
