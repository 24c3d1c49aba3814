/**
 * TLS ClientHello reader and writer (pure; Uint8Array only): records (RFC 5246 §6.2.1, RFC 8446 §5.1) →
 * handshake message (RFC 5246 §7.4, reassembled when split over several records or TCP segments) →
 * ClientHello (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2) → extensions, with the ones the SECC acts on decoded:
 * `server_name` (RFC 6066 §3), `status_request` (RFC 6066 §8), `trusted_ca_keys` (RFC 6066 §6, which
 * ISO 15118-2 [V2G2-651] has the EVCC send), `supported_versions` (RFC 8446 §4.2.1).
 *
 * Bounded and total: every length is checked against what is left before it is used, the reassembled
 * message is capped at {@link CLIENT_HELLO_MAX_LENGTH}, and bad input throws only a {@link ClientHelloError}
 * whose message names the field and the rule.
 */
import { NacsError } from "../../errors.js";

/** Why a ClientHello was refused. */
export type ClientHelloErrorCode =
  /** a length or value breaks the wire format */
  | "malformed"
  /** the message exceeds {@link CLIENT_HELLO_MAX_LENGTH} or a record exceeds {@link TLS_MAX_RECORD_LENGTH} */
  | "oversized"
  /** the bytes are TLS, but not a ClientHello (other record or handshake type) */
  | "not-client-hello";

/** A ClientHello could not be read; `message` names the field and the rule. */
export class ClientHelloError extends NacsError<ClientHelloErrorCode> {
  override readonly name = "ClientHelloError";
}

/** TLS record content type handshake (RFC 5246 §6.2.1). */
export const TLS_CONTENT_HANDSHAKE = 22;
/** Handshake types (RFC 5246 §7.4). */
export const TLS_HANDSHAKE_CLIENT_HELLO = 1;
/** Largest TLSPlaintext fragment (RFC 8446 §5.1, RFC 5246 §6.2.1: 2^14). */
export const TLS_MAX_RECORD_LENGTH = 16_384;
/**
 * Largest ClientHello we reassemble (bytes of the handshake body): OpenSSL's CLIENT_HELLO_MAX_LENGTH
 * (ssl/statem/statem_local.h), the limit the TLS stack behind us applies anyway.
 */
export const CLIENT_HELLO_MAX_LENGTH = 131_396;
/**
 * Most records one handshake message may span here (our bound): a maximal ClientHello needs 9 full
 * records; a peer cutting one into hundreds of tiny records is refused instead of costing the reader.
 */
export const HANDSHAKE_MAX_RECORDS = 64;

/** Extension types (IANA TLS ExtensionType registry). */
export const EXT_SERVER_NAME = 0;
export const EXT_STATUS_REQUEST = 5;
export const EXT_TRUSTED_CA_KEYS = 3;
export const EXT_STATUS_REQUEST_V2 = 17;
export const EXT_SUPPORTED_VERSIONS = 43;

/** RFC 6066 §6 IdentifierType. */
export const TRUSTED_CA_TYPES = ["pre_agreed", "key_sha1_hash", "x509_name", "cert_sha1_hash"] as const;
export type TrustedCaType = (typeof TRUSTED_CA_TYPES)[number];

/** One RFC 6066 §6 TrustedAuthority. */
export type TrustedAuthority =
  | { kind: "pre_agreed" }
  /** SHA-1 of the CA's subjectPublicKey (the BIT STRING's bits) */
  | { kind: "key_sha1_hash"; sha1: Uint8Array }
  /** DER of the CA's subject DistinguishedName */
  | { kind: "x509_name"; name: Uint8Array }
  /** SHA-1 of the CA's DER certificate */
  | { kind: "cert_sha1_hash"; sha1: Uint8Array };

/** RFC 6066 §8 CertificateStatusRequest. */
export interface StatusRequest {
  /** 1 = ocsp; other types are kept with their raw `request` */
  statusType: number;
  /** ocsp: ResponderID list (each DER) */
  responderIds: Uint8Array[];
  /** ocsp: DER Extensions (may be empty) */
  requestExtensions: Uint8Array;
  /** the bytes after status_type (every status type) */
  request: Uint8Array;
}

