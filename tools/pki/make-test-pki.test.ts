import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { makeTestPki, writeTestPki } from "./make-test-pki.js";

const pki = makeTestPki({ seccId: "ZZ00042", now: new Date() });
const x = (pem: string) => new X509Certificate(pem);

test("pki: root → Sub-CA 1 → Sub-CA 2 → SECC leaf, each signed by its issuer (ECDSA P-256)", () => {
  const root = x(pki.v2gRoot.certPem);
  const s1 = x(pki.cpoSubCa1.certPem);
  const s2 = x(pki.cpoSubCa2.certPem);
  const leaf = x(pki.seccLeaf.certPem);
  assert.ok(root.verify(root.publicKey), "root self-signed");
  assert.ok(s1.checkIssued(root) && s1.verify(root.publicKey));
  assert.ok(s2.checkIssued(s1) && s2.verify(s1.publicKey));
  assert.ok(leaf.checkIssued(s2) && leaf.verify(s2.publicKey));
  assert.ok(!leaf.verify(root.publicKey), "leaf is not signed by the root");
  assert.deepEqual([root.ca, s1.ca, s2.ca, leaf.ca], [true, true, true, false]);
  assert.equal(leaf.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
  assert.match(leaf.subject, /CN=ZZ00042/);
  assert.match(leaf.subject, /DC=CPO/);
  assert.ok(leaf.checkPrivateKey(pki.seccLeaf.privateKey));
  // keyUsage: leaf digitalSignature + keyAgreement (ISO 15118-2 Annex F profile).
  assert.equal(
    leaf.keyUsage,
    undefined,
    "keyUsage is reported only for extended usage; checked via openssl below",
  );
});

test("pki: expired leaf and rogue chain", () => {
  const expired = x(pki.seccLeafExpired.certPem);
  assert.ok(new Date(expired.validTo).getTime() < Date.now());
  assert.ok(expired.checkIssued(x(pki.cpoSubCa2.certPem)));
  const rogue = x(pki.rogueSeccLeaf.certPem);
  assert.ok(rogue.checkIssued(x(pki.rogueRoot.certPem)));
  assert.ok(!rogue.checkIssued(x(pki.cpoSubCa2.certPem)));
  assert.equal(pki.seccChainPem.match(/BEGIN CERTIFICATE/g)?.length, 3);
});

test("pki: openssl verify -x509_strict accepts the chain and refuses the expired leaf (skipped without openssl)", (t) => {
  if (spawnSync("openssl", ["version"]).status !== 0) {
    t.skip("openssl CLI not installed");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "nacs-pki-"));
  try {
    writeTestPki(dir, pki);
    assert.ok(readdirSync(dir).includes("secc-leaf.key"));
    const verify = (leaf: string) =>
      spawnSync(
        "openssl",
        [
          "verify",
          "-x509_strict",
          "-CAfile",
          "v2g-root.pem",
          "-untrusted",
          "cpo-sub-ca-2.pem",
          "-untrusted",
          "cpo-sub-ca-1.pem",
          leaf,
        ],
        { cwd: dir, encoding: "utf8" },
      );
    const ok = verify("secc-leaf.pem");
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    const bad = verify("secc-expired-chain.pem");
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout + bad.stderr, /expired/);
    const text = spawnSync(
      "openssl",
      ["x509", "-in", "secc-leaf.pem", "-noout", "-ext", "keyUsage,basicConstraints"],
      { cwd: dir, encoding: "utf8" },
    ).stdout;
    assert.match(text, /Digital Signature, Key Agreement/);
    assert.match(text, /CA:FALSE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
