import "reflect-metadata";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { webcrypto } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import * as x509 from "@peculiar/x509";
import fc from "fast-check";
import { type Issued, makeTestPki, type TestPki } from "../../../tools/pki/make-test-pki.js";
import { checkOcspResponse, issueOcspResponse, OcspError, type OcspErrorCode } from "./ocsp.js";

const crypto = webcrypto as unknown as Crypto;
const DAY = 86_400_000;
const NOW = Date.now();
let pki: TestPki;

before(() => {
  pki = makeTestPki();
});

function good(over: Partial<Parameters<typeof issueOcspResponse>[0]> = {}) {
  return issueOcspResponse({
    cert: pki.seccLeaf.certDer,
    issuer: pki.cpoSubCa2.certDer,
    signerKey: pki.cpoSubCa2.keyPem,
    thisUpdate: new Date(NOW - 3_600_000),
    nextUpdate: new Date(NOW + 7 * DAY),
    ...over,
  });
}

const check = (der: Uint8Array, over: { leaf?: Issued; now?: number } = {}) =>
  checkOcspResponse(der, {
    leaf: (over.leaf ?? pki.seccLeaf).certDer,
    issuer: pki.cpoSubCa2.certDer,
    now: over.now ?? NOW,
  });

function refused(f: () => unknown, code: OcspErrorCode, msg: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof OcspError && e.code === code && msg.test(e.message));
}

/** A delegated OCSP responder certificate issued by CPO Sub-CA 2, with or without id-kp-OCSPSigning. */
async function responder(withEku: boolean): Promise<{ der: Uint8Array; keyPem: string }> {
  x509.cryptoProvider.set(crypto);
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const caKey = await crypto.subtle.importKey(
    "pkcs8",
    pki.cpoSubCa2.privateKey.export({ type: "pkcs8", format: "der" }),
    alg,
    false,
    ["sign"],
  );
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: "0a1b",
      subject: "CN=nacs test OCSP responder",
      issuer: new x509.X509Certificate(pki.cpoSubCa2.certPem).subjectName,
      notBefore: new Date(NOW - DAY),
      notAfter: new Date(NOW + 30 * DAY),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: alg,
      extensions: withEku ? [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning])] : [],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { der: new Uint8Array(cert.rawData), keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") };
}

test("a response signed by the issuing CA about the SECC leaf checks good", () => {
  const r = check(good());
  assert.equal(r.status, "good");
  assert.equal(r.signer, "issuer");
  assert.equal(r.nextUpdate?.getTime(), Math.floor((NOW + 7 * DAY) / 1000) * 1000);
});

test("revoked, unknown, outside thisUpdate..nextUpdate, stale, other certificate: refused naming the rule", () => {
  refused(
    () => check(good({ status: "revoked", revokedAt: new Date(NOW - DAY) })),
    "OCSP_REVOKED",
    /certStatus revoked at/,
  );
  refused(() => check(good({ status: "unknown" })), "OCSP_UNKNOWN", /certStatus unknown/);
  refused(
    () => check(good(), { now: NOW + 8 * DAY }),
    "OCSP_EXPIRED",
    /nextUpdate .* has passed \(RFC 6960 §3\.2/,
  );
  refused(() => check(good(), { now: NOW - DAY }), "OCSP_NOT_YET_VALID", /thisUpdate .* is in the future/);
  const noNext = good({ nextUpdate: undefined, thisUpdate: new Date(NOW - 8 * DAY) });
  refused(() => check(noNext), "OCSP_EXPIRED", /older than a week .*\[V2G2-876\]/);
  refused(() => check(good(), { leaf: pki.seccLeafExpired }), "OCSP_CERT_ID", /CertID of the SECC leaf/);
});

test("a response signed with another key, or by an unauthorised responder, is refused", async () => {
  refused(() => check(good({ signerKey: pki.rogueRoot.keyPem })), "OCSP_SIGNATURE", /does not verify/);
  const plain = await responder(false);
  refused(
    () => check(good({ signerKey: plain.keyPem, responderCert: plain.der })),
    "OCSP_SIGNER",
    /lacks extendedKeyUsage id-kp-OCSPSigning/,
  );
  const rogue = makeTestPki();
  refused(
    () => check(good({ signerKey: rogue.cpoSubCa2.keyPem, issuer: rogue.cpoSubCa2.certDer })),
    "OCSP_CERT_ID",
    /CertID/,
  );
  const delegated = await responder(true);
  const r = check(good({ signerKey: delegated.keyPem, responderCert: delegated.der }));
  assert.equal(r.signer, "CN=nacs test OCSP responder");
});

test("property: bytes and mutated responses give a result or an OcspError, nothing else", () => {
  const valid = good();
  const run = (b: Uint8Array) => {
    try {
      check(b);
    } catch (e) {
      if (!(e instanceof OcspError)) throw e;
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), run), { numRuns: 500 });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      }),
      (flips) => {
        const b = valid.slice();
        for (const [i, v] of flips) b[i] = v;
        run(b);
      },
    ),
    { numRuns: 600 },
  );
});

test("openssl ocsp accepts our response: signature, CertID and status good", (t) => {
  if (spawnSync("openssl", ["version"]).status !== 0) return t.skip("openssl is not installed");
  const dir = mkdtempSync(join(tmpdir(), "nacs-ocsp-"));
  try {
    const f = (n: string, s: string | Uint8Array) => {
      writeFileSync(join(dir, n), s);
      return join(dir, n);
    };
    const args = [
      "ocsp",
      "-respin",
      f("resp.der", good()),
      "-issuer",
      f("issuer.pem", pki.cpoSubCa2.certPem),
      "-cert",
      f("leaf.pem", pki.seccLeaf.certPem),
      "-CAfile",
      f("root.pem", pki.v2gRoot.certPem),
      "-verify_other",
      f("subcas.pem", pki.cpoSubCa2.certPem + pki.cpoSubCa1.certPem),
    ];
    const r = spawnSync("openssl", args, { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Response verify OK/);
    assert.match(r.stdout, /leaf\.pem: good/);
    const revoked = spawnSync(
      "openssl",
      args.map((a) => (a.endsWith("resp.der") ? f("rev.der", good({ status: "revoked" })) : a)),
      { encoding: "utf8" },
    );
    assert.match(revoked.stdout, /leaf\.pem: revoked/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