/** One extension as sent. */
export interface TlsExtension {
  type: number;
  data: Uint8Array;
}

/** A parsed ClientHello. The decoded fields are present only when their extension is. */
export interface ClientHello {
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: Uint8Array;
  /** in wire order; undefined when the message ends after compression_methods (RFC 5246 §7.4.1.2) */
  extensions: TlsExtension[] | undefined;
  serverName?: string;
  statusRequest?: StatusRequest;
  trustedCaKeys?: TrustedAuthority[];
  supportedVersions?: number[];
}

/** What {@link readClientHello} found at the start of a stream. */
export type ClientHelloRead =
  /** more bytes are needed: nothing changes before the stream holds `need` bytes (the next record boundary) */
  | { kind: "incomplete"; need: number }
  /** the ClientHello and how many stream bytes (whole records) carried it */
  | { kind: "hello"; hello: ClientHello; consumed: number };

/** One reassembled handshake message. */
export type HandshakeRead =
  | { kind: "incomplete"; need: number }
  | { kind: "message"; type: number; body: Uint8Array; consumed: number };

/** A bounds-checked cursor; every read names the field it reads. */
class Reader {
  o = 0;
  constructor(
    readonly b: Uint8Array,
    readonly where: string,
  ) {}
  left(): number {
    return this.b.length - this.o;
  }
  need(n: number, field: string): void {
    if (n > this.left())
      throw new ClientHelloError(
        "malformed",
        `${this.where}.${field}: needs ${n} bytes, ${this.left()} left in ${this.where}`,
      );
  }
  u8(field: string): number {
    this.need(1, field);
    return this.b[this.o++]!;
  }
  u16(field: string): number {
    this.need(2, field);
    const v = (this.b[this.o]! << 8) | this.b[this.o + 1]!;
    this.o += 2;
    return v;
  }
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return v;
  }
  /** A vector with a `width`-byte length prefix and `min`..`max` bytes of content. */
  vec(width: 1 | 2 | 3, min: number, max: number, field: string): Uint8Array {
    let n = 0;
    for (let i = 0; i < width; i++) n = n * 256 + this.u8(`${field} length`);
    if (n < min || n > max)
      throw new ClientHelloError("malformed", `${this.where}.${field}: length ${n}, must be ${min}–${max}`);
    return this.bytes(n, field);
  }
  end(field: string): void {
    if (this.left() !== 0)
      throw new ClientHelloError(
        "malformed",
        `${this.where}.${field}: ${this.left()} bytes after the end of ${this.where}`,
      );
  }
}

/**
 * Reassemble the first handshake message of a TLS stream: reads records from the start of `stream`,
 * concatenating handshake fragments until the 4-byte header and its body are complete (RFC 5246 §6.2.1:
 * a message may span records; RFC 8446 §5.1: no zero-length handshake fragments, no interleaving). The
 * message must end at a record boundary. `maxBody` bounds the message body.
 */
export function readHandshakeMessage(stream: Uint8Array, maxBody = CLIENT_HELLO_MAX_LENGTH): HandshakeRead {
  let o = 0;
  const parts: Uint8Array[] = [];
  let have = 0;
  let want = -1;
  for (let record = 0; ; record++) {
    if (record >= HANDSHAKE_MAX_RECORDS)
      throw new ClientHelloError(
        "oversized",
        `record[${record}]: the handshake message spans more than ${HANDSHAKE_MAX_RECORDS} records`,
      );
    if (stream.length - o < 5) return { kind: "incomplete", need: o + 5 };
    const type = stream[o]!;
    if (type !== TLS_CONTENT_HANDSHAKE)
      throw new ClientHelloError(
        "not-client-hello",
        `record[${record}].content_type: ${type}, must be ${TLS_CONTENT_HANDSHAKE} (handshake)`,
      );
    if (stream[o + 1] !== 3)
      throw new ClientHelloError(
        "malformed",
        `record[${record}].legacy_record_version: 0x${hex(stream[o + 1]!)}${hex(stream[o + 2]!)}, major must be 3`,
      );
    const len = (stream[o + 3]! << 8) | stream[o + 4]!;
    if (len === 0)
      throw new ClientHelloError(
        "malformed",
        `record[${record}].length: 0, a handshake record must not be empty (RFC 8446 §5.1)`,
      );
    if (len > TLS_MAX_RECORD_LENGTH)
      throw new ClientHelloError(
        "oversized",
        `record[${record}].length: ${len}, must be at most ${TLS_MAX_RECORD_LENGTH}`,
      );
    if (stream.length - o - 5 < len) return { kind: "incomplete", need: o + 5 + len };
    const frag = stream.subarray(o + 5, o + 5 + len);
    o += 5 + len;
    parts.push(frag);
    have += frag.length;
    if (want < 0 && have >= 4) {
      const head = concat(parts, 4);
      want = (head[1]! << 16) | (head[2]! << 8) | head[3]!;
      if (want > maxBody)
        throw new ClientHelloError(
          "oversized",
          `handshake.length: ${want}, must be at most ${maxBody} (handshake type ${head[0]})`,
        );
    }
    if (want >= 0 && have >= 4 + want) {
      if (have > 4 + want)
        throw new ClientHelloError(
          "malformed",
          `record[${record}]: ${have - 4 - want} bytes after the first handshake message in its record`,
        );
      const msg = concat(parts, have);
      return { kind: "message", type: msg[0]!, body: msg.subarray(4), consumed: o };
    }
  }
}

