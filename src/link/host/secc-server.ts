/**
 * SeccServer: one process serving many sessions — a TCP or TLS V2G server that runs one SECC
 * machine per accepted connection ({@link runSeccSession}), optionally with the SDP server advertising it.
 * A connection that fails (bad header, decode error, stall, TLS refusal) ends only its own session.
 */

import type { Clock } from "../../machine/index.js";
import type { SeccConfig } from "../../v2g/index.js";
import { type LinkLogger, silentLogger } from "../logger.js";
import { type SdpServer, startSdpServer } from "../sdp-server.js";
import { startTcpServer } from "../tcp.js";
import { startTlsServer, type TlsServerConfig } from "../tls.js";
import type { LinkEndpoint, ReceiveOptions, V2gServer } from "../types.js";
import type { SeccPlantOptions } from "./plants.js";
import { runSeccSession, type SeccSession } from "./secc-session.js";
import type { ChargeMode, SessionSummary } from "./summary.js";
import { type HostWireTap, sdpTap } from "./wire-tap.js";

/** Options of {@link startSeccServer}. */
export interface SeccServerOptions extends ReceiveOptions {
  /** Address to listen on: the link-local address with "%iface", or "::1". */
  host: string;
  /** TCP port; omitted → random in 49152–65535; 0 → any. */
  port?: number;
  /** Serve TLS 1.2 with this material instead of plain TCP. */
  tls?: TlsServerConfig;
  mode: ChargeMode;
  config?: Partial<SeccConfig>;
  plant?: Omit<SeccPlantOptions, "ac">;
  cp?: "sim" | "none";
  /** Also answer SDP: advertise `address` (default: `host` without zone) from UDP `port` (default 15118). */
  sdp?: { address?: string; port?: number; bindAddress?: string; iface?: string; allowAnyPort?: boolean };
  timers?: Clock;
  /** Wire tap (`--pcap`): the SDP datagrams and every session's V2GTP messages, open and close. */
  tap?: HostWireTap;
}

/** A running SECC server. */
export interface SeccServer {
  readonly local: LinkEndpoint;
  readonly transport: "tcp" | "tls";
  /** UDP port of the SDP server, when one runs. */
  readonly sdpPort: number | undefined;
  /** Sessions in progress. */
  readonly active: ReadonlySet<SeccSession>;
  /** Summaries of finished sessions, in the order they ended. */
  readonly finished: readonly SessionSummary[];
  /** Called for each new session (after the TLS handshake for TLS). Returns an unsubscribe function. */
  onSession(cb: (s: SeccSession) => void): () => void;
  /** Called with each finished session's summary. Returns an unsubscribe function. */
  onSummary(cb: (s: SessionSummary) => void): () => void;
  /** Stop listening and answering SDP, close open sessions, wait for their summaries. */
  close(): Promise<void>;
}

/** Start an SECC server. */
export async function startSeccServer(o: SeccServerOptions): Promise<SeccServer> {
  const log: LinkLogger = o.logger ?? silentLogger;
  const listen = { ...o, host: o.host, ...(o.port !== undefined ? { port: o.port } : {}) };
  const server: V2gServer = o.tls
    ? await startTlsServer({ ...listen, tls: o.tls })
    : await startTcpServer(listen);
  let sdp: SdpServer | undefined;
  if (o.sdp) {
    try {
      const address = o.sdp.address ?? o.host.replace(/%.*$/, "");
      sdp = await startSdpServer({
        address,
        ports: o.tls ? { tls: server.local.port } : { tcp: server.local.port },
        ...(o.sdp.port !== undefined ? { port: o.sdp.port } : {}),
        ...(o.sdp.bindAddress !== undefined ? { bindAddress: o.sdp.bindAddress } : {}),
        ...(o.sdp.iface !== undefined ? { iface: o.sdp.iface } : {}),
        allowAnyPort: o.sdp.allowAnyPort ?? o.port === 0,
        ...(o.tap ? { onDatagram: sdpTap(o.tap) } : {}),
        logger: log,
      });
    } catch (e) {
      await server.close();
      throw e;
    }
  }
  const active = new Set<SeccSession>();
  const finished: SessionSummary[] = [];
  const sessionCbs = new Set<(s: SeccSession) => void>();
  const summaryCbs = new Set<(s: SessionSummary) => void>();
  const pending = new Set<Promise<unknown>>();
  server.onConnection((conn) => {
    const s = runSeccSession(conn, {
      mode: o.mode,
      ...(o.config ? { config: o.config } : {}),
      ...(o.plant ? { plant: o.plant } : {}),
      ...(o.cp ? { cp: o.cp } : {}),
      ...(o.timers ? { timers: o.timers } : {}),
      ...(o.tap ? { tap: o.tap } : {}),
      logger: log,
    });
    active.add(s);
    const p = s.done.then((sum) => {
      active.delete(s);
      pending.delete(p);
      finished.push(sum);
      log.info(
        { conn: sum.conn, stopReason: sum.stopReason, close: sum.close.code, messages: sum.messages },
        `secc: session on ${sum.conn} ended: ${sum.stopReason ?? sum.close.code}`,
      );
      for (const cb of [...summaryCbs]) cb(sum);
    });
    pending.add(p);
    for (const cb of [...sessionCbs]) cb(s);
  });
  return {
    local: server.local,
    transport: o.tls ? "tls" : "tcp",
    sdpPort: sdp?.port,
    active,
    finished,
    onSession(cb) {
      sessionCbs.add(cb);
      return () => sessionCbs.delete(cb);
    },
    onSummary(cb) {
      summaryCbs.add(cb);
      return () => summaryCbs.delete(cb);
    },
    async close() {
      await Promise.all([server.close(), sdp?.close()]);
      await Promise.all([...pending]);
    },
  };
}
