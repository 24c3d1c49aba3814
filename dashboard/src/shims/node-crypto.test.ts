/** The browser `node:crypto` shim gives the same results as Node's for what the TLS decryptor uses. */
import assert from "node:assert/strict";
import * as node from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { ShimBuffer } from "./buffer.js";
import * as shim from "./node-crypto.js";

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });

test("node:crypto shim: HMAC-SHA1/256/384 as node:crypto (property)", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("sha1", "sha256", "sha384"),
      fc.uint8Array(),
      fc.uint8Array(),
      fc.uint8Array(),
      (h, k, a, b) => {
        const want = node.createHmac(h, k).update(a).update(b).digest();
        assert.deepEqual([...shim.createHmac(h, k).update(a).update(b).digest()], [...want]);
      },
    ),
  );
});

test("node:crypto shim: AES-GCM and ChaCha20-Poly1305 open what node:crypto sealed; a bad tag throws", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("aes-128-gcm", "aes-256-gcm", "chacha20-poly1305"),
      bytes(32),
      bytes(12),
      fc.uint8Array(),
      fc.uint8Array({ maxLength: 200 }),
      (algo, key32, iv, aad, pt) => {
        const key = algo === "aes-128-gcm" ? key32.subarray(0, 16) : key32;
        const c = node.createCipheriv(algo as "aes-128-gcm", key, iv, { authTagLength: 16 } as never);
        c.setAAD(aad, { plaintextLength: pt.length });
        const ct = Buffer.concat([c.update(pt), c.final()]);
        const tag = c.getAuthTag();
        const d = shim.createDecipheriv(algo, key, iv);
        d.setAuthTag(tag);
        d.setAAD(aad);
        assert.deepEqual([...ShimBuffer.concat([d.update(ct), d.final()])], [...pt]);
        const bad = shim.createDecipheriv(algo, key, iv);
        bad.setAuthTag(tag.map((x, i) => (i === 0 ? x ^ 1 : x)));
        bad.setAAD(aad);
        bad.update(ct);
        assert.throws(() => bad.final());
      },
    ),
    { numRuns: 60 },
  );
});

test("node:crypto shim: AES-CBC without padding removal as node:crypto", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(16, 32),
      bytes(32),
      bytes(16),
      fc.integer({ min: 1, max: 8 }),
      (klen, k, iv, blocks) => {
        const key = k.subarray(0, klen);
        const ct = new Uint8Array(blocks * 16).map((_, i) => (i * 37 + klen) & 255);
        const algo = `aes-${klen * 8}-cbc`;
        const n = node.createDecipheriv(algo, key, iv).setAutoPadding(false);
        const want = Buffer.concat([n.update(ct), n.final()]);
        const s = shim.createDecipheriv(algo, key, iv).setAutoPadding(false);
        assert.deepEqual([...ShimBuffer.concat([s.update(ct), s.final()])], [...want]);
      },
    ),
    { numRuns: 40 },
  );
  assert.equal(shim.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assert.equal(shim.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  const b = ShimBuffer.alloc(8);
  b.writeBigUInt64BE(0x0102030405060708n);
  assert.deepEqual([...b], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([...ShimBuffer.from("tls13 ", "latin1")], [...Buffer.from("tls13 ", "latin1")]);
});
