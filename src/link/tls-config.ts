/**
 * Configuration of the TLS V2G transport (`tls.ts`): the SECC's chains (one per V2G root, [V2G2-871]) and
 * OCSP staples, the ISO 15118-20 TLS 1.3 material, the EVCC's trust and OCSP mode.
 */
import type { PeerCertificate } from "node:tls";
import type { OcspMode } from "./tls-ocsp.js";
import type { TlsVersion } from "./tls13.js";

/** PEM text. */
export type Pem = string | Buffer;

/** SECC TLS material. */
export interface TlsServerConfig {
  /** SECC leaf private key (PEM). */
  key: Pem;
  /** SECC leaf certificate followed by the CPO sub-CA certificates (PEM, leaf first, root omitted). */
  cert: Pem;
  /** Override the cipher list (default {@link ISO15118_2_TLS_CIPHERS}). */
  ciphers?: string;
  /** Append NSS key-log lines to this file. */
  keylogFile?: string;
  /**
   * Drop a connection whose handshake has not finished this long after accept (ms; default the server's
   * `setupTimeoutMs`, itself {@link LINK_TLS_HANDSHAKE_TIMEOUT_MS} by default; 0 = no bound).
   */
  handshakeTimeoutMs?: number;
  /** At most this many handshakes pending at once; one more drops the oldest (default {@link LINK_MAX_PENDING_HANDSHAKES}). */
  maxPendingHandshakes?: number;
  /**
   * TLS versions accepted (default ["1.2"]): "1.2" serves `key`/`cert` with the ISO 15118-2 profile,
   * "1.3" serves `tls13` with the ISO 15118-20 profile; both → chosen per connection by the ClientHello
   * (TLS 1.3 when the client offers it).
   */
  versions?: readonly TlsVersion[];
  /** ISO 15118-20 TLS 1.3 material and profile; required when `versions` includes "1.3". */
  tls13?: Tls13ServerConfig;
  /**
   * The V2G root `cert` is anchored at (PEM): lets a `trusted_ca_keys` entry name it ([V2G2-871]). Without
   * it the default chain is still sent when no entry names another chain ([V2G2-923]).
   */
  root?: Pem;
  /** OCSP response (DER) for the leaf of `cert`, stapled when the client sends status_request (RFC 6066 §8). */
  ocsp?: OcspStaple;
  /**
   * More TLS 1.2 server chains, one per V2G root ([V2G2-871]): the ClientHello's `trusted_ca_keys` picks
   * one; `key`/`cert` stay the default chain ([V2G2-923]).
   */
  chains?: readonly SeccChain[];
  /**
   * Renewal of the default TLS 1.2 chain while the server runs (OCPP 2.0.1 A02 / A03 CertificateSigned):
   * called once with a function that replaces its key and certificate chain for the next handshakes
   * (connections already up keep theirs).
   */
  swap?: (replace: (c: { key: Pem; cert: Pem }) => void) => void;
}

/**
 * An OCSP response (DER OCSPResponse, RFC 6960 §4.2.1) to staple, or a function returning the current one
 * (called on each status_request, so a long-running SECC can refresh it; undefined = staple nothing).
 */
export type OcspStaple = Uint8Array | (() => Uint8Array | undefined);

/** One SECC server chain with the V2G root it is anchored at ([V2G2-871]). */
export interface SeccChain {
  /** leaf private key (PEM) */
  key: Pem;
  /** leaf followed by its sub-CAs (PEM, root omitted) */
  cert: Pem;
  /** the root the chain is anchored at (PEM) */
  root: Pem;
  /** OCSP response for the leaf */
  ocsp?: OcspStaple;
}

/** SECC TLS 1.3 (ISO 15118-20) material and profile overrides. */
export interface Tls13ServerConfig {
  /** SECC -20 leaf private key (P-521 or Ed448, PEM). */
  key: Pem;
  /** SECC -20 leaf followed by its CPO Sub-CAs (PEM, leaf first, root omitted). */
  cert: Pem;
  /** Roots a vehicle certificate may chain to (OEM and/or V2G roots, [V2G20-2339]). */
  clientCa?: Pem | Pem[];
  /**
   * Refuse a client without a valid vehicle certificate (default {@link ISO15118_20_REQUIRE_CLIENT_CERT}).
   * false: the CertificateRequest is still sent ([V2G20-2400]), a client without a certificate is served.
   */
  requireClientCert?: boolean;
  /** Defaults: {@link ISO15118_20_TLS_CIPHERS}, {@link ISO15118_20_TLS_GROUPS}, {@link ISO15118_20_TLS_SIGALGS}. */
  ciphers?: string;
  groups?: string;
  sigalgs?: string;
  /** As {@link TlsServerConfig.root}, {@link TlsServerConfig.ocsp}, {@link TlsServerConfig.chains}, for TLS 1.3. */
  root?: Pem;
  ocsp?: OcspStaple;
  chains?: readonly SeccChain[];
}

/** EVCC TLS trust settings. */
export interface TlsClientConfig {
  /** Trusted V2G root certificate(s) (PEM). Nothing else is trusted (no system store). */
  ca: Pem | Pem[];
  ciphers?: string;
  keylogFile?: string;
  /**
   * Extra check of the SECC leaf after chain validation; return an Error to refuse. Default: none. There is
   * no hostname check: the EVCC reaches the SECC by the address SDP returned, and the SECC certificate's CN
   * is its SECC ID / EVSEID, not a host name (ISO 15118-2 Annex F certificate profile).
   */
  checkSeccCertificate?: (cert: PeerCertificate) => Error | undefined;
  /**
   * TLS versions offered (default ["1.2"]). With "1.3" the ISO 15118-20 suites, groups and signature
   * schemes are offered too, and a TLS 1.3 session's SECC leaf must pass {@link checkIso20SeccCertificate}.
   * `ca` then holds the root(s) of the -20 SECC chain as well.
   */
  versions?: readonly TlsVersion[];
  /** Vehicle certificate chain (PEM, leaf first) and key for ISO 15118-20 mutual TLS. */
  cert?: Pem;
  key?: Pem;
  /** TLS 1.3 overrides (defaults as {@link Tls13ServerConfig}). */
  tls13Ciphers?: string;
  groups?: string;
  sigalgs?: string;
  /**
   * OCSP stapling ({@link OcspMode}, default "off"): "prefer"/"require" send status_request and check the
   * stapled response about the SECC leaf; "require" aborts without one ([V2G2-873]). See `tls-ocsp.ts`.
   */
  ocsp?: OcspMode;
  /** Clock for the OCSP validity window (ms since the epoch; default Date.now). */
  now?: () => number;
}
