/**
 * The EV's contract store on disk: a round trip keeps chain, key and eMAID; the file is 0600 with the key as
 * PKCS#8 PEM and is replaced atomically (no temporary file left); a directory holds contracts.json; a key
 * that is not the leaf's is refused naming the entry. The local CPS with a renewal contract answers a
 * CertificateUpdate of DIR's contract with a new leaf for the same eMAID, signed by DIR's MO Sub-CA 2, its
 * key opened with the old contract key ([V2G2-821]).
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { acceptCertRes, buildUpdateReq } from "../../v2g/pnc/cert-evcc.js";
import { checkUpdateReq } from "../../v2g/pnc/cert-requests.js";
import type { InstalledContract } from "../../v2g/pnc/installed-contract.js";
import { throughCodec } from "../../v2g/pnc/testing/fixture.js";
import {
  CONTRACT_STORE_FILE,
  contractStorePath,
  readContractStore,
  writeContractStore,
} from "./contract-store-file.js";
import { loadLocalCpsWithRenewal } from "./cps-renewal.js";
import { PkiError } from "./errors.js";
import { writePncPki } from "./files.js";
import { issuePncPki } from "./issuer.js";
import { materialFromPki } from "./material.js";
import { loadEvccPnc } from "./pnc-load.js";

const tmp = (t: { after(f: () => void): void }) => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-store-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

const pkiPromise = (async () => {
  const now = new Date();
  const pki = await issuePncPki({ now });
  const m = await materialFromPki(pki);
  const leaf = new X509Certificate(m.contractChain[0]!);
  const contract: InstalledContract = {
    chain: { leaf: m.contractChain[0]!, subCas: m.contractChain.slice(1) },
    privateKey: m.contractKey,
    emaid: pki["contract-leaf"].cert.subjectName.getField("CN")[0]!,
    notAfterS: Math.floor(Date.parse(leaf.validTo) / 1000),
    installedAtS: Math.floor(now.getTime() / 1000),
  };
  return { now, pki, contract };
})();

test("contract store: round trip, mode 0600, PKCS#8 key, atomic replace, directory form", async (t) => {
  const { contract } = await pkiPromise;
  const dir = tmp(t);
  const file = contractStorePath(dir);
  assert.equal(file, join(dir, CONTRACT_STORE_FILE));
  assert.equal(contractStorePath(join(dir, "sub/")), join(dir, "sub", CONTRACT_STORE_FILE));
  assert.deepEqual(readContractStore(file), [], "an absent store is empty");
  writeContractStore(file, [{ contract, origin: "installed" }]);
  writeContractStore(file, [{ contract, origin: "updated" }]);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), [CONTRACT_STORE_FILE], "no temporary file left");
  const text = readFileSync(file, "utf8");
  assert.match(text, /-----BEGIN PRIVATE KEY-----/);
  assert.doesNotMatch(text, /EC PRIVATE KEY/);
  const [back] = readContractStore(file);
  assert.ok(back);
  assert.equal(back.origin, "updated");
  assert.deepEqual(back.contract.privateKey, contract.privateKey);
  assert.deepEqual(back.contract.chain.leaf, contract.chain.leaf);
  assert.deepEqual(back.contract.chain.subCas, contract.chain.subCas);
  assert.equal(back.contract.emaid, contract.emaid);
  assert.equal(back.contract.notAfterS, contract.notAfterS);
});

test("contract store: a key that is not the leaf's, or a broken file, is a PkiError naming the entry", async (t) => {
  const { contract, pki } = await pkiPromise;
  const file = join(tmp(t), "s.json");
  writeContractStore(file, [{ contract, origin: "installed" }]);
  const f = JSON.parse(readFileSync(file, "utf8"));
  f.contracts[0].keyPem = pki["oem-prov-leaf"].keyPem;
  writeFileSync(file, JSON.stringify(f));
  assert.throws(
    () => readContractStore(file),
    (e: unknown) => e instanceof PkiError && /contracts\[0\].*does not match/.test(e.message),
  );
  writeFileSync(file, "{");
  assert.throws(
    () => readContractStore(file),
    (e: unknown) => e instanceof PkiError && /JSON/.test(e.message),
  );
  writeFileSync(file, JSON.stringify({ format: "x", version: 1, contracts: [] }));
  assert.throws(
    () => readContractStore(file),
    (e: unknown) => e instanceof PkiError && /format/.test(e.message),
  );
});

test("local CPS with renewal: CertificateUpdate of DIR's contract → a new leaf, same eMAID, by MO Sub-CA 2", async (t) => {
  const { pki, now, contract } = await pkiPromise;
  const dir = tmp(t);
  await writePncPki(dir, pki, { now });
  const cps = await loadLocalCpsWithRenewal(dir, now);
  const ev = loadEvccPnc(dir);
  const nowS = Math.floor(now.getTime() / 1000);
  const req = buildUpdateReq(contract, ev.roots);
  const sid = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  checkUpdateReq(
    { Header: { SessionID: sid, Signature: req.signature }, Body: { CertificateUpdateReq: req.body } },
    nowS,
  );
  const a = cps.update(req.body);
  const m = throughCodec(sid, a.signature, { CertificateUpdateRes: a.body });
  const fresh = acceptCertRes(m, contract.privateKey, nowS, undefined, sid);
  assert.equal(fresh.emaid, contract.emaid);
  assert.notDeepEqual(fresh.chain.leaf, contract.chain.leaf);
  assert.notDeepEqual(fresh.privateKey, contract.privateKey);
  const leaf = new X509Certificate(fresh.chain.leaf);
  const subCa2 = new X509Certificate(pki["mo-sub-ca-2"].certPem);
  assert.ok(leaf.verify(subCa2.publicKey), "the new leaf is signed by MO Sub-CA 2");
  assert.deepEqual(fresh.chain.subCas, contract.chain.subCas);
});

test("contract store: any JSON in the file reads or is a PkiError, never another exception (property)", async (t) => {
  const { contract } = await pkiPromise;
  const file = join(tmp(t), "p.json");
  writeContractStore(file, [{ contract, origin: "installed" }]);
  const good = JSON.parse(readFileSync(file, "utf8"));
  const entry = fc.record(
    {
      emaid: fc.oneof(fc.string(), fc.integer()),
      origin: fc.oneof(fc.constantFrom("pki", "installed", "updated"), fc.string()),
      savedAt: fc.oneof(fc.string(), fc.constant("2026-01-01T00:00:00Z")),
      chainPem: fc.oneof(fc.constant(good.contracts[0].chainPem), fc.string(), fc.integer()),
      keyPem: fc.oneof(fc.constant(good.contracts[0].keyPem), fc.string(), fc.constant(null)),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record({
      format: fc.constantFrom("nacs-contract-store", "x"),
      version: fc.constantFrom(1, 2),
      contracts: fc.array(fc.oneof(entry, fc.jsonValue()), { maxLength: 3 }),
    }),
  );
  fc.assert(
    fc.property(body, (b) => {
      writeFileSync(file, JSON.stringify(b));
      try {
        readContractStore(file);
      } catch (e) {
        if (!(e instanceof PkiError)) throw e;
      }
    }),
    { seed: 0x5703e, numRuns: 300 },
  );
});
