/**
 * SDP client (EVCC side, ISO 15118-2 §7.10.1): sends the 10-byte request to ff02::1 port 15118 on the PLC
 * interface, waits 250 ms per try, repeats up to 50 times (EcoG-io/iso15118 `SDP_MAX_REQUEST_COUNTER`), and
 * returns the first valid response. Invalid datagrams are logged and ignored.
 *
 * Loopback: Linux `lo` has no MULTICAST flag (`ip link show lo` → <LOOPBACK,UP,LOWER_UP>), so sending to
 * "ff02::1%lo" fails with ENETUNREACH; tests use the unicast `target: "::1"` instead, which exercises the
 * same datagrams and retry logic.
 */
import { createSocket } from "node:dgram";
import {
  type DecodedSdpResponse,
  decodeSdpResponse,
  encodeSdpRequest,
  formatIpv6,
  SDP_MAX_REQUESTS,
  SDP_MULTICAST_ADDRESS,
  SDP_REQUEST_TIMEOUT_MS,
  SDP_SERVER_PORT,
  SDP_TRANSPORT_TCP,
  type SdpSecurity,
  type SdpTransport,
} from "../v2g/index.js";
import { LinkError, SdpTimeoutError } from "./errors.js";
import { withScope } from "./iface.js";
import { type LinkLogger, silentLogger } from "./logger.js";
import type { LinkEndpoint } from "./types.js";

/** Discovery options. */
export interface SdpDiscoverOptions {
  /** Requested security: SDP_SECURITY_TLS (0x00) or SDP_SECURITY_NONE (0x10). */
  security: SdpSecurity;
  /** Requested transport (default TCP). */
  transport?: SdpTransport;
  /** Interface to send the multicast request on (the PLC interface); scopes the returned address. */
  iface?: string;
  /** Where to send: default "ff02::1%iface"; tests use "::1". */
  target?: string;
  /** Destination UDP port (default 15118). */
  port?: number;
  /** Local bind address (default "::"; tests "::1"). */
  bindAddress?: string;
  /** Requests per cycle (default 50, EcoG-io/iso15118 `SDP_MAX_REQUEST_COUNTER`). */
  tries?: number;
  /** Wait per request in ms (default 250, EcoG-io/iso15118 timeouts.py `SDP_REQ`). */
  tryTimeoutMs?: number;
  signal?: AbortSignal;
  /** Wire tap: every request sent and every datagram received (`nacs ev --pcap`). */
  onDatagram?: (dir: "tx" | "rx", datagram: Uint8Array, local: LinkEndpoint, remote: LinkEndpoint) => void;
  logger?: LinkLogger;
}

/** A discovered SECC. */
export interface SdpDiscovery extends DecodedSdpResponse {
  /** SECC address as text, scoped with "%iface" when link-local and `iface` was given: ready to connect. */
  host: string;
  /** Who answered. */
  from: LinkEndpoint;
  /** Requests sent until the answer. */
  tries: number;
  elapsedMs: number;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1)
    throw new LinkError("bad-option", `${name}: ${v}, must be an integer ≥ 1`);
  return v;
}

/**
 * Discover the SECC. Resolves with the first valid SDP response; rejects with {@link SdpTimeoutError} after
 * `tries × tryTimeoutMs` without one, {@link LinkError} "bad-option"/"sdp-socket", or the abort reason.
 */
export async function sdpDiscover(opts: SdpDiscoverOptions): Promise<SdpDiscovery> {
  const log = opts.logger ?? silentLogger;
  const tries = positiveInt("tries", opts.tries ?? SDP_MAX_REQUESTS);
  const tryTimeoutMs = positiveInt("tryTimeoutMs", opts.tryTimeoutMs ?? SDP_REQUEST_TIMEOUT_MS);
  if (!opts.target && !opts.iface) {
    return Promise.reject(
      new LinkError("bad-option", "sdpDiscover: give iface (multicast) or target (unicast)"),
    );
  }
  const target = opts.target ?? `${SDP_MULTICAST_ADDRESS}%${opts.iface}`;
  const port = opts.port ?? SDP_SERVER_PORT;
  const request = encodeSdpRequest({
    security: opts.security,
    transport: opts.transport ?? SDP_TRANSPORT_TCP,
  });
  const where = `[${target}]:${port}`;

  return await new Promise((resolve, reject) => {
    const sock = createSocket({ type: "udp6", ipv6Only: true });
    let sent = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastSendError: Error | undefined;
    let done = false;
    const t0 = performance.now();
    const finish = (err: unknown, value?: SdpDiscovery) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      sock.close();
      if (err) reject(err);
      else resolve(value!);
    };
    const onAbort = () => finish(opts.signal?.reason ?? new Error("aborted"));
    if (opts.signal?.aborted) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener("abort", onAbort);

    const sendOne = () => {
      if (done) return;
      if (sent >= tries) {
        log.warn({ target: where, tries }, `sdp: no response after ${tries} requests`);
        finish(
          new SdpTimeoutError(
            tries,
            tryTimeoutMs,
            where,
            lastSendError ? { cause: lastSendError } : undefined,
          ),
        );
        return;
      }
      sent++;
      sock.send(request, port, target, (err) => {
        if (err) {
          lastSendError = err;
          log.warn(
            { target: where, try: sent, err: err.message },
            `sdp: send to ${where} failed: ${err.message}`,
          );
        } else {
          log.debug({ target: where, try: sent }, `sdp: request ${sent}/${tries} sent`);
          opts.onDatagram?.("tx", request, localOf(sock), { address: target, port });
        }
      });
      timer = setTimeout(sendOne, tryTimeoutMs);
    };

    sock.on("message", (msg, rinfo) => {
      const from = `[${rinfo.address}]:${rinfo.port}`;
      opts.onDatagram?.("rx", new Uint8Array(msg), localOf(sock), {
        address: rinfo.address,
        port: rinfo.port,
      });
      let res: DecodedSdpResponse;
      try {
        res = decodeSdpResponse(new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
      } catch (e) {
        log.warn(
          { from, err: (e as Error).message },
          `sdp: ignoring datagram from ${from}: ${(e as Error).message}`,
        );
        return;
      }
      for (const w of res.warnings) log.warn({ from }, `sdp: response from ${from}: ${w}`);
      const host = withScope(formatIpv6(res.address), opts.iface);
      log.info({ from, host, port: res.port, security: res.security }, `sdp: SECC at [${host}]:${res.port}`);
      finish(undefined, {
        ...res,
        host,
        from: { address: rinfo.address, port: rinfo.port },
        tries: sent,
        elapsedMs: performance.now() - t0,
      });
    });
    sock.once("error", (e) => finish(new LinkError("sdp-socket", `sdp: socket: ${e.message}`, { cause: e })));
    sock.bind(0, opts.bindAddress ?? "::", () => {
      if (opts.iface && !opts.target) {
        try {
          sock.setMulticastInterface(`::%${opts.iface}`);
          // Link-local scope: the request must not leave the link.
          sock.setMulticastTTL(1);
        } catch (e) {
          finish(
            new LinkError("sdp-socket", `sdp: multicast on "${opts.iface}": ${(e as Error).message}`, {
              cause: e,
            }),
          );
          return;
        }
      }
      sendOne();
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
