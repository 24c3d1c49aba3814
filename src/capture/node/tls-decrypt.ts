/**
 * Node-only (node:crypto): decrypts one captured TLS 1.2 / 1.3 connection with NSS key-log secrets,
 * implementing the core's {@link TlsDecryptor} interface. Reads ClientHello / ServerHello in the clear
 * (client random, server random, cipher suite, supported_versions, encrypt_then_mac — RFC 7366, which
 * Node/OpenSSL negotiates for CBC suites), follows ChangeCipherSpec (1.2) or the
 * handshake → application key switch at each side's Finished (1.3, RFC 8446 §7), and queues encrypted
 * records until their secret is known (test systems disclose secrets during the session), so the records
 * are decrypted in order as soon as the key-log line arrives.
 */
import type { KeyLog } from "../keylog.js";
import type { TlsDecryptor, TlsInfo, TlsPlaintext } from "../tls-types.js";
import {
  type CipherSpec,
  type DirectionKeys,
  decryptRecord,
  TLS12_SUITES,
  TLS13_SUITES,
  tls12Keys,
  tls13Keys,
} from "./tls-keys.js";

/** TLS record header length. RFC 8446 §5.1. */
export const TLS_RECORD_HEADER_LENGTH = 5;
/** Largest record body accepted (2^14 + 2048 for 1.2 expansion, RFC 5246 §6.2.3). */
export const TLS_MAX_RECORD_BODY = 16384 + 2048;
/** Records queued per direction while waiting for secrets. */
export const TLS_MAX_QUEUED_RECORDS = 10000;

const CT_CHANGE_CIPHER_SPEC = 20;
const CT_HANDSHAKE = 22;
const CT_APPLICATION_DATA = 23;
const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;
const HS_FINISHED = 20;
const EXT_SUPPORTED_VERSIONS = 43;
/** encrypt_then_mac extension (RFC 7366 §2): in the ServerHello it switches CBC suites to MAC-over-ciphertext. */
const EXT_ENCRYPT_THEN_MAC = 22;
const TLS13_VERSION = 0x0304;

interface Rec {
  type: number;
  version: number;
  body: Uint8Array;
  t: number;
  frame: number;
}

interface Dir {
  client: boolean;
  buf: Uint8Array;
  hs: Uint8Array; // handshake bytes (clear before encryption, decrypted in 1.3)
  encrypted: boolean;
  phase: "handshake" | "app";
  keys?: DirectionKeys;
  queue: Rec[];
  failed: number;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const o = new Uint8Array(a.length + b.length);
  o.set(a, 0);
  o.set(b, a.length);
  return o;
}

