/**
 * Pieces shared by the live network ports of the EVSE and the EV controller (evse-network.ts,
 * ev-network.ts): the SLAC frame port adapter (decode on receive, encode on send, wire tap), the one V2G
 * connection slot (events tagged by connection) and the counters. Node-only code.
 */
import { decodeSlacFrame, encodeSlacFrame, type SlacFrame } from "../../../slac/index.js";
import type { FramePort } from "../../../slac/run/index.js";
import type { V2gtpMessage } from "../../../v2g/index.js";
import type { LinkLogger } from "../../logger.js";
import type { LinkEndpoint, V2gConnection } from "../../types.js";
import { type HostWireTap, tapFramePort, v2gtpTapEvents } from "../wire-tap.js";

/** Counters of a live network port. */
export interface NetworkStats {
  /** SLAC frames sent / received (decoded) / received but undecodable (counted, then ignored). */
  slacSent: number;
  slacReceived: number;
  slacUndecodable: number;
  /** `slac-send` effects dropped (no SLAC port, or the send failed). */
  slacDropped: number;
  /** SDP datagrams sent / received, and `sdp-*` effects that could not be sent. */
  sdpSent: number;
  sdpReceived: number;
  sdpDropped: number;
  /** V2G connections adopted (accepted / connected). */
  v2gConnections: number;
  /** V2GTP messages sent / received on the current connection. */
  v2gSent: number;
  v2gReceived: number;
  /** `v2g-send` effects with no open connection (logged and dropped). */
  v2gDropped: number;
}

/** All counters at zero. */
export function emptyNetworkStats(): NetworkStats {
  return {
    slacSent: 0,
    slacReceived: 0,
    slacUndecodable: 0,
    slacDropped: 0,
    sdpSent: 0,
    sdpReceived: 0,
    sdpDropped: 0,
    v2gConnections: 0,
    v2gSent: 0,
    v2gReceived: 0,
    v2gDropped: 0,
  };
}

/** Network events common to both controllers (each side adds its own SDP event). */
export type CommonNetworkEvent =
  | { kind: "v2g-connected"; tMs: number; tls?: "1.2" | "1.3"; peerCertSha512?: string }
  | { kind: "v2g-message"; payloadType: number; bytes: Uint8Array; tMs: number }
  | { kind: "v2g-closed"; reason: string; tMs: number };

/**
 * Test-only hook at the wire of a V2G connection (the conformance tester, src/conformance): it sees the
 * controller's outgoing V2GTP messages before the socket and what arrives before the controller, and may
 * change, hold, repeat or replace them, or keep a connection open that the controller closes. Absent in
 * normal runs.
 */
export interface V2gWireHook {
  /** The controller's outgoing message on `conn`: the hook sends it (changed, repeated, raw) or holds it. */
  send(conn: V2gConnection, m: { payloadType: number; bytes: Uint8Array; name: string }): void;
  /** A message arrived on `conn` (after the wire tap saw it); false: the controller does not see it. */
  receive?(conn: V2gConnection, m: V2gtpMessage): boolean;
  /** The controller closes `conn`; true: the hook keeps it open (and closes it itself later). */
  close?(conn: V2gConnection, reason: string): boolean;
  /** `conn` is closed; false: the controller is not told (it goes on waiting for its response). */
  closed?(conn: V2gConnection): boolean;
}

/** Context handed to the shared pieces. */
export interface NetworkContext {
  push(ev: CommonNetworkEvent): void;
  now(): number;
  tap?: HostWireTap | undefined;
  log: LinkLogger;
  stats: NetworkStats;
  /** Log prefix: "evse" / "ev". */
  side: string;
  /** Test-only wire hook (the conformance tester); absent in normal runs. */
  hook?: V2gWireHook | undefined;
}

/** The SLAC side of a network port. */
export interface SlacLink {
  send(frame: SlacFrame): void;
  detach(): void;
}

/**
 * Attach to a SLAC frame port (ISO 15118-3 via HomePlug AV MMEs, EtherType 0x88E1): every received frame
 * is decoded and handed to `onFrame`; a frame the codec refuses is counted and ignored, never thrown.
 * `port` null: no SLAC on this link; `slac-send` effects are counted as dropped.
 */
export function attachSlac(
  port: FramePort | null,
  ctx: NetworkContext,
  onFrame: (frame: SlacFrame) => void,
): SlacLink {
  if (!port) {
    return {
      send: () => {
        ctx.stats.slacDropped++;
        ctx.log.debug({}, `${ctx.side}: slac-send dropped: no SLAC on this link`);
      },
      detach: () => {},
    };
  }
  const p = ctx.tap ? tapFramePort(port, ctx.tap) : port;
  let attached = true;
  const off = p.onFrame((bytes) => {
    if (!attached) return;
    let frame: SlacFrame;
    try {
      frame = decodeSlacFrame(bytes);
    } catch (e) {
      ctx.stats.slacUndecodable++;
      ctx.log.debug(
        { bytes: bytes.length, err: (e as Error).message },
        `${ctx.side}: undecodable SLAC frame ignored`,
      );
      return;
    }
    ctx.stats.slacReceived++;
    onFrame(frame);
  });
  return {
    send(frame) {
      if (!attached) return;
      try {
        p.send(encodeSlacFrame(frame));
        ctx.stats.slacSent++;
      } catch (e) {
        // Design choice: a failing frame port is logged, never thrown into the controller host.
        ctx.stats.slacDropped++;
        ctx.log.warn({ err: (e as Error).message }, `${ctx.side}: slac-send failed: ${(e as Error).message}`);
      }
    },
    detach() {
      attached = false;
      off();
    },
  };
}