/**
 * Read the ClientHello at the start of a TLS stream (the first bytes a server receives). Returns
 * "incomplete" until every record carrying it has arrived; throws {@link ClientHelloError} on anything
 * else than a well-formed ClientHello.
 */
export function readClientHello(stream: Uint8Array, maxBody = CLIENT_HELLO_MAX_LENGTH): ClientHelloRead {
  const m = readHandshakeMessage(stream, maxBody);
  if (m.kind === "incomplete") return m;
  if (m.type !== TLS_HANDSHAKE_CLIENT_HELLO)
    throw new ClientHelloError(
      "not-client-hello",
      `handshake.msg_type: ${m.type}, must be ${TLS_HANDSHAKE_CLIENT_HELLO} (client_hello)`,
    );
  return { kind: "hello", hello: parseClientHello(m.body), consumed: m.consumed };
}

/** Parse a ClientHello handshake body (after the 4-byte handshake header). */
export function parseClientHello(body: Uint8Array): ClientHello {
  const r = new Reader(body, "client_hello");
  const legacyVersion = r.u16("legacy_version");
  const random = r.bytes(32, "random");
  const sessionId = r.vec(1, 0, 32, "legacy_session_id");
  const suites = r.vec(2, 2, 0xfffe, "cipher_suites");
  if (suites.length % 2 !== 0)
    throw new ClientHelloError(
      "malformed",
      `client_hello.cipher_suites: length ${suites.length}, must be even`,
    );
  const cipherSuites: number[] = [];
  for (let i = 0; i < suites.length; i += 2) cipherSuites.push((suites[i]! << 8) | suites[i + 1]!);
  const compressionMethods = r.vec(1, 1, 255, "legacy_compression_methods");
  const hello: ClientHello = {
    legacyVersion,
    random,
    sessionId,
    cipherSuites,
    compressionMethods,
    extensions: undefined,
  };
  if (r.left() === 0) return hello;
  const extBytes = r.vec(2, 0, 0xffff, "extensions");
  r.end("extensions");
  const e = new Reader(extBytes, "client_hello.extensions");
  const extensions: TlsExtension[] = [];
  const seen = new Set<number>();
  while (e.left() > 0) {
    const type = e.u16(`[${extensions.length}].extension_type`);
    if (seen.has(type))
      throw new ClientHelloError(
        "malformed",
        `client_hello.extensions[${extensions.length}]: type ${type} sent twice (RFC 8446 §4.2)`,
      );
    seen.add(type);
    const data = e.vec(2, 0, 0xffff, `[${extensions.length}](type ${type}).extension_data`);
    extensions.push({ type, data });
  }
  hello.extensions = extensions;
  for (const x of extensions) {
    if (x.type === EXT_SERVER_NAME) {
      const name = parseServerName(x.data);
      if (name !== undefined) hello.serverName = name;
    } else if (x.type === EXT_STATUS_REQUEST) hello.statusRequest = parseStatusRequest(x.data);
    else if (x.type === EXT_TRUSTED_CA_KEYS) hello.trustedCaKeys = parseTrustedCaKeys(x.data);
    else if (x.type === EXT_SUPPORTED_VERSIONS) hello.supportedVersions = parseSupportedVersions(x.data);
  }
  return hello;
}