/** Create the decryptor of one connection (a {@link TlsDecryptorFactory}). */
export function createTlsDecryptor(keyLog: KeyLog): TlsDecryptor {
  const info: TlsInfo = { decrypted: false, pendingRecords: 0 };
  let serverRandom: Uint8Array | undefined;
  let spec: CipherSpec | undefined;
  let tls13 = false;
  let encryptThenMac = false;
  const mk = (client: boolean): Dir => ({
    client,
    buf: new Uint8Array(0),
    hs: new Uint8Array(0),
    encrypted: false,
    phase: "handshake",
    queue: [],
    failed: 0,
  });
  const dirs = [mk(true), mk(false)] as const;

  function updatePending(): void {
    info.pendingRecords = dirs[0].queue.length + dirs[1].queue.length + dirs[0].failed + dirs[1].failed;
  }

  function parseHello(d: Dir, msgType: number, b: Uint8Array): void {
    if (msgType === HS_CLIENT_HELLO && b.length >= 34) info.clientRandom = b.slice(2, 34);
    if (msgType !== HS_SERVER_HELLO || b.length < 38) return;
    serverRandom = b.slice(2, 34);
    let o = 34;
    o += 1 + b[o]!; // session id
    const suite = (b[o]! << 8) | b[o + 1]!;
    o += 3; // suite + compression
    let version = (b[0]! << 8) | b[1]!;
    if (o + 2 <= b.length) {
      const end = Math.min(b.length, o + 2 + ((b[o]! << 8) | b[o + 1]!));
      o += 2;
      while (o + 4 <= end) {
        const type = (b[o]! << 8) | b[o + 1]!;
        const len = (b[o + 2]! << 8) | b[o + 3]!;
        if (type === EXT_SUPPORTED_VERSIONS && len >= 2) version = (b[o + 4]! << 8) | b[o + 5]!;
        if (type === EXT_ENCRYPT_THEN_MAC) encryptThenMac = true;
        o += 4 + len;
      }
    }
    tls13 = version === TLS13_VERSION;
    info.version = tls13 ? "TLS 1.3" : "TLS 1.2";
    info.cipherSuite = suite;
    spec = (tls13 ? TLS13_SUITES : TLS12_SUITES).get(suite);
    info.cipherName = spec?.name ?? `0x${suite.toString(16).padStart(4, "0")}`;
    if (!spec) info.error = `cipher suite ${info.cipherName} is not supported for decryption`;
    if (tls13) {
      dirs[0].encrypted = true;
      dirs[1].encrypted = true;
    }
    void d;
  }

  /** Walk complete handshake messages in d.hs; returns true if a Finished was seen (1.3 key switch). */
  function walkHandshake(d: Dir): boolean {
    let o = 0;
    let finished = false;
    while (d.hs.length - o >= 4) {
      const type = d.hs[o]!;
      const len = (d.hs[o + 1]! << 16) | (d.hs[o + 2]! << 8) | d.hs[o + 3]!;
      if (d.hs.length - o - 4 < len) break;
      const body = d.hs.subarray(o + 4, o + 4 + len);
      if (!d.encrypted || !tls13) parseHello(d, type, body);
      if (type === HS_FINISHED && tls13 && d.encrypted) finished = true;
      o += 4 + len;
    }
    d.hs = d.hs.slice(o);
    return finished;
  }

  function keysFor(d: Dir): DirectionKeys | undefined {
    if (d.keys) return d.keys;
    if (!spec || !info.clientRandom || !serverRandom) return undefined;
    if (tls13) {
      const label =
        d.phase === "handshake"
          ? `${d.client ? "CLIENT" : "SERVER"}_HANDSHAKE_TRAFFIC_SECRET`
          : `${d.client ? "CLIENT" : "SERVER"}_TRAFFIC_SECRET_0`;
      const secret = keyLog.get(label, info.clientRandom);
      if (secret) d.keys = tls13Keys(spec, secret);
    } else {
      const master = keyLog.get("CLIENT_RANDOM", info.clientRandom);
      if (master) {
        const k = tls12Keys(spec, master, info.clientRandom, serverRandom);
        d.keys = d.client ? k.client : k.server;
        if (spec.kind === "cbc" && encryptThenMac) d.keys.etm = true;
      }
    }
    return d.keys;
  }

  function decrypt(d: Dir, r: Rec, out: TlsPlaintext[]): boolean {
    const k = keysFor(d);
    if (!k) return false;
    let res: { type: number; data: Uint8Array };
    try {
      res = decryptRecord(k, r.type, r.version, r.body);
    } catch (e) {
      d.failed++;
      info.error = `${d.client ? "client" : "server"} record does not decrypt: ${(e as Error).message}`;
      return true;
    }
    if (res.type === CT_APPLICATION_DATA) {
      info.decrypted = true;
      if (res.data.length > 0) out.push({ fromClient: d.client, data: res.data, t: r.t, frame: r.frame });
    } else if (res.type === CT_HANDSHAKE && tls13) {
      d.hs = concat(d.hs, res.data);
      if (walkHandshake(d) && d.phase === "handshake") {
        d.phase = "app";
        d.keys = undefined;
      }
    }
    return true;
  }

  function onRecord(d: Dir, r: Rec, out: TlsPlaintext[]): void {
    if (!d.encrypted) {
      if (r.type === CT_HANDSHAKE) {
        d.hs = concat(d.hs, r.body);
        walkHandshake(d);
      } else if (r.type === CT_CHANGE_CIPHER_SPEC && !tls13) {
        d.encrypted = true;
        d.hs = new Uint8Array(0);
      }
      return;
    }
    if (tls13 && r.type === CT_CHANGE_CIPHER_SPEC) return; // middlebox compatibility (RFC 8446 §D.4)
    if (d.queue.length > 0 || !decrypt(d, r, out)) {
      if (d.queue.length < TLS_MAX_QUEUED_RECORDS) d.queue.push(r);
      else d.failed++;
    }
  }

  function drain(d: Dir, out: TlsPlaintext[]): void {
    while (d.queue.length > 0 && decrypt(d, d.queue[0]!, out)) d.queue.shift();
  }

  return {
    push(fromClient, data, t, frame) {
      const d = dirs[fromClient ? 0 : 1];
      const out: TlsPlaintext[] = [];
      d.buf = concat(d.buf, data);
      let o = 0;
      while (d.buf.length - o >= TLS_RECORD_HEADER_LENGTH) {
        const len = (d.buf[o + 3]! << 8) | d.buf[o + 4]!;
        if (len > TLS_MAX_RECORD_BODY) {
          info.error = `record length ${len} exceeds ${TLS_MAX_RECORD_BODY}: not TLS or out of sync`;
          d.failed++;
          o = d.buf.length;
          break;
        }
        if (d.buf.length - o - TLS_RECORD_HEADER_LENGTH < len) break;
        const rec: Rec = {
          type: d.buf[o]!,
          version: (d.buf[o + 1]! << 8) | d.buf[o + 2]!,
          body: d.buf.slice(o + 5, o + 5 + len),
          t,
          frame,
        };
        o += 5 + len;
        onRecord(d, rec, out);
      }
      d.buf = d.buf.slice(o);
      updatePending();
      return out;
    },
    retry() {
      const out: TlsPlaintext[] = [];
      drain(dirs[0], out);
      drain(dirs[1], out);
      updatePending();
      return out;
    },
    info,
  };
}
