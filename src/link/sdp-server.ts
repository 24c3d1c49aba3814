/**
 * SDP server (SECC side, ISO 15118-2 §7.10.1): a UDP socket on port 15118 that answers each
 * SDP request with the SECC's IPv6 address and the TCP port matching the requested security (TLS port for
 * 0x00, plain port for 0x10, falling back to whichever the SECC offers). Requests arrive on the all-nodes
 * group ff02::1, which every multicast-capable IPv6 interface is a member of; the socket binds "::" and
 * additionally joins ff02::1 on `iface`. Invalid datagrams are logged and ignored.
 */
import { createSocket, type RemoteInfo } from "node:dgram";
import {
  decodeSdpRequest,
  encodeSdpResponse,
  parseIpv6,
  SDP_MULTICAST_ADDRESS,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_SERVER_PORT,
  SDP_TRANSPORT_TCP,
  type SdpSecurity,
} from "../v2g/index.js";
import { LinkError } from "./errors.js";
import { withScope } from "./iface.js";
import { type LinkLogger, silentLogger } from "./logger.js";
import type { LinkEndpoint } from "./types.js";

/** SDP server options. */
export interface SdpServerOptions {
  /** The SECC's IPv6 address to advertise (normally its link-local address; any "%zone" is dropped). */
  address: string;
  /** TCP ports of the V2G servers: `tls` (security 0x00) and/or `tcp` (security 0x10). */
  ports: { tls?: number; tcp?: number };
  /** UDP port to listen on (default 15118; 0 = any, for tests). */
  port?: number;
  /** Address to bind (default "::"; tests use "::1"). */
  bindAddress?: string;
  /** Interface to join ff02::1 on and to scope link-local reply addresses with. */
  iface?: string;
  /** Advertise ports outside 49152–65535 (tests on OS-chosen ports). */
  allowAnyPort?: boolean;
  /** Wire tap: every datagram received and every reply sent (`nacs evse --pcap`). */
  onDatagram?: (dir: "tx" | "rx", datagram: Uint8Array, local: LinkEndpoint, remote: LinkEndpoint) => void;
  logger?: LinkLogger;
}

/** A running SDP server. */
export interface SdpServer {
  /** The UDP port it listens on. */
  readonly port: number;
  /** Counters: requests answered, datagrams ignored. */
  readonly stats: { answered: number; ignored: number };
  close(): Promise<void>;
}

/** Pick the security to answer with: the requested one if the SECC offers it, else the one it offers. */
export function chooseSdpSecurity(
  requested: SdpSecurity,
  ports: { tls?: number; tcp?: number },
): { security: SdpSecurity; port: number } | undefined {
  type Choice = { security: SdpSecurity; port: number };
  const tls: Choice | undefined =
    ports.tls === undefined ? undefined : { security: SDP_SECURITY_TLS, port: ports.tls };
  const tcp: Choice | undefined =
    ports.tcp === undefined ? undefined : { security: SDP_SECURITY_NONE, port: ports.tcp };
  return requested === SDP_SECURITY_TLS ? (tls ?? tcp) : (tcp ?? tls);
}

/** Start the SDP server. Rejects with {@link LinkError} "sdp-socket" when the UDP socket cannot bind. */
export async function startSdpServer(opts: SdpServerOptions): Promise<SdpServer> {
  const log = opts.logger ?? silentLogger;
  const address = parseIpv6(opts.address);
  if (opts.ports.tls === undefined && opts.ports.tcp === undefined) {
    throw new LinkError("bad-option", "ports: give at least one of tls, tcp");
  }
  const sock = createSocket({ type: "udp6", reuseAddr: true, ipv6Only: true });
  const stats = { answered: 0, ignored: 0 };

  sock.on("message", (msg: Buffer, rinfo: RemoteInfo) => {
    const from = `[${rinfo.address}]:${rinfo.port}`;
    const peer = { address: rinfo.address, port: rinfo.port };
    opts.onDatagram?.("rx", new Uint8Array(msg), localOf(sock), peer);
    let req: ReturnType<typeof decodeSdpRequest>;
    try {
      req = decodeSdpRequest(new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
    } catch (e) {
      stats.ignored++;
      log.warn(
        { from, err: (e as Error).message },
        `sdp: ignoring datagram from ${from}: ${(e as Error).message}`,
      );
      return;
    }
    const choice = chooseSdpSecurity(req.security, opts.ports)!;
    if (req.transport !== SDP_TRANSPORT_TCP) {
      log.warn({ from }, "sdp: request asks for UDP transport; answering TCP (UDP is not allowed for V2G)");
    }
    const res = encodeSdpResponse(
      { address, port: choice.port, security: choice.security, transport: SDP_TRANSPORT_TCP },
      { allowAnyPort: opts.allowAnyPort ?? false },
    );
    const to = withScope(rinfo.address, opts.iface);
    sock.send(res, rinfo.port, to, (err) => {
      if (err) {
        log.warn({ from, err: err.message }, `sdp: reply to ${from} failed: ${err.message}`);
        return;
      }
      stats.answered++;
      opts.onDatagram?.("tx", res, localOf(sock), peer);
      log.info(
        { from, requested: req.security, security: choice.security, port: choice.port },
        `sdp: answered ${from} with [${opts.address}]:${choice.port} (${choice.security === SDP_SECURITY_TLS ? "TLS" : "no TLS"})`,
      );
    });
  });

  return await new Promise((resolve, reject) => {
    sock.once("error", (e) => {
      sock.close();
      reject(
        new LinkError(
          "sdp-socket",
          `sdp: bind [${opts.bindAddress ?? "::"}]:${opts.port ?? SDP_SERVER_PORT}: ${e.message}`,
          { cause: e },
        ),
      );
    });
    sock.bind(opts.port ?? SDP_SERVER_PORT, opts.bindAddress ?? "::", () => {
      sock.removeAllListeners("error");
      sock.on("error", (e) => log.error({ err: e.message }, `sdp: socket error: ${e.message}`));
      if (opts.iface) {
        try {
          sock.addMembership(SDP_MULTICAST_ADDRESS, `::%${opts.iface}`);
        } catch (e) {
          // Already a member of the all-nodes group on most systems; log and carry on.
          log.debug({ iface: opts.iface, err: (e as Error).message }, "sdp: addMembership ff02::1 failed");
        }
      }
      const port = sock.address().port;
      log.info({ port, iface: opts.iface }, `sdp: listening on UDP ${port}`);
      resolve({
        port,
        stats,
        close: () => new Promise<void>((r) => sock.close(() => r())),
      });
    });
  });
}

/** The bound address of `sock` for the wire tap ("::" port 0 once it is closed). */
function localOf(sock: { address(): { address: string; port: number } }): LinkEndpoint {
  try {
    const a = sock.address();
    return { address: a.address, port: a.port };
  } catch {
    return { address: "::", port: 0 };
  }
}