/**
 * The one V2G connection of a controller (design choice: one TCP/TLS connection per session, as
 * ISO 15118-2 §7.7 / DIN 70121 have it). Each accepted or connected connection gets a generation; events
 * of a connection that is no longer current (replaced, closed locally, or the port shut down) are dropped,
 * so a replaced connection's close never reads as the close of its successor. The wire tap sees every
 * connection regardless.
 */
export class V2gSlot {
  private current: V2gConnection | null = null;
  private gen = 0;
  private shut = false;
  constructor(private readonly ctx: NetworkContext) {}

  /** The open current connection, if any. */
  get connection(): V2gConnection | null {
    return this.current;
  }

  /** Start a new generation: the current connection (if any) is closed without an event. */
  next(reason: string): number {
    this.gen++;
    const old = this.current;
    this.current = null;
    if (old && !this.ctx.hook?.close?.(old, reason)) old.close(reason);
    return this.gen;
  }

  /**
   * Take `conn` as the current connection of generation `gen`; a stale one is closed at once. `first`: a
   * message already received on it (held back until now), delivered right after `v2g-connected`.
   */
  adopt(conn: V2gConnection, gen: number, first: V2gtpMessage | null = null): void {
    if (this.shut || gen !== this.gen) {
      conn.close("superseded");
      return;
    }
    const { ctx } = this;
    this.current = conn;
    ctx.stats.v2gConnections++;
    const wire = ctx.tap ? v2gtpTapEvents(conn, ctx.tap) : null;
    wire?.open();
    ctx.log.info(
      { conn: conn.id, remote: endpointText(conn.remote) },
      `${ctx.side}: V2G ${conn.transport} connection ${conn.id} with ${endpointText(conn.remote)}`,
    );
    const tls = tlsVersionOf(conn.tls?.protocol);
    const peerCertSha512 = conn.tls?.peerCertSha512;
    ctx.push({
      kind: "v2g-connected",
      tMs: ctx.now(),
      ...(tls && { tls }),
      ...(peerCertSha512 && { peerCertSha512 }),
    });
    const receive = (m: V2gtpMessage) => {
      wire?.message("rx", m);
      if (this.current !== conn) return;
      if (ctx.hook?.receive && !ctx.hook.receive(conn, m)) return;
      ctx.stats.v2gReceived++;
      ctx.push({ kind: "v2g-message", payloadType: m.payloadType, bytes: m.payload.slice(), tMs: ctx.now() });
    };
    if (first) receive(first);
    conn.onMessage(receive);
    void conn.closed.then((info) => {
      wire?.close(info.code);
      if (this.current !== conn) return;
      this.current = null;
      ctx.log.info({ conn: conn.id, code: info.code }, `${ctx.side}: ${conn.id} closed: ${info.reason}`);
      if (ctx.hook?.closed && !ctx.hook.closed(conn)) return;
      ctx.push({ kind: "v2g-closed", reason: `${info.code}: ${info.reason}`, tMs: ctx.now() });
    });
  }

  /** A connect attempt of generation `gen` failed: `v2g-closed` if it is still the current one. */
  fail(gen: number, reason: string): void {
    if (this.shut || gen !== this.gen) return;
    this.ctx.log.warn({ reason }, `${this.ctx.side}: V2G ${reason}`);
    this.ctx.push({ kind: "v2g-closed", reason, tMs: this.ctx.now() });
  }

  /** Carry out `v2g-send`: frame as V2GTP and send; with no open connection logged and dropped. */
  send(payloadType: number, bytes: Uint8Array, name: string): void {
    const { ctx } = this;
    const conn = this.current;
    if (!conn || conn.isClosed) {
      ctx.stats.v2gDropped++;
      ctx.log.warn({ name }, `${ctx.side}: v2g-send ${name} dropped: no open V2G connection`);
      return;
    }
    try {
      if (ctx.hook) ctx.hook.send(conn, { payloadType, bytes, name });
      else conn.send(payloadType, bytes);
    } catch (e) {
      ctx.stats.v2gDropped++;
      ctx.log.warn({ name, err: (e as Error).message }, `${ctx.side}: v2g-send ${name} failed`);
      return;
    }
    ctx.stats.v2gSent++;
    // with a hook, what went on the wire is the hook's to report
    if (ctx.tap && !ctx.hook) v2gtpTapEvents(conn, ctx.tap).message("tx", { payloadType, payload: bytes });
  }

  /** Carry out `v2g-close`: close the current connection (no event on this side) and cancel a connect. */
  close(reason: string): void {
    this.next(reason);
  }

  /** Shut down: close the current connection; nothing more is pushed. */
  shutdown(): void {
    this.shut = true;
    this.next("network port closed");
  }
}

/** "[addr]:port" for logs. */
export function endpointText(e: LinkEndpoint): string {
  return `[${e.address}]:${e.port}`;
}

/** The bound address of a UDP socket for the wire tap ("::" port 0 once it is closed). */
export function boundEndpoint(sock: { address(): { address: string; port: number } }): LinkEndpoint {
  try {
    const a = sock.address();
    return { address: a.address, port: a.port };
  } catch {
    return { address: "::", port: 0 };
  }
}

/** "1.2" / "1.3" from Node's TLS protocol name ("TLSv1.3"), or undefined for plain TCP and other versions. */
export function tlsVersionOf(protocol: string | undefined): "1.2" | "1.3" | undefined {
  return protocol === "TLSv1.3" ? "1.3" : protocol === "TLSv1.2" ? "1.2" : undefined;
}
