import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { makeTestPki, PKI20_FILES, writeTestPki } from "./make-test-pki.js";

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

test("pki -20: P-521 / ecdsa-with-SHA512 V2G and OEM chains, Ed448 SECC leaf, vehicle CN = EVCCID", () => {
  const p = makeTestPki({ seccId: "ZZ00042", evccId: "ZZEVCCID0000042" }).iso20;
  const curve = (i: { certPem: string }) => x(i.certPem).publicKey.asymmetricKeyDetails?.namedCurve;
  for (const i of [p.v2gRoot, p.cpoSubCa1, p.cpoSubCa2, p.seccLeaf, p.oemRoot, p.oemSubCa2, p.vehicleLeaf])
    assert.equal(curve(i), "secp521r1");
  assert.equal(x(p.seccEd448Leaf.certPem).publicKey.asymmetricKeyType, "ed448");
  assert.ok(x(p.seccLeaf.certPem).verify(x(p.cpoSubCa2.certPem).publicKey));
  assert.ok(x(p.seccEd448Leaf.certPem).verify(x(p.cpoSubCa2.certPem).publicKey));
  assert.ok(x(p.vehicleLeaf.certPem).checkIssued(x(p.oemSubCa2.certPem)));
  assert.match(x(p.vehicleLeaf.certPem).subject, /CN=ZZEVCCID0000042/);
  assert.match(x(p.vehicleLeaf.certPem).subject, /O=nacs test OEM/);
  assert.match(x(p.seccLeaf.certPem).subject, /DC=CPO/);
  assert.equal(p.seccChainPem.match(/BEGIN CERTIFICATE/g)?.length, 3);
  assert.equal(p.vehicleChainPem.match(/BEGIN CERTIFICATE/g)?.length, 3);
});

test("pki -20: openssl verify -x509_strict accepts the SECC (P-521, Ed448) and vehicle chains; signatures ecdsa-with-SHA512 (skipped without openssl)", (t) => {
  if (spawnSync("openssl", ["version"]).status !== 0) {
    t.skip("openssl CLI not installed");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "nacs-pki20-"));
  try {
    writeTestPki(dir, pki);
    const f = PKI20_FILES;
    const verify = (root: string, subs: string[], leaves: string[]) =>
      spawnSync(
        "openssl",
        ["verify", "-x509_strict", "-CAfile", root, ...subs.flatMap((s) => ["-untrusted", s]), ...leaves],
        { cwd: dir, encoding: "utf8" },
      );
    const secc = verify(f.v2gRoot, [f.cpoSubCa2, f.cpoSubCa1], [f.seccLeaf, f.seccEd448Leaf]);
    assert.equal(secc.status, 0, secc.stderr + secc.stdout);
    assert.match(secc.stdout, new RegExp(`${f.seccEd448Leaf}: OK`));
    const vehicle = verify(f.oemRoot, [f.oemSubCa2, f.oemSubCa1], [f.vehicleLeaf]);
    assert.equal(vehicle.status, 0, vehicle.stderr + vehicle.stdout);
    // The -20 SECC leaf does not verify against the -2 root (separate trees).
    const cross = verify("v2g-root.pem", [f.cpoSubCa2, f.cpoSubCa1], [f.seccLeaf]);
    assert.notEqual(cross.status, 0);
    const text = (file: string) =>
      spawnSync("openssl", ["x509", "-in", file, "-noout", "-text"], { cwd: dir, encoding: "utf8" }).stdout;
    const leaf = text(f.seccLeaf);
    assert.match(leaf, /Signature Algorithm: ecdsa-with-SHA512/);
    assert.match(leaf, /NIST CURVE: P-521/);
    assert.match(leaf, /Key Usage: critical\s+Digital Signature\n/);
    assert.match(text(f.seccEd448Leaf), /Public Key Algorithm: ED448/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
