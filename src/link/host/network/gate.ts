/**
 * The SECC's connection gate and its tally: which accepted V2G connections become the controller's, and
 * why the others were refused or dropped. Node-only code (it only sees {@link V2gConnection}s).
 *
 * With admission on, an accepted connection is held back from the controller until its first complete
 * V2GTP message is a decodable supportedAppProtocolReq (ISO 15118-2 §8.2 / DIN 70121 §9.2: the first
 * message the EVCC sends on a new connection) and the controller is ready for an EV (`ready()`). So a
 * stray connect-and-close, a port scanner or a garbage sender never reaches the controller: it cannot end
 * a session waiting for the real EV (nor trip it), and it never counts as a session.
 *
 * A connection counts as a session once the SECC answered its supportedAppProtocolReq with a successful
 * ResponseCode; every other one ends up in exactly one `refused` bucket.
 */
import { appHandshake } from "../../../codecs/index.js";
import { type V2gtpMessage, V2gtpPayloadType } from "../../../v2g/index.js";
import type { LinkLogger } from "../../logger.js";
import type { CloseInfo, ServerRefusal, V2gConnection } from "../../types.js";
import { endpointText } from "./shared.js";

/** Why a connection was refused or dropped before it became a session. */
export interface RefusedConnections {
  /** The TLS handshake failed, or the peer closed during it. */
  tlsHandshake: number;
  /** No TLS session / no complete V2GTP message within the setup bound, or a message left half sent. */
  idle: number;
  /** The peer closed (or the socket failed) before supportedAppProtocol succeeded. */
  closedBeforeSap: number;
  /** An invalid V2GTP header (version, payload type, length). */
  badV2gtp: number;
  /** The first message was not a decodable supportedAppProtocolReq. */
  notSap: number;
  /** supportedAppProtocol answered Failed_NoNegotiation (no common protocol). */
  sapFailed: number;
  /** No EV expected (nothing plugged, a trip, or energy transfer under way with another connection). */
  notReady: number;
  /** Too many connections pending at once: the oldest was dropped. */
  overload: number;
  /** Replaced by a newer connection before supportedAppProtocol succeeded. */
  replaced: number;
}

/** The V2G connections of an SECC since it started. */
export interface ConnectionTally {
  /** TCP connections accepted (TLS: including those whose handshake failed). */
  accepted: number;
  /** Connections on which supportedAppProtocol succeeded. */
  sessions: number;
  refused: RefusedConnections;
}

/** A tally at zero. */
export function emptyConnectionTally(): ConnectionTally {
  return {
    accepted: 0,
    sessions: 0,
    refused: {
      tlsHandshake: 0,
      idle: 0,
      closedBeforeSap: 0,
      badV2gtp: 0,
      notSap: 0,
      sapFailed: 0,
      notReady: 0,
      overload: 0,
      replaced: 0,
    },
  };
}

/** A deep copy (for a report). */
export function copyConnectionTally(t: ConnectionTally): ConnectionTally {
  return { ...t, refused: { ...t.refused } };
}

/** Total refused or dropped. */
export function refusedTotal(t: ConnectionTally): number {
  return Object.values(t.refused).reduce((a, b) => a + b, 0);
}

/** "2 accepted, 1 session; refused: idle 1" (only the non-zero buckets). */
export function formatConnectionTally(t: ConnectionTally): string {
  const r = Object.entries(t.refused).filter(([, n]) => n > 0);
  const refused = r.length === 0 ? "none refused" : `refused: ${r.map(([k, n]) => `${k} ${n}`).join(", ")}`;
  return `${t.accepted} accepted, ${t.sessions} session${t.sessions === 1 ? "" : "s"}; ${refused}`;
}

/** The bucket of a connection closed before it became a session; null: not counted (our shutdown). */
export function refusalOf(info: CloseInfo): keyof RefusedConnections | null {
  switch (info.code) {
    case "setup-timeout":
    case "read-timeout":
    case "idle-timeout":
      return "idle";
    case "protocol-error":
      return "badV2gtp";
    case "peer-closed":
    case "socket-error":
    case "local":
      return "closedBeforeSap";
    case "server-close":
      return null;
  }
}

/** The bucket of a connection the server dropped before handing it over. */
export function serverRefusalOf(r: ServerRefusal): keyof RefusedConnections {
  return r.kind === "setup-timeout" ? "idle" : r.kind === "overload" ? "overload" : "tlsHandshake";
}

/** True when `m` is a V2GTP EXI message holding a decodable supportedAppProtocolReq. */
export function isSapRequest(m: V2gtpMessage): boolean {
  if (m.payloadType !== V2gtpPayloadType.exi) return false;
  try {
    return "supportedAppProtocolReq" in appHandshake.decodeDocument(m.payload);
  } catch {
    return false;
  }
}

