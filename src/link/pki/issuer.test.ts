import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { decryptContractKey, encryptContractKey } from "../../v2g/pnc/envelope.js";
import { PkiError } from "./errors.js";
import { pncFileNames, writePncPki } from "./files.js";
import { issuePncPki, type PncPki } from "./issuer.js";
import type { PncRole } from "./profiles.js";

/**
 * The profiles expected for each role, written out here on their own (ISO 15118-2 certificate profiles as
 * the public test PKIs carry them), so that a change to profiles.ts is checked against this table.
 */
const EXPECTED: Record<
  PncRole,
  { issuer: PncRole; pathLen: number | null | "leaf"; ku: string[]; dc: string; days: number }
> = {
  "v2g-root": { issuer: "v2g-root", pathLen: null, ku: ["keyCertSign", "cRLSign"], dc: "V2G", days: 3650 },
  "cpo-sub-ca-1": { issuer: "v2g-root", pathLen: 1, ku: ["keyCertSign", "cRLSign"], dc: "V2G", days: 1460 },
  "cpo-sub-ca-2": {
    issuer: "cpo-sub-ca-1",
    pathLen: 0,
    ku: ["keyCertSign", "cRLSign"],
    dc: "V2G",
    days: 365,
  },
  "secc-leaf": {
    issuer: "cpo-sub-ca-2",
    pathLen: "leaf",
    ku: ["digitalSignature", "keyAgreement"],
    dc: "CPO",
    days: 60,
  },
  "cps-sub-ca-1": { issuer: "v2g-root", pathLen: 1, ku: ["keyCertSign", "cRLSign"], dc: "CPS", days: 1460 },
  "cps-sub-ca-2": {
    issuer: "cps-sub-ca-1",
    pathLen: 0,
    ku: ["keyCertSign", "cRLSign"],
    dc: "CPS",
    days: 730,
  },
  "cps-leaf": { issuer: "cps-sub-ca-2", pathLen: "leaf", ku: ["digitalSignature"], dc: "CPS", days: 90 },
  "mo-root": { issuer: "mo-root", pathLen: null, ku: ["keyCertSign", "cRLSign"], dc: "MO", days: 3650 },
  "mo-sub-ca-1": { issuer: "mo-root", pathLen: 1, ku: ["keyCertSign", "cRLSign"], dc: "MO", days: 1460 },
  "mo-sub-ca-2": {
    issuer: "mo-sub-ca-1",
    pathLen: 0,
    ku: ["digitalSignature", "nonRepudiation", "keyCertSign", "cRLSign"],
    dc: "MO",
    days: 1460,
  },
  "contract-leaf": {
    issuer: "mo-sub-ca-2",
    pathLen: "leaf",
    ku: ["digitalSignature", "nonRepudiation", "keyEncipherment", "keyAgreement"],
    dc: "MO",
    days: 730,
  },
  "oem-root": { issuer: "oem-root", pathLen: null, ku: ["keyCertSign", "cRLSign"], dc: "OEM", days: 3650 },
  "oem-sub-ca-1": { issuer: "oem-root", pathLen: 1, ku: ["keyCertSign", "cRLSign"], dc: "OEM", days: 1460 },
  "oem-sub-ca-2": {
    issuer: "oem-sub-ca-1",
    pathLen: 0,
    ku: ["keyCertSign", "cRLSign"],
    dc: "OEM",
    days: 1460,
  },
  "oem-prov-leaf": {
    issuer: "oem-sub-ca-2",
    pathLen: "leaf",
    ku: ["digitalSignature", "keyAgreement"],
    dc: "OEM",
    days: 1460,
  },
};
const ROLES = Object.keys(EXPECTED) as PncRole[];
const KU_NAMES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
];
const LEAVES: [PncRole, PncRole][] = [
  ["secc-leaf", "v2g-root"],
  ["cps-leaf", "v2g-root"],
  ["contract-leaf", "mo-root"],
  ["oem-prov-leaf", "oem-root"],
];
const EMAID = "DE-ABC-C12345678-9";
const PCID = "WVW12345678901234X";
const SECC_ID = "DE-ABC-S-12345678901234567890123456789012-3";
const NOW = new Date();

