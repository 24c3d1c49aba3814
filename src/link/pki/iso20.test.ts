/**
 * The ISO 15118-20 Plug & Charge test PKI (what `nacs pki init DIR --iso20` writes): P-521 keys and ecdsa-with-SHA512
 * certificates ([V2G20-2674]) in DIR/iso20 beside the untouched ISO-2 set; the contract chain validates with
 * the -20 profile of chain.ts (and not with the ISO-2 one); the contract key signs a -20 AuthorizationReq
 * that verifies with the leaf certificate; a chain from another MO root does not validate.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ISO20_CERT_PROFILE, ISO20_LAB_CERT_PROFILE, parseCertificateWith } from "../../v2g/pnc/cert.js";
import { validateChain } from "../../v2g/pnc/chain.js";
import { createContract20 } from "../../v2g/pnc/contract20.js";
import { signIso20, verifyIso20Signature } from "../../v2g/pnc/xmldsig20.js";
import { PkiError } from "./errors.js";
import { PNC_MANIFEST_FILE, type PncManifest, pncFileList, writePncPki } from "./files.js";
import { hasPnc20, issuePnc20Pki, loadPnc20Material, writePnc20Pki } from "./iso20.js";
import { issuePncPki, type PncPki } from "./issuer.js";
import { loadPncMaterial } from "./material.js";

const der = (p: PncPki, role: keyof PncPki) => new Uint8Array(p[role].cert.rawData);
const NOW = new Date("2031-03-01T00:00:00Z");

describe("ISO 15118-20 PnC PKI", async () => {
  const pki = await issuePnc20Pki({ now: NOW });
  const other = await issuePnc20Pki({ now: NOW });
  const chainOf = (p: PncPki) => ({
    leaf: der(p, "contract-leaf"),
    subCas: [der(p, "mo-sub-ca-2"), der(p, "mo-sub-ca-1")],
  });
  const nowMs = NOW.getTime();
  const dir = mkdtempSync(join(tmpdir(), "nacs-pki20-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("every certificate is secp521r1 + ecdsa-with-SHA512, and the contract chain validates to its MO root", () => {
    for (const role of Object.keys(pki) as (keyof PncPki)[]) {
      const c = parseCertificateWith(der(pki, role), ISO20_CERT_PROFILE);
      assert.equal(c.curve, "P-521", role);
      assert.equal(c.signatureAlgorithm, "ecdsa-with-SHA512", role);
      assert.ok(der(pki, role).length <= 1600, `${role}: certificateType maxLength 1600`);
    }
    const r = validateChain({
      ...chainOf(pki),
      roots: [der(pki, "mo-root"), der(pki, "v2g-root")],
      nowMs,
      purpose: "contract",
      profile: ISO20_CERT_PROFILE,
    });
    assert.equal(r.code, "OK", r.detail);
    assert.equal(r.root?.subject.dc, "MO");
  });

  test("the ISO-2 profile refuses a -20 chain; another MO root anchors nothing", () => {
    const roots = [der(pki, "mo-root")];
    const iso2 = validateChain({ ...chainOf(pki), roots, nowMs, purpose: "contract" });
    assert.equal(iso2.code, "MALFORMED");
    assert.match(iso2.detail, /secp256r1|ecdsa-with-SHA256/);
    const foreign = validateChain({
      ...chainOf(other),
      roots,
      nowMs,
      purpose: "contract",
      profile: ISO20_CERT_PROFILE,
    });
    // same names, other keys: the name matches, the signature does not
    assert.equal(foreign.code, "BAD_SIGNATURE", foreign.detail);
    assert.equal(foreign.responseCode, "FAILED_CertChainError");
  });

  test("the contract key signs a -20 PnC_AReqAuthorizationMode that verifies with the leaf certificate", async () => {
    // what `nacs pki init DIR --iso20` writes: the ISO-2 set in DIR, the -20 set in DIR/iso20
    await writePncPki(dir, await issuePncPki());
    await writePnc20Pki(dir, await issuePnc20Pki());
    const m = await loadPnc20Material(dir);
    assert.equal(m.contractKey.length, 66, "P-521 scalar");
    const contract = createContract20(m.contractChain, m.contractKey);
    const mode = {
      Id: "ID1",
      GenChallenge: new Uint8Array(16).fill(3),
      ContractCertificateChain: {
        Certificate: contract.chain[0]!,
        SubCertificates: { Certificate: contract.chain.slice(1) },
      },
    };
    const Signature = signIso20([{ PnC_AReqAuthorizationMode: mode }], contract.privateKey);
    const msg = {
      AuthorizationReq: {
        Header: { SessionID: new Uint8Array(8), TimeStamp: 0n, Signature },
        SelectedAuthorizationService: "PnC",
        PnC_AReqAuthorizationMode: mode,
      },
    };
    const v = verifyIso20Signature(msg, contract.chain[0]!);
    assert.ok(v.ok, v.ok ? "" : v.error.message);
    // the chain of the directory validates to the directory's MO root
    const r = validateChain({
      leaf: m.contractChain[0]!,
      subCas: m.contractChain.slice(1),
      roots: m.moRoots,
      nowMs: Date.now(),
      purpose: "contract",
      profile: ISO20_CERT_PROFILE,
    });
    assert.equal(r.code, "OK", r.detail);
  });

  test("the -20 set sits beside the ISO-2 files under the same names", async () => {
    for (const f of pncFileList()) {
      assert.ok(existsSync(join(dir, f)), `ISO-2 ${f}`);
      assert.ok(existsSync(join(dir, "iso20", f)), `-20 ${f}`);
    }
    const m2 = await loadPncMaterial(dir);
    assert.equal(m2.contractKey.length, 32, "the ISO-2 contract stays P-256");
    const man = JSON.parse(readFileSync(join(dir, "iso20", PNC_MANIFEST_FILE), "utf8")) as PncManifest;
    const keys = Object.values(man.files).filter((e) => e.kind === "private-key");
    assert.ok(keys.length > 0 && keys.every((e) => e.kind === "private-key" && e.algorithm === "EC P-521"));
    assert.ok(hasPnc20(dir));
    // a second write without force is refused
    await assert.rejects(
      writePnc20Pki(dir, pki),
      (e: unknown) => e instanceof PkiError && e.code === "exists",
    );
  });

  test("a directory without the -20 set names the command that makes it", async () => {
    const d = mkdtempSync(join(tmpdir(), "nacs-pki20-none-"));
    try {
      await writePncPki(d, await issuePncPki());
      assert.equal(hasPnc20(d), false);
      await assert.rejects(
        loadPnc20Material(d),
        (e: unknown) => e instanceof PkiError && /nacs pki init .* --iso20/.test(e.message),
      );
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test("a -20 contract: P-256 only with the lab profile; a key that is not the leaf's is refused", async () => {
    const m = await loadPncMaterial(dir); // the ISO-2 (P-256) contract
    assert.throws(() => createContract20(m.contractChain, m.contractKey), /secp521r1|ecdsa-with-SHA512/);
    const lab = createContract20(m.contractChain, m.contractKey, { lab: true });
    assert.equal(lab.privateKey.length, 32);
    assert.ok(parseCertificateWith(m.contractChain[0]!, ISO20_LAB_CERT_PROFILE));
    const m20 = await loadPnc20Material(dir);
    const wrong = (await loadPnc20Material(dir)).contractKey.slice();
    wrong[65]! ^= 1;
    assert.throws(() => createContract20(m20.contractChain, wrong), /does not match the contract leaf/);
  });
});