/** The ResponseCode of an encoded supportedAppProtocolRes; null when it does not decode as one. */
export function sapResponseCode(bytes: Uint8Array): string | null {
  try {
    const doc = appHandshake.decodeDocument(bytes);
    return "supportedAppProtocolRes" in doc ? doc.supportedAppProtocolRes.ResponseCode : null;
  } catch {
    return null;
  }
}

/**
 * At most this many accepted connections may wait for their first message at once; one more drops the
 * oldest. Design choice, as LINK_MAX_PENDING_HANDSHAKES for TLS handshakes.
 */
export const GATE_MAX_PENDING = 16;

/** Options of {@link ConnectionGate}. */
export interface GateOptions {
  /** Hold connections until a supportedAppProtocolReq (see the module comment); off: adopt at once. */
  admission?: { ready(): boolean } | undefined;
  /** Hand a connection to the controller, with its first message when it was held back. */
  adopt(conn: V2gConnection, first: V2gtpMessage | null): void;
  log: LinkLogger;
}

/** Counts the connections of an SECC and, with admission, holds them until they have shown they are EVs. */
export class ConnectionGate {
  readonly tally = emptyConnectionTally();
  private readonly pending = new Set<V2gConnection>();
  /** Connections already counted (session or refusal). */
  private readonly counted = new WeakSet<V2gConnection>();
  private current: V2gConnection | null = null;
  private shut = false;

  constructor(private readonly o: GateOptions) {}

  /** The server dropped a connection before handing it over. */
  serverRefused(r: ServerRefusal): void {
    if (this.shut) return;
    this.tally.accepted++;
    this.tally.refused[serverRefusalOf(r)]++;
  }

  /** A connection was accepted (TLS: after its handshake). */
  accept(conn: V2gConnection): void {
    if (this.shut) {
      conn.close("network port closed");
      return;
    }
    this.tally.accepted++;
    void conn.closed.then((info) => this.closed(conn, info));
    if (!this.o.admission) {
      this.promote(conn, null);
      return;
    }
    this.pending.add(conn);
    for (const old of this.pending) {
      if (this.pending.size <= GATE_MAX_PENDING) break;
      this.refuse(old, "overload", `${GATE_MAX_PENDING} connections waiting for supportedAppProtocolReq`);
    }
    const off = conn.onMessage((m) => {
      off();
      if (!this.pending.delete(conn) || conn.isClosed) return;
      if (!isSapRequest(m))
        this.refuse(conn, "notSap", "first message is not a supportedAppProtocolReq (ISO 15118-2 §8.2)");
      else if (!this.o.admission?.ready()) this.refuse(conn, "notReady", "no EV expected on this EVSE now");
      else this.promote(conn, m);
    });
  }

  /** The SECC sent a supportedAppProtocolRes on the current connection: a session, or a failed negotiation. */
  sapAnswered(bytes: Uint8Array): void {
    const conn = this.current;
    if (!conn || this.counted.has(conn)) return;
    const code = sapResponseCode(bytes);
    if (code === null) return;
    this.counted.add(conn);
    if (code.startsWith("OK")) this.tally.sessions++;
    else this.tally.refused.sapFailed++;
  }

  /** Stop: pending connections are closed (not counted). */
  shutdown(): void {
    this.shut = true;
    for (const c of [...this.pending]) {
      this.pending.delete(c);
      this.counted.add(c);
      c.close("network port closed");
    }
  }

  private promote(conn: V2gConnection, first: V2gtpMessage | null): void {
    const old = this.current;
    if (old && !old.isClosed && !this.counted.has(old)) {
      this.counted.add(old);
      this.tally.refused.replaced++;
    }
    this.current = conn;
    this.o.adopt(conn, first);
  }

  private refuse(conn: V2gConnection, why: keyof RefusedConnections, detail: string): void {
    this.pending.delete(conn);
    if (!this.counted.has(conn)) {
      this.counted.add(conn);
      this.tally.refused[why]++;
    }
    this.o.log.warn(
      { conn: conn.id, remote: endpointText(conn.remote), refused: why },
      `evse: V2G ${conn.id} from ${endpointText(conn.remote)} refused (${why}): ${detail}`,
    );
    conn.close(`refused: ${detail}`);
  }

  private closed(conn: V2gConnection, info: CloseInfo): void {
    this.pending.delete(conn);
    if (this.current === conn) this.current = null;
    if (this.counted.has(conn) || this.shut) return;
    this.counted.add(conn);
    const why = refusalOf(info);
    if (why) this.tally.refused[why]++;
  }
}
