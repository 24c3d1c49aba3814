/**
 * TLS secrets in the NSS key-log format (as Wireshark takes them): lines `LABEL <client_random hex>
 * <secret hex>`, e.g. `CLIENT_RANDOM` (TLS 1.2 master secret) or the TLS 1.3 traffic secrets
 * `CLIENT_HANDSHAKE_TRAFFIC_SECRET`, `SERVER_HANDSHAKE_TRAFFIC_SECRET`, `CLIENT_TRAFFIC_SECRET_0`,
 * `SERVER_TRAFFIC_SECRET_0`. Some V2G test systems disclose these lines in UDP datagrams during the session
 * (captures README); a pcapng Decryption Secrets Block may also carry them. Format:
 * https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/index.html. Pure code.
 */

/** Labels understood by the TLS decryptor. */
export const KEYLOG_LABELS = [
  "CLIENT_RANDOM",
  "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
  "SERVER_HANDSHAKE_TRAFFIC_SECRET",
  "CLIENT_TRAFFIC_SECRET_0",
  "SERVER_TRAFFIC_SECRET_0",
  "EXPORTER_SECRET",
  "EARLY_EXPORTER_SECRET",
  "CLIENT_EARLY_TRAFFIC_SECRET",
] as const;

const LINE = /^([A-Z_0-9]+)\s+([0-9a-fA-F]{64})\s+([0-9a-fA-F]+)\s*$/;

/** A set of key-log secrets, looked up by label and client random. */
export class KeyLog {
  private readonly map = new Map<string, Uint8Array>();
  private version = 0;

  /**
   * Add every well-formed key-log line of `text` (comments and other lines are ignored). Returns the number
   * of new secrets.
   */
  add(text: string): number {
    let n = 0;
    for (const raw of text.split(/\r?\n/)) {
      const m = LINE.exec(raw.trim());
      if (!m) continue;
      const key = `${m[1]} ${m[2]!.toLowerCase()}`;
      if (this.map.has(key)) continue;
      this.map.set(key, hexToBytes(m[3]!));
      n++;
    }
    if (n > 0) this.version++;
    return n;
  }

  /** The secret for `label` and the 32-byte client random, if known. */
  get(label: string, clientRandom: Uint8Array): Uint8Array | undefined {
    return this.map.get(`${label} ${bytesToHex(clientRandom)}`);
  }

  /** Number of secrets held. */
  get size(): number {
    return this.map.size;
  }

  /** Increases whenever secrets are added (lets decryptors retry cheaply). */
  get generation(): number {
    return this.version;
  }
}

/**
 * If a UDP payload is a secret-disclosure datagram (one or more key-log lines), return its text; else
 * undefined. Accepts only printable ASCII starting with a known label.
 */
export function keyLogTextOf(payload: Uint8Array): string | undefined {
  if (payload.length < 80 || payload[0]! < 0x41 || payload[0]! > 0x5a) return undefined;
  let s = "";
  for (let i = 0; i < payload.length; i++) {
    const c = payload[i]!;
    if (c === 0 && i === payload.length - 1) break;
    if ((c < 0x20 || c > 0x7e) && c !== 0x0a && c !== 0x0d && c !== 0x09) return undefined;
    s += String.fromCharCode(c);
  }
  return KEYLOG_LABELS.some((l) => s.startsWith(`${l} `)) ? s : undefined;
}

/** Lower-case hex of bytes. */
export function bytesToHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, "0");
  return s;
}

/** Bytes of an even-length hex string. */
export function hexToBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.substr(i * 2, 2), 16);
  return out;
}
