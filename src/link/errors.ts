/**
 * Named errors of the transport layer. Each carries a `code` and, where there is one, the
 * underlying `cause` (a Node socket/TLS error or a {@link V2gtpError}).
 */
import { NacsError } from "../errors.js";

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
export class LinkError extends NacsError<LinkErrorCode> {
  override readonly name = "LinkError";
}

/**
 * The EVCC refused the SECC's certificate chain (ISO 15118-2 §7.7.3.x: the EVCC validates the SECC chain up
 * to a trusted V2G root). `code` is OpenSSL's verification code as Node reports it, e.g.
 * "CERT_HAS_EXPIRED", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
 * "SELF_SIGNED_CERT_IN_CHAIN", "CERT_NOT_YET_VALID".
 */
export class TlsTrustError extends NacsError<string> {
  override readonly name = "TlsTrustError";
}

/** No SDP response arrived within `tries × tryTimeoutMs` (EcoG-io/iso15118 SDP practice: 50 × 250 ms). */
export class SdpTimeoutError extends NacsError<"sdp-timeout"> {
  override readonly name = "SdpTimeoutError";
  readonly tries: number;
  readonly tryTimeoutMs: number;
  constructor(tries: number, tryTimeoutMs: number, target: string, options?: { cause?: unknown }) {
    const why = options?.cause instanceof Error ? ` (last send error: ${options.cause.message})` : "";
    super(
      "sdp-timeout",
      `sdp: no valid response from ${target} after ${tries} requests × ${tryTimeoutMs} ms${why}`,
      options,
    );
    this.tries = tries;
    this.tryTimeoutMs = tryTimeoutMs;
  }
}
