/**
 * Capture decoder: turns capture records into a stream of protocol events — SLAC MMEs
 * (EtherType 0x88E1), SDP datagrams (UDP 15118), and V2GTP messages from reassembled TCP streams (plain or,
 * with a {@link TlsDecryptorFactory} and secrets, TLS), each decoded with the codec its connection's
 * supportedAppProtocol handshake selected. Incremental: memory is bounded by the open connections, not by
 * the file. Nothing is dropped silently: undecodable payloads, junk bytes and capture gaps become events
 * with an `error` and the bytes as `hex`. Pure code. SLAC, SDP and capture-file events are built in
 * decoder-datagrams.ts.
 */
import { formatIpv6 } from "../v2g/index.js";
import {
  damageEvent,
  hexOf,
  isSdpDatagram,
  type SlacMacs,
  sdpEvent,
  slacEvent,
  unknownLinkEvent,
} from "./decoder-datagrams.js";
import type { CaptureDecoderOptions, CaptureDecoderStats, CaptureEvent, Party } from "./events.js";
import { ETHERTYPE_HOMEPLUG_AV, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from "./formats.js";
import {
  IPPROTO_TCP,
  IPPROTO_UDP,
  parseIpv4Packet,
  parseIpv6Packet,
  parseTcp,
  parseUdp,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
} from "./ip.js";
import { bytesToHex, KeyLog, keyLogTextOf } from "./keylog.js";
import { decodeLink, isSupportedLinkType } from "./link.js";
import type { CapturedDamage, CapturedPacket, CaptureRecord } from "./reader.js";
import { createTcpReassembler, type TcpReassembler, type TcpStreamPiece } from "./tcp-reassembly.js";
import type { TlsDecryptor, TlsPlaintext } from "./tls-types.js";
import { decodeV2gPayload, type SchemaState } from "./v2g-schema.js";
import { createV2gtpStream, type V2gtpPiece, type V2gtpStream } from "./v2gtp-stream.js";

export type {
  CaptureDecoderOptions,
  CaptureDecoderStats,
  CaptureEvent,
  CaptureLayer,
  Party,
} from "./events.js";

/** The decoder; see {@link createCaptureDecoder}. */
export interface CaptureDecoder {
  push(rec: CaptureRecord): CaptureEvent[];
  /** End of capture: flush every open connection. */
  end(): CaptureEvent[];
  readonly stats: Readonly<CaptureDecoderStats>;
  readonly keyLog: KeyLog;
}

interface Dir {
  reasm: TcpReassembler;
  kind?: "v2gtp" | "tls" | "other";
  framer: V2gtpStream;
  fin: boolean;
}

interface Conn {
  id: number;
  keys: [string, string];
  ports: [number, number];
  addrs: [Uint8Array, Uint8Array];
  /** Which side (0 = sender of the first packet seen) is the EV (the TCP client). */
  evSide?: 0 | 1;
  dirs: [Dir, Dir];
  schema: SchemaState;
  tls?: TlsDecryptor;
  tlsReported: boolean;
  /** Capture time of the last segment. */
  lastT: number;
}

/**
 * Seconds a connection is kept after FIN/RST (or silence) before it is flushed and forgotten, so late
 * retransmissions still land in the same byte stream (TCP's 2·MSL TIME-WAIT is of this order, RFC 9293
 * §3.4.2).
 */
export const TCP_LINGER_S = 120;

function keyOf(src: Uint8Array, sport: number, dst: Uint8Array, dport: number): string {
  return `${bytesToHex(src)}.${sport}>${bytesToHex(dst)}.${dport}`;
}

function endpoint(addr: Uint8Array, port: number): string {
  return addr.length === 16 ? `[${formatIpv6(addr)}]:${port}` : `${Array.from(addr).join(".")}:${port}`;
}

/** Create a capture decoder. */
export function createCaptureDecoder(opts: CaptureDecoderOptions = {}): CaptureDecoder {
  const keyLog = opts.keyLog ?? new KeyLog();
  const stats: CaptureDecoderStats = {
    packets: 0,
    connections: 0,
    tlsConnections: 0,
    v2gMessages: 0,
    v2gErrors: 0,
    sdp: 0,
    slac: 0,
    gaps: 0,
    keyLogLines: 0,
    damaged: 0,
    damagedBytes: 0,
    unknownLinkPackets: 0,
  };
  /** Interfaces already warned about for an unsupported link type. */
  const warnedLink = new Set<number>();
  let t0Sec: number | undefined;
  let t0Nsec = 0;
  let t = 0;
  let frame = 0;
  const byKey = new Map<string, { conn: Conn; side: 0 | 1 }>();
  const live = new Set<Conn>();
  const seccPorts = new Set<number>();
  const slacMacs: SlacMacs = { ev: new Set(), evse: new Set() };

  function partyOf(conn: Conn, side: 0 | 1): Party {
    if (conn.evSide === undefined) return "unknown";
    return conn.evSide === side ? "ev" : "evse";
  }

  function newConn(
    k0: string,
    k1: string,
    src: Uint8Array,
    sport: number,
    dst: Uint8Array,
    dport: number,
  ): Conn {
    const mk = (): Dir => ({ reasm: createTcpReassembler(), framer: createV2gtpStream(), fin: false });
    const conn: Conn = {
      id: ++stats.connections,
      keys: [k0, k1],
      ports: [sport, dport],
      addrs: [src.slice(), dst.slice()],
      dirs: [mk(), mk()],
      schema: opts.schema ? { forced: opts.schema } : {},
      tlsReported: false,
      lastT: t,
    };
    if (seccPorts.has(dport)) conn.evSide = 0;
    else if (seccPorts.has(sport)) conn.evSide = 1;
    byKey.set(k0, { conn, side: 0 });
    byKey.set(k1, { conn, side: 1 });
    live.add(conn);
    return conn;
  }

  function v2gEvent(
    conn: Conn,
    side: 0 | 1,
    piece: V2gtpPiece,
    out: CaptureEvent[],
    tls: boolean,
    at?: TlsPlaintext,
  ): void {
    const base = { t: at?.t ?? t, frame: at?.frame ?? frame, conn: conn.id };
    if (piece.kind === "junk") {
      stats.v2gErrors++;
      out.push({
        ...base,
        layer: "tcp",
        from: partyOf(conn, side),
        type: "junk",
        error: { message: `${piece.length} bytes skipped: ${piece.reason}`, code: "NOT_V2GTP" },
        hex: hexOf(piece.bytes),
        ...(tls ? { tls } : {}),
      });
      return;
    }
    stats.v2gMessages++;
    const d = decodeV2gPayload(conn.schema, piece.payloadType, piece.payload);
    if (conn.evSide === undefined && !d.error) {
      if (d.type.endsWith("Req")) conn.evSide = side;
      else if (d.type.endsWith("Res")) conn.evSide = side === 0 ? 1 : 0;
    }
    const ev: CaptureEvent = {
      ...base,
      layer: "v2g",
      from: partyOf(conn, side),
      type: d.type,
      payloadType: piece.payloadType,
    };
    if (d.schema) ev.schema = d.schema;
    if (d.message) ev.message = d.message;
    if (d.warnings) ev.warnings = d.warnings;
    if (conn.schema.guessed && d.schema !== "apphand") ev.schemaGuessed = true;
    if (tls) ev.tls = true;
    if (d.error) {
      ev.error = d.error;
      stats.v2gErrors++;
    }
    if (d.error || opts.hex) ev.hex = hexOf(piece.payload);
    out.push(ev);
  }

  function feedPlain(
    conn: Conn,
    side: 0 | 1,
    data: Uint8Array,
    out: CaptureEvent[],
    tls: boolean,
    at?: TlsPlaintext,
  ): void {
    for (const p of conn.dirs[side].framer.push(data)) v2gEvent(conn, side, p, out, tls, at);
  }

  function onTlsPlain(conn: Conn, plains: TlsPlaintext[], out: CaptureEvent[]): void {
    for (const p of plains) {
      const side: 0 | 1 = p.fromClient
        ? (conn.evSide ?? 0)
        : conn.evSide === undefined
          ? 1
          : conn.evSide === 0
            ? 1
            : 0;
      feedPlain(conn, side, p.data, out, true, p);
    }
  }

  function streamPiece(conn: Conn, side: 0 | 1, piece: TcpStreamPiece, out: CaptureEvent[]): void {
    const dir = conn.dirs[side];
    if (piece.kind === "gap") {
      stats.gaps++;
      out.push({
        t,
        frame,
        layer: "tcp",
        from: partyOf(conn, side),
        conn: conn.id,
        type: "gap",
        error: {
          message: `${piece.bytes} bytes of this TCP stream are missing from the capture`,
          code: "CAPTURE_GAP",
        },
      });
      if (dir.kind === "v2gtp")
        for (const p of dir.framer.gap(piece.bytes)) v2gEvent(conn, side, p, out, false);
      return;
    }
    const data = piece.data;
    if (dir.kind === undefined) {
      const other = conn.dirs[side === 0 ? 1 : 0].kind;
      if (data[0] === 0x16 && data[1] === 0x03) dir.kind = "tls";
      else if (other === "tls" && (data[0] ?? 0) >= 0x14 && (data[0] ?? 0) <= 0x17) dir.kind = "tls";
      else if (data[0] === 0x01 || other === "v2gtp") dir.kind = "v2gtp";
      else dir.kind = "other";
    }
    if (dir.kind === "other") {
      out.push({
        t,
        frame,
        layer: "tcp",
        from: partyOf(conn, side),
        conn: conn.id,
        type: "TcpData",
        message: { bytes: data.length, note: "not V2GTP or TLS (another protocol on this connection)" },
        hex: hexOf(data),
      });
      return;
    }
    if (dir.kind === "v2gtp") {
      feedPlain(conn, side, data, out, false);
      return;
    }
    // TLS
    if (!conn.tlsReported) {
      conn.tlsReported = true;
      stats.tlsConnections++;
      if (opts.tls) conn.tls = opts.tls(keyLog);
      out.push({
        t,
        frame,
        layer: "tls",
        from: partyOf(conn, side),
        conn: conn.id,
        type: "TlsConnection",
        message: {
          encrypted: true,
          decryptor: opts.tls ? "enabled (needs secrets)" : "none: give --tls-keylog",
        },
      });
    }
    if (conn.tls) {
      const fromClient = conn.evSide === undefined ? side === 0 : conn.evSide === side;
      onTlsPlain(conn, conn.tls.push(fromClient, data, t, frame), out);
    }
  }

  function closeConn(conn: Conn, out: CaptureEvent[]): void {
    if (!live.has(conn)) return;
    live.delete(conn);
    for (const side of [0, 1] as const) {
      const dir = conn.dirs[side];
      for (const p of dir.reasm.flush()) streamPiece(conn, side, p, out);
      if (dir.kind === "v2gtp") for (const p of dir.framer.flush()) v2gEvent(conn, side, p, out, false);
      else if (dir.kind === "tls" && conn.tls)
        for (const p of dir.framer.flush()) v2gEvent(conn, side, p, out, true);
    }
    if (conn.tls && conn.tls.info.pendingRecords > 0) {
      const i = conn.tls.info;
      out.push({
        t,
        frame,
        layer: "tls",
        from: "unknown",
        conn: conn.id,
        type: "TlsUndecrypted",
        error: {
          message: `${i.pendingRecords} TLS records not decrypted: ${i.error ?? `no secrets for client random ${i.clientRandom ? bytesToHex(i.clientRandom) : "(ClientHello not seen)"}`}`,
          code: "TLS_NO_KEYS",
        },
      });
    }
    for (const k of conn.keys) if (byKey.get(k)?.conn === conn) byKey.delete(k);
  }

  function onTcp(
    src: Uint8Array,
    dst: Uint8Array,
    seg: NonNullable<ReturnType<typeof parseTcp>>,
    out: CaptureEvent[],
  ): void {
    const k = keyOf(src, seg.srcPort, dst, seg.dstPort);
    let e = byKey.get(k);
    const syn = (seg.flags & TCP_SYN) !== 0;
    const ack = (seg.flags & TCP_ACK) !== 0;
    if (e && syn && !ack) {
      const r = e.conn.dirs[e.side].reasm;
      if (r.next !== undefined && r.next !== (seg.seq + 1) >>> 0) {
        closeConn(e.conn, out); // port reuse: a new connection
        e = undefined;
      }
    }
    if (!e) {
      evictIdle(out);
      const conn = newConn(k, keyOf(dst, seg.dstPort, src, seg.srcPort), src, seg.srcPort, dst, seg.dstPort);
      e = { conn, side: 0 };
      if (syn) conn.evSide = ack ? 1 : 0;
      const client = conn.evSide === 1 ? 1 : 0;
      out.push({
        t,
        frame,
        layer: "tcp",
        from: partyOf(conn, client),
        conn: conn.id,
        type: syn ? "TcpConnect" : "TcpConnection",
        message: {
          client: endpoint(conn.addrs[client], conn.ports[client]),
          server: endpoint(conn.addrs[1 - client]!, conn.ports[1 - client]!),
          ...(syn ? {} : { note: "picked up mid-stream (no SYN seen)" }),
        },
      });
    }
    const { conn, side } = e;
    conn.lastT = t;
    if (syn && conn.evSide === undefined) conn.evSide = ack ? (side === 0 ? 1 : 0) : side;
    const dir = conn.dirs[side];
    for (const p of dir.reasm.push(seg.seq, syn, seg.payload)) streamPiece(conn, side, p, out);
    if (ack) {
      const peer: 0 | 1 = side === 0 ? 1 : 0;
      const r = conn.dirs[peer].reasm;
      if (r.held > 0) for (const p of r.acked(seg.ack)) streamPiece(conn, peer, p, out);
    }
    if (seg.flags & TCP_RST) {
      if (!dir.fin)
        out.push({ t, frame, layer: "tcp", from: partyOf(conn, side), conn: conn.id, type: "TcpReset" });
      dir.fin = true;
    } else if (seg.flags & TCP_FIN && !dir.fin) {
      dir.fin = true;
      out.push({ t, frame, layer: "tcp", from: partyOf(conn, side), conn: conn.id, type: "TcpClose" });
    }
  }

  /** Flush connections silent for longer than {@link TCP_LINGER_S} (closed ones keep taking retransmissions until then). */
  function evictIdle(out: CaptureEvent[]): void {
    for (const c of live) if (t - c.lastT > TCP_LINGER_S) closeConn(c, out);
  }

  function onUdp(udp: NonNullable<ReturnType<typeof parseUdp>>, out: CaptureEvent[]): void {
    if (isSdpDatagram(udp)) {
      stats.sdp++;
      out.push(sdpEvent(udp, t, frame, seccPorts, opts.hex));
      return;
    }
    const p = udp.payload;
    const text = keyLogTextOf(p);
    if (text !== undefined) addSecrets(text, "udp", out);
  }

  function addSecrets(text: string, source: string, out: CaptureEvent[]): void {
    const n = keyLog.add(text);
    stats.keyLogLines += n;
    const labels = [
      ...new Set(
        text
          .split(/\r?\n/)
          .map((l) => l.split(" ")[0])
          .filter((l) => l),
      ),
    ];
    out.push({
      t,
      frame,
      layer: "tls",
      from: "unknown",
      type: "TlsSecrets",
      message: { source, labels, added: n },
    });
    if (n > 0) for (const c of live) if (c.tls) onTlsPlain(c, c.tls.retry(), out);
  }

  function onSlac(payload: Uint8Array, src: Uint8Array | undefined, out: CaptureEvent[]): void {
    stats.slac++;
    out.push(slacEvent(payload, src, t, frame, slacMacs, opts.hex));
  }

  /** A damaged stretch of the file the reader skipped (it resynchronised after it). */
  function onDamage(rec: CapturedDamage): CaptureEvent {
    stats.damaged++;
    stats.damagedBytes += rec.skipped;
    return damageEvent(rec, t, frame);
  }

  /** Packets of a link type we do not decode: counted, and one warning per interface. */
  function unknownLink(rec: CapturedPacket, out: CaptureEvent[]): void {
    stats.unknownLinkPackets++;
    if (warnedLink.has(rec.interfaceId)) return;
    warnedLink.add(rec.interfaceId);
    out.push(unknownLinkEvent(rec, t, frame));
  }

  function push(rec: CaptureRecord): CaptureEvent[] {
    const out: CaptureEvent[] = [];
    if (rec.kind === "secrets") {
      if (rec.text !== undefined) addSecrets(rec.text, "pcapng decryption secrets block", out);
      return out;
    }
    if (rec.kind === "damage") {
      out.push(onDamage(rec));
      return out;
    }
    stats.packets++;
    if ((stats.packets & 4095) === 0) evictIdle(out);
    frame = rec.index + 1;
    if (t0Sec === undefined) {
      t0Sec = rec.tsSec;
      t0Nsec = rec.tsNsec;
      stats.startTime = rec.tsSec + rec.tsNsec / 1e9;
    }
    t = rec.tsSec - t0Sec + (rec.tsNsec - t0Nsec) / 1e9;
    if (!isSupportedLinkType(rec.linkType)) {
      unknownLink(rec, out);
      return out;
    }
    const link = decodeLink(rec.linkType, rec.data);
    if (!link) return out;
    if (link.etherType === ETHERTYPE_HOMEPLUG_AV) {
      onSlac(link.payload, link.src, out);
      return out;
    }
    const ip =
      link.etherType === ETHERTYPE_IPV6
        ? parseIpv6Packet(link.payload)
        : link.etherType === ETHERTYPE_IPV4
          ? parseIpv4Packet(link.payload)
          : null;
    if (!ip || ip.fragment) return out;
    if (ip.protocol === IPPROTO_TCP) {
      const seg = parseTcp(ip.payload);
      if (seg) onTcp(ip.src, ip.dst, seg, out);
    } else if (ip.protocol === IPPROTO_UDP) {
      const udp = parseUdp(ip.payload);
      if (udp) onUdp(udp, out);
    }
    return out;
  }

  return {
    push,
    end() {
      const out: CaptureEvent[] = [];
      for (const c of [...live]) closeConn(c, out);
      return out;
    },
    stats,
    keyLog,
  };
}
