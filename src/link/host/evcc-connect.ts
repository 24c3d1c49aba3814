/**
 * EVCC side of the communication setup: SDP discovery (multicast on the PLC interface, or
 * unicast to `sdpTarget` for loopback, which has no multicast), then a TCP or TLS connection to the
 * address and port the SECC advertised.
 */

import type { Clock } from "../../machine/index.js";
import { SDP_SECURITY_NONE, SDP_SECURITY_TLS } from "../../v2g/index.js";
import { LinkError } from "../errors.js";
import { type LinkLogger, silentLogger } from "../logger.js";
import { type SdpDiscovery, sdpDiscover } from "../sdp-client.js";
import { tcpConnect } from "../tcp.js";
import { type TlsClientConfig, tlsConnect } from "../tls.js";
import type { ReceiveOptions, V2gConnection } from "../types.js";
import { type HostWireTap, sdpTap } from "./wire-tap.js";

/** Options of {@link discoverAndConnect}. */
export interface DiscoverOptions extends ReceiveOptions {
  /** Interface for multicast SDP and for scoping a link-local SECC address. */
  iface?: string;
  /** Unicast SDP target instead of ff02::1 (e.g. "::1" on lo). */
  sdpTarget?: string;
  /** SDP server UDP port (default 15118). */
  sdpPort?: number;
  /** SDP tries and wait per try (defaults 50 × 250 ms, digest §6.2). */
  sdpTries?: number;
  sdpTryTimeoutMs?: number;
  /** Require TLS with this trust configuration; without it the EV asks for plain TCP. */
  tls?: TlsClientConfig;
  connectTimeoutMs?: number;
  timers?: Clock;
  signal?: AbortSignal;
  /** Wire tap (`--pcap`): every SDP datagram sent and received. */
  tap?: HostWireTap;
}

/** Result of {@link discoverAndConnect}. */
export interface Discovered {
  conn: V2gConnection;
  sdp: SdpDiscovery;
  /** Time from the first SDP request to the connection being usable (TLS: after the handshake). */
  setupMs: number;
}

/**
 * Discover the SECC and connect. Rejects with SdpTimeoutError, LinkError ("connect-failed",
 * "tls-handshake", "bad-option" when the SECC offers no TLS but TLS is required) or TlsTrustError.
 */
export async function discoverAndConnect(o: DiscoverOptions): Promise<Discovered> {
  const log: LinkLogger = o.logger ?? silentLogger;
  const t0 = performance.now();
  const sdp = await sdpDiscover({
    security: o.tls ? SDP_SECURITY_TLS : SDP_SECURITY_NONE,
    ...(o.iface !== undefined ? { iface: o.iface } : {}),
    ...(o.sdpTarget !== undefined ? { target: o.sdpTarget } : {}),
    ...(o.sdpPort !== undefined ? { port: o.sdpPort } : {}),
    ...(o.sdpTarget === "::1" ? { bindAddress: "::1" } : {}),
    ...(o.sdpTries !== undefined ? { tries: o.sdpTries } : {}),
    ...(o.sdpTryTimeoutMs !== undefined ? { tryTimeoutMs: o.sdpTryTimeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.tap ? { onDatagram: sdpTap(o.tap) } : {}),
    logger: log,
  });
  if (o.tls && sdp.security !== SDP_SECURITY_TLS)
    throw new LinkError(
      "bad-option",
      `tls: required, but the SECC at [${sdp.host}]:${sdp.port} offers no TLS`,
    );
  const common = {
    ...pickReceive(o),
    host: sdp.host,
    port: sdp.port,
    ...(o.connectTimeoutMs !== undefined ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
    ...(o.timers ? { timers: o.timers } : {}),
    logger: log,
  };
  const conn = o.tls ? await tlsConnect({ ...common, tls: o.tls }) : await tcpConnect(common);
  return { conn, sdp, setupMs: performance.now() - t0 };
}

function pickReceive(o: ReceiveOptions): ReceiveOptions {
  const r: ReceiveOptions = {};
  if (o.maxPayload !== undefined) r.maxPayload = o.maxPayload;
  if (o.readTimeoutMs !== undefined) r.readTimeoutMs = o.readTimeoutMs;
  if (o.idleTimeoutMs !== undefined) r.idleTimeoutMs = o.idleTimeoutMs;
  return r;
}
