/**
 * EVCC side of OCSP stapling on the SECC's TLS session (ISO 15118-2 [V2G2-871..876]).
 *
 * ISO 15118-2 names `status_request_v2` (RFC 6961, ext 17, `ocsp_multi`: one response per certificate of
 * the chain). Node's TLS (OpenSSL 3) has no status_request_v2 on either side: the client sends
 * `status_request` (RFC 6066 §8, ext 5) with `requestOCSP`, the server staples one response — the leaf's —
 * through its 'OCSPRequest' event. So we ask for and check the leaf's status only; the Sub-CAs' status is
 * not carried.
 *
 * Modes: "off" (nothing asked), "prefer" (ask; a missing response is accepted, a bad or revoked one is
 * not), "require" (ask; no response, or an unusable one, aborts: [V2G2-873] has an EVCC that asked, got
 * none and holds a V2G-root chain close the connection). The check runs when the handshake has finished,
 * before any V2G message; the connection is destroyed on refusal.
 */
import type { TLSSocket } from "node:tls";
import { TlsTrustError } from "./errors.js";

/** What the EVCC does about OCSP stapling. */
export type OcspMode = "require" | "prefer" | "off";
/** Every {@link OcspMode}. */
export const OCSP_MODES: readonly OcspMode[] = ["require", "prefer", "off"];

/** Outcome of {@link checkStapledOcsp}: the leaf's status, or no response (prefer only). */
export type StapleOutcome = { kind: "good"; nextUpdate?: Date } | { kind: "absent" };

type Detailed = { raw: Buffer; issuerCertificate?: Detailed };

/**
 * Check the OCSP response `stapled` on `socket` (after 'secureConnect') about the SECC leaf, against the
 * leaf's issuer in the verified chain, at `now` (ms). Rejects with {@link TlsTrustError} whose code is the
 * OcspError code ("OCSP_REVOKED", …) or "OCSP_MISSING".
 */
export async function checkStapledOcsp(
  socket: TLSSocket,
  stapled: Buffer | undefined,
  mode: Exclude<OcspMode, "off">,
  now: number,
  where: string,
): Promise<StapleOutcome> {
  if (!stapled || stapled.length === 0) {
    if (mode === "prefer") return { kind: "absent" };
    throw new TlsTrustError(
      "OCSP_MISSING",
      `tls ${where}: the SECC stapled no OCSP response for its certificate, and OCSP is required ([V2G2-873]: the EVCC closes the connection)`,
    );
  }
  const peer = socket.getPeerCertificate(true) as unknown as Detailed;
  const issuer = peer.issuerCertificate;
  if (!peer.raw || !issuer?.raw || issuer === peer)
    throw new TlsTrustError(
      "OCSP_SIGNER",
      `tls ${where}: no issuer of the SECC leaf in the verified chain to check OCSP against`,
    );
  // Loaded on first use: @peculiar/asn1-* are not needed by an EVCC that does not ask for OCSP.
  const { checkOcspResponse, OcspError } = await import("./pki/ocsp.js");
  try {
    const r = checkOcspResponse(new Uint8Array(stapled), { leaf: peer.raw, issuer: issuer.raw, now });
    return r.nextUpdate ? { kind: "good", nextUpdate: r.nextUpdate } : { kind: "good" };
  } catch (e) {
    if (!(e instanceof OcspError)) throw e;
    throw new TlsTrustError(e.code, `tls ${where}: SECC certificate refused: ${e.message} ([V2G2-873])`, {
      cause: e,
    });
  }
}
