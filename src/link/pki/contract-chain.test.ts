/**
 * Contract chain validation (src/v2g/pnc/chain.ts) against PnC test PKIs issued here, against the contract
 * chains of the shared vectors (captured PaymentDetailsReq), and against broken chains: wrong root with the
 * same names, expired, pathLen, flipped signature bit, revoked, too many Sub-CAs, no roots.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { fromHex, loadVectors, sharedSkip } from "../../../tools/codegen/vectors.js";
import * as iso2 from "../../codecs/iso2/index.js";
import { CertError, parseCertificate } from "../../v2g/pnc/cert.js";
import { signedBy, validateChain } from "../../v2g/pnc/chain.js";
import { issuePncCert, issuePncPki, type PncPki } from "./issuer.js";
import { pncProfile } from "./profiles.js";

const der = (p: PncPki, role: keyof PncPki) => new Uint8Array(p[role].cert.rawData);
const contract = (p: PncPki) => ({
  leaf: der(p, "contract-leaf"),
  subCas: [der(p, "mo-sub-ca-2"), der(p, "mo-sub-ca-1")],
});
const NOW = new Date("2031-03-01T00:00:00Z");

describe("contract chain validation", async () => {
  const pki = await issuePncPki({ now: NOW });
  const other = await issuePncPki({ now: NOW });
  const roots = [der(pki, "mo-root"), der(pki, "v2g-root")];
  const nowMs = NOW.getTime();

  test("an issued contract chain validates against its MO root; the leaf CN is the eMAID", () => {
    const r = validateChain({ ...contract(pki), roots, nowMs, purpose: "contract" });
    assert.equal(r.code, "OK", r.detail);
    assert.equal(r.responseCode, "OK");
    assert.equal(r.root?.subject.dc, "MO");
    assert.equal(r.leaf?.subject.cn, pki["contract-leaf"].cert.subjectName.getField("CN")[0]);
    // the SECC and CPS chains validate against the V2G root
    for (const [leaf, s2, s1] of [
      ["secc-leaf", "cpo-sub-ca-2", "cpo-sub-ca-1"],
      ["cps-leaf", "cps-sub-ca-2", "cps-sub-ca-1"],
    ] as const) {
      const v = validateChain({ leaf: der(pki, leaf), subCas: [der(pki, s2), der(pki, s1)], roots, nowMs });
      assert.equal(v.code, "OK", `${leaf}: ${v.detail}`);
    }
  });

  test("a root with the same names but another key is no anchor ([V2G2-878]): FAILED_CertChainError", () => {
    const r = validateChain({ ...contract(other), roots, nowMs });
    assert.equal(r.code, "BAD_SIGNATURE", r.detail);
    assert.equal(r.responseCode, "FAILED_CertChainError");
    const v2gOnly = validateChain({ ...contract(pki), roots: [der(pki, "v2g-root")], nowMs });
    assert.equal(v2gOnly.code, "NO_ANCHOR");
  });

  test("expired or not yet valid at the given time: FAILED_CertificateExpired", () => {
    const leaf = parseCertificate(der(pki, "contract-leaf"));
    const late = validateChain({ ...contract(pki), roots, nowMs: leaf.notAfter + 1000 });
    assert.equal(late.code, "EXPIRED", late.detail);
    assert.equal(late.responseCode, "FAILED_CertificateExpired");
    const early = validateChain({ ...contract(pki), roots, nowMs: leaf.notBefore - 1000 });
    assert.equal(early.code, "NOT_YET_VALID");
    assert.equal(early.responseCode, "FAILED_CertificateExpired");
  });

  test("a flipped bit in a signature or in the signed part: FAILED_CertChainError", () => {
    for (const at of ["end", "tbs"] as const) {
      const c = contract(pki);
      const leaf = c.leaf.slice();
      if (at === "end") leaf[leaf.length - 1]! ^= 1;
      else leaf[parseCertificate(leaf).tbs.length - 4]! ^= 1; // inside the extensions' SKI
      const r = validateChain({ ...c, leaf, roots, nowMs });
      assert.equal(r.responseCode, "FAILED_CertChainError", `${at}: ${r.code} ${r.detail}`);
    }
  });

  test("pathLen: a Sub-CA with pathLen 0 above another Sub-CA: FAILED_CertChainError", async () => {
    const root = await issuePncCert(pncProfile("mo-root"), { cn: "Root", now: NOW });
    const sub2 = await issuePncCert(pncProfile("mo-sub-ca-2"), { cn: "Sub 2", now: NOW, issuer: root });
    const below = await issuePncCert(pncProfile("mo-sub-ca-2"), { cn: "Below", now: NOW, issuer: sub2 });
    const leaf = await issuePncCert(pncProfile("contract-leaf"), {
      cn: "DEABCC123456789",
      now: NOW,
      issuer: below,
    });
    const d = (x: { cert: { rawData: ArrayBuffer } }) => new Uint8Array(x.cert.rawData);
    const r = validateChain({ leaf: d(leaf), subCas: [d(below), d(sub2)], roots: [d(root)], nowMs });
    assert.equal(r.code, "PATH_LEN", r.detail);
    assert.equal(r.responseCode, "FAILED_CertChainError");
  });

  test("revoked by the injected check: FAILED_CertificateRevoked; 3 Sub-CAs, no roots", () => {
    const serial = parseCertificate(der(pki, "mo-sub-ca-2")).serial;
    const r = validateChain({ ...contract(pki), roots, nowMs, isRevoked: (c) => c.serial === serial });
    assert.equal(r.responseCode, "FAILED_CertificateRevoked", r.detail);
    const c = contract(pki);
    const long = validateChain({ ...c, subCas: [...c.subCas, der(pki, "mo-root")], roots, nowMs });
    assert.equal(long.code, "TOO_LONG");
    const none = validateChain({ ...c, roots: [], nowMs });
    assert.equal(none.responseCode, "FAILED_NoCertificateAvailable");
  });

  test("every one-byte mutation of a contract leaf gives CertError or a failed result, never OK or another exception", () => {
    const base = der(pki, "contract-leaf");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const m = base.slice();
        m[i]! ^= x;
        try {
          parseCertificate(m);
        } catch (err) {
          assert.ok(err instanceof CertError, String(err));
        }
        const r = validateChain({ leaf: m, subCas: contract(pki).subCas, roots, nowMs });
        assert.notEqual(r.code, "OK", `byte ${i} ^ ${x} still validates`);
      }),
      { numRuns: 300 },
    );
  });
});

test(
  "captured PaymentDetailsReq contract chains parse, link by signature and validate from their Sub-CA 1",
  { skip: sharedSkip("vectors") },
  (t) => {
    let seen = 0;
    const shaOne: string[] = [];
    for (const v of loadVectors("iso2")) {
      let m: iso2.V2G_Message;
      try {
        m = iso2.decode(fromHex(v.hex));
      } catch {
        continue;
      }
      const chain = m.Body.PaymentDetailsReq?.ContractSignatureCertChain;
      if (!chain) continue;
      const subs = chain.SubCertificates?.Certificate ?? [];
      let leaf: ReturnType<typeof parseCertificate>;
      try {
        leaf = parseCertificate(chain.Certificate);
      } catch (err) {
        assert.ok(err instanceof CertError);
        // RISE-V2G's test certificates are ecdsa-with-SHA1 (CERT_PROFILE); some vectors are cut (CERT_DER)
        shaOne.push(`${String(v.source).split("/").pop()}: ${err.code} ${err.message}`);
        continue;
      }
      seen++;
      assert.equal(subs.length, 2, "Sub-CA 2 and Sub-CA 1 on the wire");
      const [s2, s1] = subs.map(parseCertificate) as [
        ReturnType<typeof parseCertificate>,
        ReturnType<typeof parseCertificate>,
      ];
      assert.ok(signedBy(leaf, s2), "leaf signed by Sub-CA 2");
      assert.ok(signedBy(s2, s1), "Sub-CA 2 signed by Sub-CA 1");
      assert.equal(s2.basicConstraints?.pathLen, 0);
      assert.equal(s1.basicConstraints?.pathLen, 1);
      assert.equal(leaf.keyUsage?.critical, true);
      const r = validateChain({
        leaf: chain.Certificate,
        subCas: [subs[0]!],
        roots: [subs[1]!],
        nowMs: Math.max(leaf.notBefore, s2.notBefore, s1.notBefore) + 1000,
        purpose: "contract",
      });
      assert.equal(r.code, "OK", r.detail);
      t.diagnostic(
        `${String(v.source).split("/").pop()}: eMAID ${m.Body.PaymentDetailsReq?.eMAID}, CN ${leaf.subject.cn}`,
      );
    }
    assert.ok(seen > 0, "at least one captured contract chain");
    for (const x of shaOne) t.diagnostic(`not read (named CertError): ${x}`);
  },
);
