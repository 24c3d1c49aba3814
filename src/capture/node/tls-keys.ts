/**
 * Node-only (uses node:crypto): TLS key schedules and record ciphers for decrypting captured sessions with
 * NSS key-log secrets. TLS 1.2 PRF and key block (RFC 5246 §5, §6.3), TLS 1.3 HKDF-Expand-Label and traffic
 * keys (RFC 8446 §7.1, §7.3), AEAD (AES-GCM RFC 5288, AES-CCM RFC 6655, ChaCha20-Poly1305 RFC 7905) and
 * CBC + HMAC (RFC 5246 §6.2.3.2) record protection. ISO 15118-2 mandates
 * TLS_ECDH(E)_ECDSA_WITH_AES_128_CBC_SHA256; ISO 15118-20 uses TLS 1.3 (AES-GCM).
 */
import { createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";

/** A TLS cipher suite as far as record decryption needs it. */
export interface CipherSpec {
  name: string;
  kind: "gcm" | "ccm" | "chacha" | "cbc";
  /** node:crypto cipher name. */
  algo: string;
  keyLen: number;
  /** TLS 1.2: fixed IV bytes from the key block (GCM 4, ChaCha 12, CBC 0); TLS 1.3: always 12. */
  ivLen: number;
  /** HMAC hash for CBC suites. */
  macHash?: "sha1" | "sha256" | "sha384";
  macLen: number;
  /** PRF / HKDF hash. */
  hash: "sha256" | "sha384";
}

const gcm128: Omit<CipherSpec, "name"> = {
  kind: "gcm",
  algo: "aes-128-gcm",
  keyLen: 16,
  ivLen: 4,
  macLen: 0,
  hash: "sha256",
};
const gcm256: Omit<CipherSpec, "name"> = {
  kind: "gcm",
  algo: "aes-256-gcm",
  keyLen: 32,
  ivLen: 4,
  macLen: 0,
  hash: "sha384",
};
const chacha: Omit<CipherSpec, "name"> = {
  kind: "chacha",
  algo: "chacha20-poly1305",
  keyLen: 32,
  ivLen: 12,
  macLen: 0,
  hash: "sha256",
};
const cbc = (
  keyLen: number,
  macHash: "sha1" | "sha256" | "sha384",
  hash: "sha256" | "sha384",
): Omit<CipherSpec, "name"> => ({
  kind: "cbc",
  algo: keyLen === 16 ? "aes-128-cbc" : "aes-256-cbc",
  keyLen,
  ivLen: 0,
  macHash,
  macLen: macHash === "sha1" ? 20 : macHash === "sha256" ? 32 : 48,
  hash,
});

/** TLS 1.2 cipher suites we decrypt (IANA TLS Cipher Suites registry). */
export const TLS12_SUITES: ReadonlyMap<number, CipherSpec> = new Map(
  (
    [
      [0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", cbc(16, "sha256", "sha256")],
      [0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", cbc(16, "sha256", "sha256")],
      [0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", cbc(16, "sha256", "sha256")],
      [0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", cbc(16, "sha256", "sha256")],
      [0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", cbc(32, "sha384", "sha384")],
      [0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", cbc(32, "sha384", "sha384")],
      [0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", cbc(16, "sha1", "sha256")],
      [0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", cbc(16, "sha1", "sha256")],
      [0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", cbc(16, "sha1", "sha256")],
      [0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", cbc(32, "sha1", "sha256")],
      [0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", cbc(32, "sha1", "sha256")],
      [0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", cbc(32, "sha1", "sha256")],
      [0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", gcm128],
      [0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", gcm128],
      [0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", gcm128],
      [0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", gcm128],
      [0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", gcm256],
      [0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", gcm256],
      [0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", gcm256],
      [0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", chacha],
      [0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", chacha],
    ] as const
  ).map(([id, name, spec]) => [id, { name, ...spec }]),
);

/** TLS 1.3 cipher suites (RFC 8446 Appendix B.4). */
export const TLS13_SUITES: ReadonlyMap<number, CipherSpec> = new Map([
  [0x1301, { name: "TLS_AES_128_GCM_SHA256", ...gcm128, ivLen: 12 }],
  [0x1302, { name: "TLS_AES_256_GCM_SHA384", ...gcm256, ivLen: 12 }],
  [0x1303, { name: "TLS_CHACHA20_POLY1305_SHA256", ...chacha }],
  [
    0x1304,
    {
      name: "TLS_AES_128_CCM_SHA256",
      kind: "ccm",
      algo: "aes-128-ccm",
      keyLen: 16,
      ivLen: 12,
      macLen: 0,
      hash: "sha256",
    },
  ],
]);

/** P_hash of RFC 5246 §5. */
export function prf12(
  hash: "sha256" | "sha384",
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  const s = Buffer.concat([Buffer.from(label, "latin1"), seed]);
  const out = Buffer.alloc(length);
  let a: Buffer = createHmac(hash, secret).update(s).digest();
  let o = 0;
  while (o < length) {
    const p = createHmac(hash, secret).update(a).update(s).digest();
    p.copy(out, o);
    o += p.length;
    a = createHmac(hash, secret).update(a).digest();
  }
  return out;
}

/** HKDF-Expand-Label of RFC 8446 §7.1 (empty context). */
export function hkdfExpandLabel(
  hash: "sha256" | "sha384",
  secret: Uint8Array,
  label: string,
  length: number,
): Uint8Array {
  const full = Buffer.from(`tls13 ${label}`, "latin1");
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, full.length]),
    full,
    Buffer.from([0]),
  ]);
  const out = Buffer.alloc(length);
  let t: Buffer = Buffer.alloc(0);
  let o = 0;
  for (let i = 1; o < length; i++) {
    t = createHmac(hash, secret)
      .update(t)
      .update(info)
      .update(Buffer.from([i]))
      .digest();
    t.copy(out, o);
    o += t.length;
  }
  return out;
}

/** Keys of one direction. */
export interface DirectionKeys {
  spec: CipherSpec;
  key: Uint8Array;
  iv: Uint8Array;
  macKey?: Uint8Array;
  seq: bigint;
  tls13: boolean;
  /** CBC suites: the ServerHello accepted encrypt_then_mac (RFC 7366), so the MAC covers the ciphertext. */
  etm?: boolean;
}

/** TLS 1.2 keys of both directions from the master secret (RFC 5246 §6.3). */
export function tls12Keys(
  spec: CipherSpec,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): { client: DirectionKeys; server: DirectionKeys } {
  const n = 2 * spec.macLen + 2 * spec.keyLen + 2 * spec.ivLen;
  const kb = prf12(spec.hash, master, "key expansion", Buffer.concat([serverRandom, clientRandom]), n);
  let o = 0;
  const take = (len: number) => {
    const part = kb.subarray(o, o + len);
    o += len;
    return part;
  };
  const cMac = take(spec.macLen);
  const sMac = take(spec.macLen);
  const cKey = take(spec.keyLen);
  const sKey = take(spec.keyLen);
  const cIv = take(spec.ivLen);
  const sIv = take(spec.ivLen);
  return {
    client: { spec, key: cKey, iv: cIv, macKey: cMac, seq: 0n, tls13: false },
    server: { spec, key: sKey, iv: sIv, macKey: sMac, seq: 0n, tls13: false },
  };
}

/** TLS 1.3 keys from a traffic secret (RFC 8446 §7.3). */
export function tls13Keys(spec: CipherSpec, secret: Uint8Array): DirectionKeys {
  return {
    spec,
    key: hkdfExpandLabel(spec.hash, secret, "key", spec.keyLen),
    iv: hkdfExpandLabel(spec.hash, secret, "iv", 12),
    seq: 0n,
    tls13: true,
  };
}

function seqBytes(seq: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(seq);
  return b;
}

function aead(k: DirectionKeys, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array): Buffer {
  const d =
    k.spec.kind === "ccm"
      ? createDecipheriv(k.spec.algo as "aes-128-ccm", k.key, nonce, { authTagLength: 16 })
      : k.spec.kind === "chacha"
        ? createDecipheriv(k.spec.algo as "chacha20-poly1305", k.key, nonce, { authTagLength: 16 })
        : createDecipheriv(k.spec.algo as "aes-128-gcm", k.key, nonce);
  d.setAuthTag(tag);
  (d as unknown as { setAAD(b: Uint8Array, o?: { plaintextLength: number }): void }).setAAD(aad, {
    plaintextLength: ct.length,
  });
  return Buffer.concat([d.update(ct), d.final()]);
}

function xorNonce(iv: Uint8Array, seq: bigint): Buffer {
  const n = Buffer.from(iv);
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) n[4 + i] = (n[4 + i] ?? 0) ^ (s[i] ?? 0);
  return n;
}

/**
 * Decrypt one record body with the direction's keys (advancing its sequence number). Returns the content
 * type and plaintext (TLS 1.3: the inner type). Throws on an authentication failure (wrong keys).
 */
export function decryptRecord(
  k: DirectionKeys,
  type: number,
  version: number,
  body: Uint8Array,
): { type: number; data: Uint8Array } {
  const seq = k.seq;
  k.seq++;
  const s = k.spec;
  if (k.tls13) {
    const header = Buffer.from([type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff]);
    const pt = aead(
      k,
      xorNonce(k.iv, seq),
      header,
      body.subarray(0, body.length - 16),
      body.subarray(body.length - 16),
    );
    let end = pt.length;
    while (end > 0 && pt[end - 1] === 0) end--;
    if (end === 0) throw new Error("TLS 1.3 record without an inner content type");
    return { type: pt[end - 1]!, data: pt.subarray(0, end - 1) };
  }
  const hdr = (len: number) =>
    Buffer.concat([seqBytes(seq), Buffer.from([type, version >> 8, version & 0xff, len >> 8, len & 0xff])]);
  if (s.kind === "gcm") {
    const nonce = Buffer.concat([k.iv, body.subarray(0, 8)]);
    const ct = body.subarray(8, body.length - 16);
    return { type, data: aead(k, nonce, hdr(ct.length), ct, body.subarray(body.length - 16)) };
  }
  if (s.kind === "chacha") {
    const ct = body.subarray(0, body.length - 16);
    return { type, data: aead(k, xorNonce(k.iv, seq), hdr(ct.length), ct, body.subarray(body.length - 16)) };
  }
  if (k.etm) return { type, data: decryptEncryptThenMac(k, body, hdr) };
  // CBC with explicit IV, then MAC-then-encrypt (RFC 5246 §6.2.3.2)
  if (body.length < 32 || body.length % 16 !== 0) throw new Error(`CBC record of ${body.length} bytes`);
  const d = createDecipheriv(s.algo, k.key, body.subarray(0, 16)).setAutoPadding(false);
  const pt = Buffer.concat([d.update(body.subarray(16)), d.final()]);
  const pad = pt[pt.length - 1]!;
  const contentLen = pt.length - pad - 1 - s.macLen;
  if (contentLen < 0) throw new Error("bad CBC padding");
  const content = pt.subarray(0, contentLen);
  const mac = pt.subarray(contentLen, contentLen + s.macLen);
  const want = createHmac(s.macHash!, k.macKey!).update(hdr(contentLen)).update(content).digest();
  if (!timingSafeEqual(mac, want)) throw new Error("record MAC does not verify (wrong secret?)");
  return { type, data: content };
}

/**
 * CBC record with encrypt-then-MAC (RFC 7366 §3): IV ‖ ciphertext ‖ MAC, the MAC over the sequence number,
 * the header (its length that of IV ‖ ciphertext) and IV ‖ ciphertext. The MAC is checked first, then the
 * ciphertext is decrypted and its padding (RFC 5246 §6.2.3.2) removed.
 */
function decryptEncryptThenMac(k: DirectionKeys, body: Uint8Array, hdr: (len: number) => Buffer): Uint8Array {
  const s = k.spec;
  const ctLen = body.length - s.macLen;
  if (ctLen < 32 || ctLen % 16 !== 0)
    throw new Error(
      `CBC record of ${body.length} bytes: IV and ciphertext must be whole blocks before the MAC`,
    );
  const ct = body.subarray(0, ctLen);
  const want = createHmac(s.macHash!, k.macKey!).update(hdr(ctLen)).update(ct).digest();
  if (!timingSafeEqual(body.subarray(ctLen), want))
    throw new Error("record MAC (encrypt-then-MAC, RFC 7366) does not verify (wrong secret?)");
  const d = createDecipheriv(s.algo, k.key, ct.subarray(0, 16)).setAutoPadding(false);
  const pt = Buffer.concat([d.update(ct.subarray(16)), d.final()]);
  const pad = pt[pt.length - 1]!;
  if (pad + 1 > pt.length || pt.subarray(pt.length - pad - 1).some((b) => b !== pad))
    throw new Error("bad CBC padding after a verified encrypt-then-MAC record");
  return pt.subarray(0, pt.length - pad - 1);
}
