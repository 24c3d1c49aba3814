/**
 * `node:crypto` for the browser build, enough for the core's TLS decryptor (src/capture/node/tls-keys.ts):
 * `createDecipheriv` for AES-CBC (no padding removal, as the caller asks), AES-GCM and ChaCha20-Poly1305
 * (RFC 8439), `createHmac` (SHA-1 / SHA-256 / SHA-384, RFC 2104) and `timingSafeEqual`, on @noble/ciphers
 * and @noble/hashes. AES-CCM is not available here: such a TLS 1.3 suite is reported as not decrypted.
 * Vite aliases `node:crypto` to this module in the dashboard build.
 */
import { cbc, gcm } from "@noble/ciphers/aes.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha384 } from "@noble/hashes/sha2.js";
import { installBuffer, ShimBuffer } from "./buffer.js";

installBuffer();

const HASHES = { sha1, sha256, sha384 } as const;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return ShimBuffer.concat(parts);
}

export function createHmac(hash: string, key: Uint8Array) {
  const h = HASHES[hash as keyof typeof HASHES];
  if (!h) throw new Error(`createHmac: hash ${hash} is not supported in the browser`);
  const parts: Uint8Array[] = [];
  const self = {
    update(d: Uint8Array) {
      parts.push(d);
      return self;
    },
    digest() {
      return ShimBuffer.from(hmac(h, key, concat(parts)));
    },
  };
  return self;
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) throw new RangeError("Input buffers must have the same byte length");
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** A decipher that collects its input and decrypts it all in `final()` (records are small). */
export function createDecipheriv(algo: string, key: Uint8Array, iv: Uint8Array, _opts?: unknown) {
  const parts: Uint8Array[] = [];
  let tag: Uint8Array = new Uint8Array(0);
  let aad: Uint8Array = new Uint8Array(0);
  const self = {
    setAutoPadding(_on: boolean) {
      return self;
    },
    setAuthTag(t: Uint8Array) {
      tag = t;
      return self;
    },
    setAAD(a: Uint8Array, _o?: unknown) {
      aad = a;
      return self;
    },
    update(d: Uint8Array) {
      parts.push(d);
      return ShimBuffer.alloc(0);
    },
    final() {
      const input = concat(parts);
      if (/^aes-(128|256)-cbc$/.test(algo))
        return ShimBuffer.from(cbc(key, iv, { disablePadding: true }).decrypt(input));
      if (/^aes-(128|256)-gcm$/.test(algo))
        return ShimBuffer.from(gcm(key, iv, aad).decrypt(concat([input, tag])));
      if (algo === "chacha20-poly1305")
        return ShimBuffer.from(chacha20poly1305(key, iv, aad).decrypt(concat([input, tag])));
      throw new Error(`createDecipheriv: ${algo} is not supported in the browser`);
    },
  };
  return self;
}
