/**
 * TLS 1.3 profile of ISO 15118-20 beside the TLS 1.2 profile of ISO 15118-2 / DIN 70121 (`tls.ts`), and how
 * a server that accepts both picks a version for one connection.
 *
 * ISO 15118-20 (as publicly reconstructed; the ISO text was not available):
 * - TLS 1.3 for -20; a TLS 1.2 listener only for -2 backward compatibility ([V2G20-2359]); the EV puts
 *   0x0304 in `supported_versions` ([V2G20-2365]).
 * - Cipher suites, in this order: TLS_AES_256_GCM_SHA384 (0x1302), TLS_CHACHA20_POLY1305_SHA256 (0x1303);
 *   TLS_AES_128_GCM_SHA256 is not in the profile ([V2G20-1856], [V2G20-2459]).
 * - Named groups secp521r1, x448 ([V2G20-1634], [V2G20-1637]); signature schemes ecdsa_secp521r1_sha512
 *   (0x0603), ed448 (0x0808); certificate keys P-521 with ECDSA-SHA512 ([V2G20-2674]) or Ed448
 *   ([V2G20-2319]).
 * - Mutual authentication: the SECC always sends a CertificateRequest ([V2G20-2400]) and every -20 entity
 *   supports mutual TLS ([V2G20-1264]) — EIM sessions too. The EV's credential is its vehicle certificate
 *   (CN = EVCCID, O = OEM) under an OEM or V2G root ([V2G20-2339]).
 *
 * How a real SECC decides (the order of events on the wire): SDP comes first, and its security byte only
 * says "TLS" (0x00) or "no TLS" (0x10) — not which TLS version. The version is fixed by the handshake: the
 * EV lists what it can do in the ClientHello's `supported_versions`, the SECC picks the highest version
 * both allow (RFC 8446 §4.2.1). supportedAppProtocol comes after the handshake, and there the SECC filters
 * the EV's protocol list by what this connection allows before taking the EV's highest priority: a -20
 * namespace only on a TLS 1.3 connection ([V2G20-2356], [V2G20-1237], [V2G20-1805]) —
 * {@link iso20AllowedOn}. DIN 70121 and ISO 15118-2 stay allowed on TCP and TLS 1.2 (and, in the lab, on
 * TLS 1.3). The SECC may not "prefer -20" otherwise: the EV's priority decides ([V2G20-169]).
 *
 * Unconfirmed items (single, non-normative sources) are one named constant each, overridable in the
 * configuration: {@link ISO15118_20_TLS_GROUPS}, {@link ISO15118_20_REQUIRE_CLIENT_CERT},
 * {@link ISO15118_20_ALLOW_WITHOUT_TLS13}.
 */
import { X509Certificate } from "node:crypto";
import type { Socket } from "node:net";
import type { PeerCertificate } from "node:tls";
import { LinkError } from "./errors.js";

/** A TLS version a V2G endpoint may be configured for. */
export type TlsVersion = "1.2" | "1.3";
/** Every version name {@link checkTlsVersions} accepts. */
export const TLS_VERSIONS: readonly TlsVersion[] = ["1.2", "1.3"];

/** ISO 15118-20 uses TLS 1.3. */
export const ISO15118_20_TLS_VERSION = "TLSv1.3";
/** ISO 15118-20 Table 6 cipher suites, in the profile's order (0x1302, 0x1303). */
export const ISO15118_20_TLS_CIPHERS = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
/**
 * ISO 15118-20 Table 7 named groups. Unconfirmed (one paraphrase of the standard); lab peers offer only
 * secp256r1 (a Josev EV does), so append "prime256v1" through `groups` to talk to them.
 */
export const ISO15118_20_TLS_GROUPS = "secp521r1:X448";
/** ISO 15118-20 Table 8 signature schemes (0x0603, 0x0808). */
export const ISO15118_20_TLS_SIGALGS = "ecdsa_secp521r1_sha512:ed448";
/**
 * The SECC refuses a TLS 1.3 client without a valid vehicle certificate ([V2G20-2400] requests one always;
 * whether a missing one ends the handshake is not confirmed publicly — EVerest requires it whenever the
 * client offers TLS 1.3). `requireClientCert: false` keeps the request and accepts a client without.
 */
