/**
 * The transport interface shared by TCP, TLS and in-memory links: a V2G connection carries
 * V2GTP messages `{payloadType, payload}` (ISO 15118-2 §7.8.3) in both directions.
 */
import type { V2gtpMessage } from "../v2g/index.js";
import type { LinkLogger } from "./logger.js";

/** Which transport a connection uses. */
export type LinkTransport = "tcp" | "tls" | "memory";

/** One end point of a connection. `address` is IPv6 text (with "%zone" for link-local) or a memory name. */
export interface LinkEndpoint {
  address: string;
  port: number;
}

/** Why a connection closed. */
export type CloseCode =
  /** `close()` was called on this end. */
  | "local"
  /** The peer closed (TCP FIN / memory peer closed). */
  | "peer-closed"
  /** A bad V2GTP header or a length over `maxPayload`; `error` is the {@link V2gtpError}. */
  | "protocol-error"
  /** A message started but did not complete within `readTimeoutMs`. */
  | "read-timeout"
  /** No byte arrived within `idleTimeoutMs`. */
  | "idle-timeout"
  /**
   * An accepted connection delivered no complete V2GTP message (with TLS: did not finish its handshake and
   * send one) within the server's `setupTimeoutMs` of being accepted.
   */
  | "setup-timeout"
  /** The socket failed (reset, write error). */
  | "socket-error"
  /** The server this connection belongs to was closed. */
  | "server-close";

/** How a connection ended; `closed` resolves with it (it never rejects). */
export interface CloseInfo {
  code: CloseCode;
  /** Human-readable reason (for `protocol-error`: the V2gtpError message). */
  reason: string;
  error?: Error;
}

/** Negotiated TLS parameters of a TLS connection. */
export interface TlsInfo {
  protocol: string;
  cipher: string;
  /** Subject CN of the peer's leaf certificate, if it sent one (the SECC ID / EVSEID for an SECC). */
  peerCommonName?: string;
  /**
   * Server side, when a client certificate was requested (ISO 15118-20 mutual TLS): true when the client
   * sent one that verified against the configured roots.
   */
  peerAuthorized?: boolean;
  /**
   * SHA-512 (hex) of the peer's leaf certificate (DER), when it sent one: an ISO 15118-20 SECC tells a resuming
   * EVCC by its vehicle certificate ([V2G20-2545]).
   */
  peerCertSha512?: string;
  /**
   * Client side, when OCSP stapling was asked for: "good" (a stapled response checked good) or "absent"
   * (none stapled, accepted in "prefer" mode).
   */
  ocsp?: "good" | "absent";
}

/** A V2G transport connection (TCP, TLS or in-memory). */
export interface V2gConnection {
  /** Short id for logs ("tcp#3"). */
  readonly id: string;
  readonly transport: LinkTransport;
  readonly local: LinkEndpoint;
  readonly remote: LinkEndpoint;
  /** Set for TLS connections once the handshake is done. */
  readonly tls?: TlsInfo;
  /** Frame `payload` with a V2GTP header and send it. Throws LinkError "closed" after close. */
  send(payloadType: number, payload: Uint8Array): void;
  /** Send bytes as they are (no framing) — for fault-injection tests and the simulator only. */
  sendRaw(bytes: Uint8Array): void;
  /**
   * Receive messages. Messages that arrive before the first consumer (callback or iterator) is attached
   * are queued and handed to it. Returns an unsubscribe function.
   */
  onMessage(cb: (msg: V2gtpMessage) => void): () => void;
  /** Async iteration over received messages; ends when the connection closes. */
  [Symbol.asyncIterator](): AsyncIterator<V2gtpMessage>;
  /** Close the connection (idempotent); `reason` is logged and reported in {@link CloseInfo}. */
  close(reason?: string): void;
  /** Resolves once, when the connection has closed for any reason. */
  readonly closed: Promise<CloseInfo>;
  readonly isClosed: boolean;
}

/**
 * A connection the server dropped before handing it to `onConnection`: the TLS handshake failed
 * (`tls-handshake`), did not finish within the setup bound (`setup-timeout`), or too many handshakes were
 * pending and this was the oldest (`overload`).
 */
export interface ServerRefusal {
  kind: "tls-handshake" | "setup-timeout" | "overload";
  remote: LinkEndpoint;
  detail: string;
}

/** A listening V2G server (SECC side). */
export interface V2gServer {
  readonly transport: LinkTransport;
  /** Where it listens (port is the actual port when 0 / dynamic was requested). */
  readonly local: LinkEndpoint;
  /** Register a handler for new connections (TLS: after the handshake). Returns an unsubscribe function. */
  onConnection(cb: (conn: V2gConnection) => void): () => void;
  /** Open connections. */
  readonly connections: ReadonlySet<V2gConnection>;
  /** Register a handler for connections dropped before `onConnection` (see {@link ServerRefusal}). */
  onRefused?(cb: (r: ServerRefusal) => void): () => void;
  /** Stop listening and close open connections (code "server-close"). */
  close(): Promise<void>;
}

/** Options common to every receiver. */
export interface ReceiveOptions {
  /** Largest accepted V2GTP payload; default V2GTP_DEFAULT_MAX_PAYLOAD (64 KiB). */
  maxPayload?: number;
  /** Accept payload types outside ISO 15118-2 §7.8.3 / ISO 15118-20 (default false: such a header closes the connection). */
  allowUnknownPayloadTypes?: boolean;
  /**
   * Close the connection when a message has started (≥ 1 byte) but is not complete after this many ms.
   * Default {@link LINK_READ_TIMEOUT_MS}; 0 disables.
   */
  readTimeoutMs?: number;
  /** Close the connection when no byte arrives for this many ms. Default 0 (off: the V2G state machines own
   * the sequence timeouts, e.g. V2G_SECC_Sequence_Timeout). */
  idleTimeoutMs?: number;
  logger?: LinkLogger;
}

/**
 * Default read timeout for a partly received V2GTP message. No normative figure exists (unconfirmed): a
 * stalled half message is abandoned after the EVCC's default message timeout (V2G_EVCC_Msg_Timeout 2 s,
 * EcoG-io/iso15118 timeouts.py) plus the SECC's 1.5 s performance time, rounded up to 5 s so slow links do
 * not trip it.
 */
export const LINK_READ_TIMEOUT_MS = 5000;