let pki: PncPki;
let dir: string;

before(async () => {
  pki = await issuePncPki({ emaid: EMAID, pcid: PCID, seccId: SECC_ID, now: NOW });
  dir = mkdtempSync(join(tmpdir(), "nacs-pnc-pki-"));
  await writePncPki(dir, pki);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const nodeCert = (role: PncRole) => new X509Certificate(readFileSync(join(dir, pncFileNames(role).cert)));
/** Node prints the subject as newline-separated K=V lines in forward order. */
const fields = (s: string) => Object.fromEntries(s.split("\n").map((l) => l.split(/=(.*)/s).slice(0, 2)));

describe("PnC test PKI issuer (ISO 15118-2 profiles)", () => {
  test("names, CA flag, issuer link and signature read back with node:crypto X509Certificate", () => {
    for (const role of ROLES) {
      const e = EXPECTED[role];
      const c = nodeCert(role);
      const issuer = nodeCert(e.issuer);
      const subj = fields(c.subject);
      assert.equal(subj.DC, e.dc, `${role} DC`);
      assert.equal(subj.O, "nacs Test-PKI", `${role} O`);
      assert.equal(c.ca, e.pathLen !== "leaf", `${role} CA flag`);
      assert.ok(c.checkIssued(issuer), `${role} issued by ${e.issuer}`);
      assert.ok(c.verify(issuer.publicKey), `${role} signed by ${e.issuer}`);
      assert.equal(c.keyUsage, undefined, `${role}: no ExtendedKeyUsage (node's .keyUsage is the EKU list)`);
      const jwk = c.publicKey.export({ format: "jwk" });
      assert.equal(jwk.crv, "P-256", `${role} curve`);
      assert.ok(c.raw.length <= 800, `${role}: ${c.raw.length} B DER > 800 ([V2G2-010])`);
      const days = (Date.parse(c.validTo) - Date.parse(c.validFrom)) / 86_400_000;
      assert.equal(days, e.days, `${role} validity`);
      assert.ok(Date.parse(c.validFrom) <= NOW.getTime(), `${role} already valid`);
    }
    assert.equal(fields(nodeCert("contract-leaf").subject).CN, EMAID);
    assert.equal(fields(nodeCert("oem-prov-leaf").subject).CN, PCID);
    assert.equal(fields(nodeCert("secc-leaf").subject).CN, SECC_ID);
  });

  test("BasicConstraints, KeyUsage and their criticality read back with @peculiar/x509", () => {
    for (const role of ROLES) {
      const e = EXPECTED[role];
      const c = new x509.X509Certificate(readFileSync(join(dir, pncFileNames(role).cert)));
      const bc = c.getExtension(x509.BasicConstraintsExtension);
      const ku = c.getExtension(x509.KeyUsagesExtension);
      assert.ok(bc && ku, `${role}: BasicConstraints and KeyUsage present`);
      assert.equal(bc.critical, true, `${role} BC critical`);
      assert.equal(ku.critical, true, `${role} KU critical`);
      assert.equal(bc.ca, e.pathLen !== "leaf", `${role} BC cA`);
      assert.equal(
        bc.pathLength,
        e.pathLen === "leaf" || e.pathLen === null ? undefined : e.pathLen,
        `${role} pathLen`,
      );
      const bits = KU_NAMES.filter((_, i) => (ku.usages & (1 << i)) !== 0);
      assert.deepEqual(bits, e.ku, `${role} KU bits`);
      assert.equal(c.getExtension(x509.ExtendedKeyUsageExtension), null, `${role}: no EKU`);
      assert.ok(c.getExtension(x509.SubjectKeyIdentifierExtension), `${role} SKI`);
      const sig = c.signatureAlgorithm as Algorithm & { hash: Algorithm };
      assert.equal(`${sig.name}/${sig.hash.name}`, "ECDSA/SHA-256", `${role} ecdsa-with-SHA256`);
    }
  });

  test("each PKCS#8 key file belongs to its certificate", () => {
    for (const role of ROLES) {
      const keyPem = readFileSync(join(dir, pncFileNames(role).key), "utf8");
      assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
      const pub = createPublicKey(createPrivateKey(keyPem)).export({ format: "jwk" });
      assert.deepEqual(pub, nodeCert(role).publicKey.export({ format: "jwk" }), role);
    }
  });

  test("the contract key travels in the envelope to the OEM provisioning key of the issued PKI", () => {
    const jwk = (role: PncRole) =>
      createPrivateKey(readFileSync(join(dir, pncFileNames(role).key))).export({ format: "jwk" });
    const point = (role: PncRole) => {
      const j = nodeCert(role).publicKey.export({ format: "jwk" });
      return Uint8Array.of(4, ...Buffer.from(j.x!, "base64url"), ...Buffer.from(j.y!, "base64url"));
    };
    const contractD = Buffer.from(jwk("contract-leaf").d!, "base64url");
    const env = encryptContractKey({
      contractPrivateKey: contractD,
      receiverPublicKey: point("oem-prov-leaf"),
    });
    const d = decryptContractKey({
      ...env,
      receiverPrivateKey: Buffer.from(jwk("oem-prov-leaf").d!, "base64url"),
      expectedPublicKey: point("contract-leaf"),
    });
    assert.equal(Buffer.from(d).toString("hex"), contractD.toString("hex").padStart(64, "0"));
  });

  test("identifiers that break their syntax are refused naming the option", async () => {
    const bad: [Parameters<typeof issuePncPki>[0], string][] = [
      [{ emaid: "DE-ABC" }, "--emaid"],
      [{ emaid: "DEABC1234567890XY" }, "--emaid"],
      [{ pcid: "WVW123" }, "--pcid"],
      [{ pcid: "WVW12345678901234/" }, "--pcid"],
      [{ seccId: "x".repeat(65) }, "--secc-id"],
      [{ seccId: "" }, "--secc-id"],
    ];
    for (const [opts, flag] of bad)
      await assert.rejects(
        issuePncPki(opts),
        (e: unknown) =>
          e instanceof PkiError && e.code === "bad-identifier" && e.message.startsWith(`${flag} `),
        JSON.stringify(opts),
      );
  });

  const haveOpenssl = spawnSync("openssl", ["version"]).status === 0;
  test(
    "openssl verify -x509_strict accepts each leaf against its chain file and root; x509 -text shows the profile",
    { skip: haveOpenssl ? false : "openssl CLI not found on PATH" },
    () => {
      for (const [leaf, root] of LEAVES) {
        const f = pncFileNames(leaf);
        const out = execFileSync(
          "openssl",
          [
            "verify",
            "-x509_strict",
            "-CAfile",
            join(dir, pncFileNames(root).cert),
            "-untrusted",
            join(dir, f.chain),
            join(dir, f.cert),
          ],
          { encoding: "utf8" },
        );
        assert.match(out, /: OK$/m, leaf);
        // the chain file is what goes on the wire: leaf, Sub-CA 2, Sub-CA 1, no root ([V2G2-871])
        const chain = readFileSync(join(dir, f.chain), "utf8").match(/-----BEGIN CERTIFICATE-----/g) ?? [];
        assert.equal(chain.length, 3, `${leaf} chain length`);
        const text = execFileSync("openssl", ["x509", "-noout", "-text", "-in", join(dir, f.cert)], {
          encoding: "utf8",
        });
        assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
        assert.match(text, /ASN1 OID: prime256v1/);
        assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
        assert.match(text, /X509v3 Key Usage: critical/);
        assert.doesNotMatch(text, /Extended Key Usage/);
      }
      // a leaf does not verify against another tree's root
      const r = spawnSync("openssl", [
        "verify",
        "-CAfile",
        join(dir, pncFileNames("mo-root").cert),
        "-untrusted",
        join(dir, pncFileNames("secc-leaf").chain),
        join(dir, pncFileNames("secc-leaf").cert),
      ]);
      assert.notEqual(r.status, 0);
    },
  );
});