/**
 * RFC 6066 §3 ServerNameList: the host_name (type 0) entry, or undefined when there is none. An empty
 * extension (a server's acknowledgement) is refused here: in a ClientHello the list has ≥ 1 entry.
 */
export function parseServerName(data: Uint8Array): string | undefined {
  const r = new Reader(data, "server_name");
  const list = new Reader(r.vec(2, 1, 0xffff, "server_name_list"), "server_name.server_name_list");
  r.end("server_name_list");
  let host: string | undefined;
  for (let i = 0; list.left() > 0; i++) {
    const type = list.u8(`[${i}].name_type`);
    const name = list.vec(2, 1, 0xffff, `[${i}].host_name`);
    if (type === 0 && host === undefined) {
      host = "";
      for (const c of name) host += String.fromCharCode(c);
    }
  }
  return host;
}

/** RFC 6066 §8 CertificateStatusRequest (status_type 1 = ocsp: responder_id_list, request_extensions). */
export function parseStatusRequest(data: Uint8Array): StatusRequest {
  const r = new Reader(data, "status_request");
  const statusType = r.u8("status_type");
  const request = data.subarray(1);
  const responderIds: Uint8Array[] = [];
  let requestExtensions: Uint8Array = new Uint8Array(0);
  if (statusType === 1) {
    const ids = new Reader(r.vec(2, 0, 0xffff, "responder_id_list"), "status_request.responder_id_list");
    for (let i = 0; ids.left() > 0; i++) responderIds.push(ids.vec(2, 1, 0xffff, `[${i}]`));
    requestExtensions = r.vec(2, 0, 0xffff, "request_extensions");
    r.end("request_extensions");
  }
  return { statusType, responderIds, requestExtensions, request };
}

/** RFC 6066 §6 TrustedAuthorities: the list in the client's order (it may be empty). */
export function parseTrustedCaKeys(data: Uint8Array): TrustedAuthority[] {
  const r = new Reader(data, "trusted_ca_keys");
  const list = new Reader(
    r.vec(2, 0, 0xffff, "trusted_authorities_list"),
    "trusted_ca_keys.trusted_authorities_list",
  );
  r.end("trusted_authorities_list");
  const out: TrustedAuthority[] = [];
  for (let i = 0; list.left() > 0; i++) {
    const type = list.u8(`[${i}].identifier_type`);
    if (type === 0) out.push({ kind: "pre_agreed" });
    else if (type === 1) out.push({ kind: "key_sha1_hash", sha1: list.bytes(20, `[${i}].key_sha1_hash`) });
    else if (type === 2) out.push({ kind: "x509_name", name: list.vec(2, 1, 0xffff, `[${i}].x509_name`) });
    else if (type === 3) out.push({ kind: "cert_sha1_hash", sha1: list.bytes(20, `[${i}].cert_sha1_hash`) });
    else
      throw new ClientHelloError(
        "malformed",
        `trusted_ca_keys.trusted_authorities_list[${i}].identifier_type: ${type}, must be 0–3 (RFC 6066 §6)`,
      );
  }
  return out;
}

/** RFC 8446 §4.2.1 ClientHello supported_versions: versions<2..254>. */
export function parseSupportedVersions(data: Uint8Array): number[] {
  const r = new Reader(data, "supported_versions");
  const v = r.vec(1, 2, 254, "versions");
  r.end("versions");
  if (v.length % 2 !== 0)
    throw new ClientHelloError("malformed", `supported_versions.versions: length ${v.length}, must be even`);
  const out: number[] = [];
  for (let i = 0; i < v.length; i += 2) out.push((v[i]! << 8) | v[i + 1]!);
  return out;
}

// ---- writing (tests, crafted ClientHellos) ----

/** What {@link encodeClientHello} writes; the extensions are written as given (raw). */
export interface ClientHelloInit {
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: readonly number[];
  compressionMethods: Uint8Array;
  extensions: readonly TlsExtension[] | undefined;
}

