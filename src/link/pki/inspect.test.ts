import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { describe, test } from "node:test";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import fc from "fast-check";
import { PkiError } from "./errors.js";
import { checkChain, describeCertificate, readCertificates } from "./inspect.js";
import { issuePncCert } from "./issuer.js";
import { pncProfile } from "./profiles.js";

const DAY = 86_400_000;
const pem = (...certs: { certPem: string }[]) =>
  new TextEncoder().encode(certs.map((c) => c.certPem).join(""));

describe("certificate inspection (nacs pki show)", () => {
  test("validity is reported as valid, expired or not yet valid against the given time", async () => {
    const now = new Date("2030-06-01T00:00:00Z");
    const root = await issuePncCert(pncProfile("v2g-root"), { cn: "Root", now });
    const sub1 = await issuePncCert(pncProfile("cpo-sub-ca-1"), { cn: "Sub 1", now, issuer: root });
    const sub2 = await issuePncCert(pncProfile("cpo-sub-ca-2"), { cn: "Sub 2", now, issuer: sub1 });
    const leaf = await issuePncCert(pncProfile("secc-leaf"), { cn: "SECC", now, issuer: sub2 });
    const at = async (t: Date) => (await describeCertificate(leaf.cert, t)).validity;
    assert.equal(await at(now), "valid");
    assert.equal(await at(new Date(now.getTime() + 61 * DAY)), "expired");
    assert.equal(await at(new Date(now.getTime() - DAY)), "not yet valid");
    const info = await describeCertificate(leaf.cert, now);
    assert.equal(info.publicKey, "EC P-256");
    assert.equal(info.signatureAlgorithm, "ECDSA with SHA-256");
    assert.deepEqual(info.basicConstraints, { critical: true, ca: false, pathLen: null });
    assert.deepEqual(info.keyUsage, { critical: true, usages: ["digitalSignature", "keyAgreement"] });
    assert.equal(info.authorityKeyId, (await describeCertificate(sub2.cert, now)).subjectKeyId);
    assert.equal(info.selfSigned, false);
    assert.equal((await describeCertificate(root.cert, now)).selfSigned, true);
    assert.match(info.subject, /CN=SECC, DC=CPO/);

    const certs = readCertificates(pem(leaf, sub2, sub1, root), "chain.pem");
    assert.equal(certs.length, 4);
    const links = await checkChain(certs);
    assert.deepEqual(
      links.map((l) => l.issuerMatches && l.signedByNext),
      [true, true, true],
    );
    // out of order: Sub-CA 1 before Sub-CA 2 breaks links 1 and 2
    const shuffled = await checkChain(readCertificates(pem(leaf, sub1, sub2), "bad.pem"));
    assert.deepEqual(
      shuffled.map((l) => l.signedByNext),
      [false, false],
    );
    // same issuer name, other key: the name matches, the signature does not
    const impostor = await issuePncCert(pncProfile("cpo-sub-ca-2"), { cn: "Sub 2", now, issuer: sub1 });
    const [link] = await checkChain(readCertificates(pem(leaf, impostor), "impostor.pem"));
    assert.deepEqual(link, { index: 0, issuerMatches: true, signedByNext: false });
  });

  test("DER input, non-critical KeyUsage and a SAN are shown as they are", async () => {
    const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
    const crypto = webcrypto as unknown as Crypto;
    const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        name: "CN=odd",
        keys,
        signingAlgorithm: alg,
        extensions: [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, false),
          new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "secc.example" }]),
        ],
      },
      crypto,
    );
    const [parsed] = readCertificates(new Uint8Array(cert.rawData), "odd.der");
    const info = await describeCertificate(parsed!);
    assert.deepEqual(info.keyUsage, { critical: false, usages: ["digitalSignature"] });
    assert.equal(info.basicConstraints, null);
    assert.deepEqual(info.subjectAltNames, ["dns:secc.example"]);
  });

  test("bad input is a PkiError naming the file and what is wrong", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /^x: empty file$/],
      [enc("hello\n"), /^x: neither PEM .* nor DER/],
      [
        enc("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
        /^x: holds PEM PRIVATE KEY but no CERTIFICATE/,
      ],
      [
        enc("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"),
        /^x: certificate 1: PEM body is not base64/,
      ],
      [
        enc("-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n"),
        /^x: certificate 1: not a DER X\.509/,
      ],
      [Uint8Array.of(0x30, 0x82, 0x01), /^x: not a DER X\.509 certificate/],
    ];
    for (const [bytes, re] of cases)
      assert.throws(
        () => readCertificates(bytes, "x"),
        (e: unknown) => e instanceof PkiError && e.code === "bad-certificate" && re.test(e.message),
        String(re),
      );
  });

  test("arbitrary bytes (random, DER-looking, PEM-wrapped) give certificates or a PkiError, never another error", () => {
    const onlyPkiErrors = (bytes: Uint8Array) => {
      try {
        readCertificates(bytes, "fuzz");
      } catch (e) {
        assert.ok(e instanceof PkiError, `unexpected ${(e as Error)?.name}: ${(e as Error)?.message}`);
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        onlyPkiErrors(b);
        onlyPkiErrors(Uint8Array.of(0x30, ...b));
        onlyPkiErrors(
          new TextEncoder().encode(
            `-----BEGIN CERTIFICATE-----\n${Buffer.from(Uint8Array.of(0x30, ...b)).toString("base64")}\n-----END CERTIFICATE-----\n`,
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  test("a real certificate with any byte changed is described or refused with a PkiError, never another error", async () => {
    const now = new Date();
    const root = await issuePncCert(pncProfile("mo-root"), { cn: "Root", now });
    const leaf = await issuePncCert(pncProfile("contract-leaf"), { cn: "DENACC00000001", now, issuer: root });
    const der = new Uint8Array(leaf.cert.rawData);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: der.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, x) => {
        const bad = der.slice();
        bad[at]! ^= x;
        try {
          const certs = readCertificates(bad, "mutated.der");
          for (const c of certs) await describeCertificate(c, now);
          await checkChain([...certs, root.cert]);
        } catch (e) {
          assert.ok(
            e instanceof PkiError,
            `byte ${at} ^ ${x}: unexpected ${(e as Error)?.name}: ${(e as Error)?.message}`,
          );
        }
      }),
      { numRuns: 400 },
    );
  });
});
