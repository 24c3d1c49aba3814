/**
 * Named errors of the transport layer (issue 4 §2). Each carries a `code` and, where there is one, the
 * underlying `cause` (a Node socket/TLS error or a {@link V2gtpError}).
 */

/** Why a transport operation failed. */
export type LinkErrorCode =
  | "closed"
  | "connect-failed"
  | "listen-failed"
  | "no-interface"
  | "no-link-local"
  | "bad-option"
  | "tls-handshake"
  | "sdp-socket";

/** A transport failure other than TLS trust or SDP timeout; the message names the operation and the rule. */
export class LinkError extends Error {
  override readonly name = "LinkError";
  readonly code: LinkErrorCode;
  constructor(code: LinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The EVCC refused the SECC's certificate chain (ISO 15118-2 §7.7.3.x: the EVCC validates the SECC chain up
 * to a trusted V2G root). `code` is OpenSSL's verification code as Node reports it, e.g.
 * "CERT_HAS_EXPIRED", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
 * "SELF_SIGNED_CERT_IN_CHAIN", "CERT_NOT_YET_VALID".
 */
export class TlsTrustError extends Error {
  override readonly name = "TlsTrustError";
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** No SDP response arrived within `tries × tryTimeoutMs` (digest §6.2: 50 × 250 ms). */
export class SdpTimeoutError extends Error {
  override readonly name = "SdpTimeoutError";
  readonly code = "sdp-timeout";
  readonly tries: number;
  readonly tryTimeoutMs: number;
  constructor(tries: number, tryTimeoutMs: number, target: string, options?: { cause?: unknown }) {
    const why = options?.cause instanceof Error ? ` (last send error: ${options.cause.message})` : "";
    super(
      `sdp: no valid response from ${target} after ${tries} requests × ${tryTimeoutMs} ms${why}`,
      options,
    );
    this.tries = tries;
    this.tryTimeoutMs = tryTimeoutMs;
  }
}