export const ISO15118_20_REQUIRE_CLIENT_CERT = true;
/**
 * Allow an ISO 15118-20 namespace in supportedAppProtocol over TCP or TLS 1.2. Off: the standard gives -20
 * no such mode ([V2G20-2356]); Josev and EVerest's libiso15118 allow it in the lab.
 */
export const ISO15118_20_ALLOW_WITHOUT_TLS13 = false;
/** Certificates in an ISO 15118-20 SECC chain below the root: the leaf and at most two Sub-CAs. */
export const ISO15118_20_MAX_CHAIN_CERTS = 3;

/** TLS protocol version numbers on the wire (RFC 8446 §4.2.1). */
export const TLS12_WIRE_VERSION = 0x0303;
export const TLS13_WIRE_VERSION = 0x0304;

/** Check a configured version list: non-empty, known names, no repeats. */
export function checkTlsVersions(name: string, v: readonly string[] | undefined): readonly TlsVersion[] {
  const list = v ?? ["1.2"];
  if (list.length === 0) throw new LinkError("bad-option", `${name}: empty, must list "1.2" and/or "1.3"`);
  for (const x of list)
    if (!TLS_VERSIONS.includes(x as TlsVersion))
      throw new LinkError("bad-option", `${name}: "${x}" is not a TLS version (must be "1.2" or "1.3")`);
  if (new Set(list).size !== list.length)
    throw new LinkError("bad-option", `${name}: a version is listed twice`);
  return list as readonly TlsVersion[];
}

/**
 * True when an ISO 15118-20 namespace may be selected in supportedAppProtocol on this connection: only on
 * TLS 1.3 ([V2G20-2356]) unless `allowWithoutTls13` ({@link ISO15118_20_ALLOW_WITHOUT_TLS13}).
 */
export function iso20AllowedOn(
  tls: { protocol: string } | undefined,
  allowWithoutTls13 = ISO15118_20_ALLOW_WITHOUT_TLS13,
): boolean {
  return allowWithoutTls13 || tls?.protocol === ISO15118_20_TLS_VERSION;
}

/** What the first bytes of a connection say about the client's TLS versions. */
export type ClientHelloVersions =
  /** More bytes are needed (the first record is not complete yet). */
  | { kind: "incomplete" }
  /** Not a TLS ClientHello: `detail` names the field and the rule. */
  | { kind: "not-hello"; detail: string }
  /** The versions the client offers: `supported_versions` if present, else the legacy version. */
  | { kind: "hello"; versions: number[] };

/** Largest TLS record payload (RFC 8446 §5.1: 2^14, plus 256 bytes of expansion for older versions). */
const MAX_RECORD = 16_384 + 256;
const EXT_SUPPORTED_VERSIONS = 0x002b;

/**
 * Read the TLS versions a client offers from the first record of a connection (RFC 8446 §4.1.2, §4.2.1).
 * Pure; never throws. A ClientHello spread over several records is read from its first record only: when
 * `supported_versions` lies beyond it, the legacy version (TLS 1.2) is reported.
 */
export function clientHelloVersions(b: Uint8Array): ClientHelloVersions {
  if (b.length < 5) return { kind: "incomplete" };
  if (b[0] !== 0x16)
    return { kind: "not-hello", detail: `record type 0x${hex(b[0]!)}, must be 0x16 (handshake)` };
  const len = (b[3]! << 8) | b[4]!;
  if (len === 0 || len > MAX_RECORD)
    return { kind: "not-hello", detail: `record length ${len}, must be 1–${MAX_RECORD}` };
  if (b.length < 5 + len) return { kind: "incomplete" };
  const r = b.subarray(5, 5 + len);
  if (r[0] !== 0x01)
    return { kind: "not-hello", detail: `handshake type 0x${hex(r[0]!)}, must be 0x01 (ClientHello)` };
  let o = 4;
  const at = (n: number) => (o + n <= r.length ? o : -1);
  if (at(2) < 0) return { kind: "hello", versions: [] };
  const legacy = (r[o]! << 8) | r[o + 1]!;
  const legacyOnly = { kind: "hello" as const, versions: [legacy] };
  o += 2 + 32; // legacy_version, random
  for (const width of [1, 2, 1]) {
    // session id, cipher suites, compression methods
    if (at(width) < 0) return legacyOnly;
    const n = width === 1 ? r[o]! : (r[o]! << 8) | r[o + 1]!;
    o += width + n;
  }
  if (at(2) < 0) return legacyOnly;
  const extEnd = Math.min(r.length, o + 2 + ((r[o]! << 8) | r[o + 1]!));
  o += 2;
  while (o + 4 <= extEnd) {
    const type = (r[o]! << 8) | r[o + 1]!;
    const n = (r[o + 2]! << 8) | r[o + 3]!;
    o += 4;
    if (type === EXT_SUPPORTED_VERSIONS && o + n <= extEnd && n >= 1) {
      const versions: number[] = [];
      for (let i = o + 1; i + 1 < o + 1 + Math.min(r[o]!, n - 1); i += 2)
        versions.push((r[i]! << 8) | r[i + 1]!);
      return { kind: "hello", versions };
    }
    o += n;
  }
  return legacyOnly;
}

