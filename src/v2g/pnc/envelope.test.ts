import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { p256 } from "@noble/curves/nist.js";
import fc from "fast-check";
import {
  decryptContractKey,
  deriveSessionKey,
  EnvelopeError,
  encryptContractKey,
  PNC_DH_PUBLIC_KEY_LENGTH,
  PNC_ENCRYPTED_KEY_LENGTH,
  publicKeyOf,
} from "./envelope.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const fromHex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const fill = (v: number) => new Uint8Array(32).fill(v);

/** A P-256 scalar from fast-check: 32 random bytes reduced into 1..n-1 by the library's own helper. */
const scalarArb = fc
  .uint8Array({ minLength: 48, maxLength: 48 })
  .map((seed) => p256.utils.randomSecretKey(seed));

describe("contract-key envelope (ISO 15118-2 ContractSignatureEncryptedPrivateKey)", () => {
  test("reproduces the vector built with Python cryptography as EcoG-io/iso15118 does (OEM d=11…, ephemeral d=22…, contract d=33…, IV 00..0f)", () => {
    const oem = fill(0x11);
    const env = encryptContractKey({
      contractPrivateKey: fill(0x33),
      receiverPublicKey: publicKeyOf(oem),
      ephemeralPrivateKey: fill(0x22),
      iv: fromHex("000102030405060708090a0b0c0d0e0f"),
    });
    assert.equal(
      hex(env.dhPublicKey),
      "04d65a93977caa3d1b081852ff57a79e465f1660577304baead505dd3a48589cf350185e895372df6221ea3a137557e473fddb6755f05bd507c3c533fce9c91285",
    );
    assert.equal(
      hex(env.encryptedPrivateKey),
      "000102030405060708090a0b0c0d0e0ff418f69bd6f0497a0e55fcca0d8dd0ad9b69c89071ce6f2efbbde7fed706d155",
    );
    assert.equal(
      hex(deriveSessionKey(fromHex("ccfc261f58193c98ca4ad4a53bbac6f0ee29bc4d48438090446908622ca79af6"))),
      "7178a38694ce5bf8a6a20df6dae3ac94",
    );
    const d = decryptContractKey({
      ...env,
      receiverPrivateKey: oem,
      expectedPublicKey: publicKeyOf(fill(0x33)),
    });
    assert.equal(hex(d), hex(fill(0x33)));
  });

  test("round trip over random receiver and contract keys; fields have the XSD sizes", () => {
    fc.assert(
      fc.property(scalarArb, scalarArb, (receiver, contract) => {
        const env = encryptContractKey({
          contractPrivateKey: contract,
          receiverPublicKey: publicKeyOf(receiver),
        });
        assert.equal(env.dhPublicKey.length, PNC_DH_PUBLIC_KEY_LENGTH);
        assert.equal(env.dhPublicKey[0], 0x04);
        assert.equal(env.encryptedPrivateKey.length, PNC_ENCRYPTED_KEY_LENGTH);
        const d = decryptContractKey({
          ...env,
          receiverPrivateKey: receiver,
          expectedPublicKey: publicKeyOf(contract),
        });
        assert.equal(hex(d), hex(contract));
      }),
      { numRuns: 40 },
    );
  });

  test("a short private scalar (leading zero bytes) is left-padded to 32 bytes ([V2G2-816])", () => {
    const receiver = fill(0x44);
    const short = fromHex("0102030405");
    const env = encryptContractKey({ contractPrivateKey: short, receiverPublicKey: publicKeyOf(receiver) });
    const d = decryptContractKey({ ...env, receiverPrivateKey: receiver });
    assert.equal(hex(d), `${"00".repeat(27)}0102030405`);
  });

  test("a flipped bit anywhere in the encrypted field, or a wrong receiver key, fails with a named error", () => {
    const receiver = fill(0x11);
    const contract = fill(0x33);
    const expectedPublicKey = publicKeyOf(contract);
    const env = encryptContractKey({
      contractPrivateKey: contract,
      receiverPublicKey: publicKeyOf(receiver),
    });
    for (let bit = 0; bit < PNC_ENCRYPTED_KEY_LENGTH * 8; bit += 7) {
      const bad = env.encryptedPrivateKey.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      assert.throws(
        () =>
          decryptContractKey({
            ...env,
            encryptedPrivateKey: bad,
            receiverPrivateKey: receiver,
            expectedPublicKey,
          }),
        (e: unknown) =>
          e instanceof EnvelopeError &&
          e.field === "ContractSignatureEncryptedPrivateKey" &&
          (e.code === "key-mismatch" || e.code === "bad-private-key"),
      );
    }
    assert.throws(
      () => decryptContractKey({ ...env, receiverPrivateKey: fill(0x12), expectedPublicKey }),
      (e: unknown) =>
        e instanceof EnvelopeError && e.code === "key-mismatch" && /\[V2G2-823\]/.test(e.message),
    );
  });

  test("bad field sizes and points name the field and the rule", () => {
    const receiver = fill(0x11);
    const env = encryptContractKey({
      contractPrivateKey: fill(0x33),
      receiverPublicKey: publicKeyOf(receiver),
    });
    const cases: [Partial<Parameters<typeof decryptContractKey>[0]>, string, string][] = [
      [
        { encryptedPrivateKey: env.encryptedPrivateKey.subarray(0, 47) },
        "bad-length",
        "ContractSignatureEncryptedPrivateKey",
      ],
      [{ dhPublicKey: env.dhPublicKey.subarray(0, 33) }, "bad-length", "DHpublickey"],
      [{ dhPublicKey: Uint8Array.of(0x05, ...env.dhPublicKey.subarray(1)) }, "bad-point", "DHpublickey"],
      [{ dhPublicKey: Uint8Array.of(0x04, ...new Uint8Array(64).fill(1)) }, "bad-point", "DHpublickey"],
      [{ receiverPrivateKey: new Uint8Array(32) }, "bad-private-key", "receiverPrivateKey"],
    ];
    for (const [patch, code, field] of cases) {
      assert.throws(
        () => decryptContractKey({ ...env, receiverPrivateKey: receiver, ...patch }),
        (e: unknown) =>
          e instanceof EnvelopeError &&
          e.code === code &&
          e.field === field &&
          e.message.startsWith(`${field}: `),
        `${field} ${code}`,
      );
    }
    assert.throws(
      () =>
        encryptContractKey({
          contractPrivateKey: fill(0x33),
          receiverPublicKey: publicKeyOf(receiver),
          iv: new Uint8Array(8),
        }),
      (e: unknown) => e instanceof EnvelopeError && e.field === "iv",
    );
  });

  const haveOpenssl = spawnSync("openssl", ["version"]).status === 0;
  test(
    "cross-check with openssl: pkeyutl -derive gives Z, the KDF recomputed here, enc -d -aes-128-cbc recovers the key",
    { skip: haveOpenssl ? false : "openssl CLI not found on PATH" },
    () => {
      const dir = mkdtempSync(join(tmpdir(), "nacs-envelope-"));
      try {
        for (let round = 0; round < 3; round++) {
          const receiver = p256.utils.randomSecretKey();
          const contract = p256.utils.randomSecretKey();
          const env = encryptContractKey({
            contractPrivateKey: contract,
            receiverPublicKey: publicKeyOf(receiver),
          });
          const recvPem = createPrivateKey({ key: jwkOf(receiver), format: "jwk" }).export({
            type: "pkcs8",
            format: "pem",
          });
          const peerPem = createPublicKey({ key: jwkOfPoint(env.dhPublicKey), format: "jwk" }).export({
            type: "spki",
            format: "pem",
          });
          writeFileSync(join(dir, "recv.pem"), recvPem);
          writeFileSync(join(dir, "peer.pem"), peerPem);
          const z = execFileSync("openssl", [
            "pkeyutl",
            "-derive",
            "-inkey",
            join(dir, "recv.pem"),
            "-peerkey",
            join(dir, "peer.pem"),
          ]);
          assert.equal(z.length, 32);
          // NIST SP 800-56A concatenation KDF, computed independently with node:crypto
          const k = createHash("sha256")
            .update(Buffer.concat([Buffer.from([0, 0, 0, 1]), z, Buffer.from([0x01, 0x55, 0x56])]))
            .digest()
            .subarray(0, 16);
          writeFileSync(join(dir, "ct.bin"), env.encryptedPrivateKey.subarray(16));
          const plain = execFileSync("openssl", [
            "enc",
            "-d",
            "-aes-128-cbc",
            "-nopad",
            "-K",
            k.toString("hex"),
            "-iv",
            hex(env.encryptedPrivateKey.subarray(0, 16)),
            "-in",
            join(dir, "ct.bin"),
          ]);
          assert.equal(plain.toString("hex"), hex(contract));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

const b64u = (b: Uint8Array) => Buffer.from(b).toString("base64url");
function jwkOfPoint(point: Uint8Array) {
  return { kty: "EC", crv: "P-256", x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33, 65)) };
}
function jwkOf(d: Uint8Array) {
  return { ...jwkOfPoint(publicKeyOf(d)), d: b64u(d) };
}
