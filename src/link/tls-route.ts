/**
 * SECC side of the ClientHello: read it off a freshly accepted TCP socket before any TLS stack sees it, and
 * pick the server chain it asks for.
 *
 * - Chain selection (ISO 15118-2 [V2G2-871], [V2G2-923]; RFC 6066 §6): the EVCC lists the V2G roots it holds
 *   in `trusted_ca_keys` ([V2G2-651]); the SECC sends a chain anchored at one of them, and only when it holds
 *   none of them its default chain. The client's order is its preference: the first entry that names one of
 *   our roots wins. `pre_agreed` names no root and is skipped.
 * - The bytes read are put back (`unshift`) before the socket is handed to a `tls.Server` with
 *   `emit("connection")`: Node's TLSSocket feeds bytes already buffered on the wrapped socket to OpenSSL
 *   first (lib/_tls_wrap.js, `TLSSocket.prototype._init`).
 */
import type { Socket } from "node:net";
import {
  type ClientHello,
  ClientHelloError,
  readClientHello,
  type TrustedAuthority,
} from "../v2g/tls/client-hello.js";

/** The identifiers of one root a trusted_ca_keys entry may use (RFC 6066 §6), hex. */
export interface ChainAnchor {
  /** how logs name the root (its subject, RFC 4514 order) */
  subject: string;
  /** SHA-1 of the root's subjectPublicKey bits (key_sha1_hash) */
  keySha1: string;
  /** DER of the root's subject (x509_name) */
  nameDer: string;
  /** SHA-1 of the root's DER certificate (cert_sha1_hash) */
  certSha1: string;
}

/** Which chain a ClientHello gets. */
export interface ChainChoice {
  /** index into the chains (0 = the default chain) */
  chain: number;
  /** the trusted_ca_keys entry that named its root, when one did */
  entry?: { index: number; kind: TrustedAuthority["kind"] };
  /** entries in the ClientHello's trusted_ca_keys (undefined: the extension is absent) */
  offered?: number;
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** Does `a` name `root`? */
export function namesRoot(a: TrustedAuthority, root: ChainAnchor): boolean {
  if (a.kind === "key_sha1_hash") return hex(a.sha1) === root.keySha1;
  if (a.kind === "x509_name") return hex(a.name) === root.nameDer;
  if (a.kind === "cert_sha1_hash") return hex(a.sha1) === root.certSha1;
  return false;
}

/**
 * The chain for `trusted`: the first entry (client order) naming the root of one of `anchors` (index =
 * chain; undefined = root unknown, never matched), else chain 0 ([V2G2-923]).
 */
export function chooseChain(
  trusted: readonly TrustedAuthority[] | undefined,
  anchors: readonly (ChainAnchor | undefined)[],
): ChainChoice {
  if (trusted === undefined) return { chain: 0 };
  for (let i = 0; i < trusted.length; i++) {
    const a = trusted[i]!;
    const chain = anchors.findIndex((r) => r !== undefined && namesRoot(a, r));
    if (chain >= 0) return { chain, entry: { index: i, kind: a.kind }, offered: trusted.length };
  }
  return { chain: 0, offered: trusted.length };
}

/** What the first bytes of a connection were. */
export type PeekedHello = { kind: "hello"; hello: ClientHello } | { kind: "bad"; error: ClientHelloError };

/**
 * Read the ClientHello from `raw` (every record carrying it, however the TCP segments fall), put the bytes
 * back and call `route` once with it, the socket paused. Bounded: {@link readClientHello} refuses more than
 * one ClientHello's worth of bytes or records. Bad bytes are routed too (`kind: "bad"`): the TLS server they go to
 * fails the handshake and reports it.
 */
export function peekClientHello(raw: Socket, route: (hello: PeekedHello) => void): void {
  // Chunks are joined only when a record boundary is reached (`need`), so a peer sending one byte per
  // segment costs one join per record, not one per byte.
  let chunks: Buffer[] = [];
  let total = 0;
  let need = 5;
  const onData = (d: Buffer) => {
    chunks.push(d);
    total += d.length;
    if (total < need) return;
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    chunks = [buf];
    let peeked: PeekedHello;
    try {
      const r = readClientHello(buf);
      if (r.kind === "incomplete") {
        need = r.need;
        return;
      }
      peeked = { kind: "hello", hello: r.hello };
    } catch (e) {
      if (!(e instanceof ClientHelloError)) throw e;
      peeked = { kind: "bad", error: e };
    }
    raw.off("data", onData);
    raw.pause();
    raw.unshift(buf);
    route(peeked);
  };
  raw.on("data", onData);
  raw.on("error", () => {}); // reported through "close" (pending) or by the TLS socket
}