/** The ClientHello handshake message (4-byte header + body). */
export function encodeClientHello(h: ClientHelloInit): Uint8Array {
  const body: Uint8Array[] = [
    u16(h.legacyVersion),
    h.random,
    vec(1, h.sessionId),
    vec(2, concat(h.cipherSuites.map(u16))),
    vec(1, h.compressionMethods),
  ];
  if (h.extensions !== undefined)
    body.push(vec(2, concat(h.extensions.map((x) => concat([u16(x.type), vec(2, x.data)])))));
  return handshakeMessage(TLS_HANDSHAKE_CLIENT_HELLO, concat(body));
}

/** A handshake message: msg_type, uint24 length, body. */
export function handshakeMessage(type: number, body: Uint8Array): Uint8Array {
  return concat([
    Uint8Array.of(type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff),
    body,
  ]);
}

/**
 * Split `payload` into handshake records of at most `fragment` bytes each (sizes from `sizes` in turn when
 * given, else `fragment`), record version 0x0301 as TLS clients send in the first flight (RFC 8446 §5.1).
 */
export function encodeHandshakeRecords(
  payload: Uint8Array,
  sizes: readonly number[] = [],
  fragment = TLS_MAX_RECORD_LENGTH,
): Uint8Array {
  const out: Uint8Array[] = [];
  for (let o = 0, i = 0; o < payload.length; i++) {
    const n = Math.max(1, Math.min(sizes[i] ?? fragment, fragment, payload.length - o));
    out.push(Uint8Array.of(TLS_CONTENT_HANDSHAKE, 3, 1, n >> 8, n & 0xff), payload.subarray(o, o + n));
    o += n;
  }
  return concat(out);
}

/** RFC 6066 §6 extension_data of trusted_ca_keys. */
export function encodeTrustedCaKeys(list: readonly TrustedAuthority[]): Uint8Array {
  return vec(
    2,
    concat(
      list.map((a) => {
        if (a.kind === "pre_agreed") return Uint8Array.of(0);
        if (a.kind === "key_sha1_hash") return concat([Uint8Array.of(1), a.sha1]);
        if (a.kind === "x509_name") return concat([Uint8Array.of(2), vec(2, a.name)]);
        return concat([Uint8Array.of(3), a.sha1]);
      }),
    ),
  );
}

/** RFC 6066 §3 extension_data of server_name with one host_name (ASCII). */
export function encodeServerName(host: string): Uint8Array {
  const name = Uint8Array.from(host, (c) => c.charCodeAt(0) & 0xff);
  return vec(2, concat([Uint8Array.of(0), vec(2, name)]));
}

/** RFC 6066 §8 extension_data of status_request (ocsp). */
export function encodeStatusRequest(
  responderIds: readonly Uint8Array[] = [],
  requestExtensions: Uint8Array = new Uint8Array(0),
): Uint8Array {
  return concat([
    Uint8Array.of(1),
    vec(2, concat(responderIds.map((x) => vec(2, x)))),
    vec(2, requestExtensions),
  ]);
}

/** RFC 8446 §4.2.1 extension_data of supported_versions in a ClientHello. */
export function encodeSupportedVersions(versions: readonly number[]): Uint8Array {
  return vec(1, concat(versions.map(u16)));
}

function u16(n: number): Uint8Array {
  return Uint8Array.of((n >> 8) & 0xff, n & 0xff);
}

function vec(width: 1 | 2 | 3, b: Uint8Array): Uint8Array {
  const head =
    width === 1
      ? Uint8Array.of(b.length)
      : width === 2
        ? u16(b.length)
        : Uint8Array.of(b.length >> 16, (b.length >> 8) & 0xff, b.length & 0xff);
  return concat([head, b]);
}

/** The first `limit` bytes (default all) of the concatenation of `parts`. */
function concat(parts: readonly Uint8Array[], limit = Number.POSITIVE_INFINITY): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  n = Math.min(n, limit);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    if (o >= n) break;
    const take = Math.min(p.length, n - o);
    out.set(p.subarray(0, take), o);
    o += take;
  }
  return out;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, "0");
}