/**
 * Read the first TLS record of `raw` and call `route(offers13)` once: true when the ClientHello's
 * `supported_versions` lists TLS 1.3 (RFC 8446 §4.2.1). The bytes read are put back (`unshift`), so the
 * TLS server the socket is handed to sees the whole stream; Node's TLSSocket takes bytes already buffered
 * on the socket it wraps. Anything that is not a ClientHello goes to the TLS 1.2 side, which fails the
 * handshake and reports it. Bounded by the first record (at most 16 640 bytes + header).
 */
export function routeByClientHello(raw: Socket, route: (offers13: boolean) => void): void {
  let buf: Buffer = Buffer.alloc(0);
  const onData = (d: Buffer) => {
    buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
    const hello = clientHelloVersions(buf);
    if (hello.kind === "incomplete") return;
    raw.off("data", onData);
    raw.pause();
    raw.unshift(buf);
    route(hello.kind === "hello" && hello.versions.includes(TLS13_WIRE_VERSION));
  };
  raw.on("data", onData);
  raw.on("error", () => {}); // reported through "close" (pending) or by the TLS socket
}

function hex(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/**
 * The ISO 15118-20 rules for the SECC leaf and chain the EVCC checks after OpenSSL's path validation (a
 * TLS 1.3 session only): leaf key P-521 or Ed448 ([V2G20-2674], [V2G20-2319]), leaf not a CA, DC=CPO in
 * the leaf subject (the CPO certificate profile), at most {@link ISO15118_20_MAX_CHAIN_CERTS} certificates
 * below the root. Returns an Error naming the rule, or undefined.
 */
export function checkIso20SeccCertificate(cert: PeerCertificate): Error | undefined {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert.raw);
  } catch (e) {
    return new Error(`SECC leaf: not a parsable X.509 certificate (${(e as Error).message})`);
  }
  const key = x509.publicKey;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== "ed448" && curve !== "secp521r1")
    return new Error(
      `SECC leaf key ${key.asymmetricKeyType}${curve ? ` ${curve}` : ""}: ISO 15118-20 needs secp521r1 or Ed448`,
    );
  if (x509.ca) return new Error("SECC leaf is a CA certificate: ISO 15118-20 needs an end-entity leaf");
  const dc = (cert.subject as unknown as Record<string, string | string[] | undefined>).DC;
  if (!(Array.isArray(dc) ? dc : [dc]).includes("CPO"))
    return new Error(`SECC leaf subject DC=${String(dc)}: ISO 15118-20 needs DC=CPO`);
  let below = 0;
  const seen = new Set<PeerCertificate>();
  for (
    let x: PeerCertificate | undefined = cert;
    x && !seen.has(x);
    x = (x as DetailedPeer).issuerCertificate
  ) {
    seen.add(x);
    const selfSigned =
      (x as DetailedPeer).issuerCertificate === x ||
      x.fingerprint256 === (x as DetailedPeer).issuerCertificate?.fingerprint256;
    if (!selfSigned) below++;
  }
  if (below > ISO15118_20_MAX_CHAIN_CERTS)
    return new Error(
      `SECC chain has ${below} certificates below the root: at most ${ISO15118_20_MAX_CHAIN_CERTS}`,
    );
  return undefined;
}

type DetailedPeer = PeerCertificate & { issuerCertificate?: PeerCertificate };
