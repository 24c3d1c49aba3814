/**
 * `nacs pki init` directory → local CPS and EV provisioning material: a CertificateInstallation made with
 * what was loaded verifies, and the EV opens the contract key with its OEM provisioning key to the key in
 * `contract-leaf.key.pem` ([V2G2-823]).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { acceptCertRes, buildInstallationReq } from "../../v2g/pnc/cert-evcc.js";
import { checkInstallationReq } from "../../v2g/pnc/cert-requests.js";
import { throughCodec } from "../../v2g/pnc/testing/fixture.js";
import { PkiError } from "./errors.js";
import { writePncPki } from "./files.js";
import { issuePncPki } from "./issuer.js";
import { loadEvccPnc, loadLocalCps, pemPrivateScalar } from "./pnc-load.js";

test("loadLocalCps / loadEvccPnc: an installation with the loaded PKI verifies and delivers contract-leaf.key.pem", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pnc-load-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date();
  const pki = await issuePncPki({ now });
  await writePncPki(dir, pki, { now });
  const cps = loadLocalCps(dir);
  const ev = loadEvccPnc(dir);
  const req = buildInstallationReq(ev.oemCert, ev.oemPrivateKey, ev.roots);
  const sid = new Uint8Array(8);
  const nowS = Math.floor(now.getTime() / 1000);
  checkInstallationReq(
    { Header: { SessionID: sid, Signature: req.signature }, Body: { CertificateInstallationReq: req.body } },
    nowS,
  );
  const a = cps.install(req.body);
  const m = throughCodec(sid, a.signature, { CertificateInstallationRes: a.body });
  const c = acceptCertRes(m, ev.oemPrivateKey, nowS, undefined, sid);
  assert.deepEqual(c.privateKey, pemPrivateScalar(pki["contract-leaf"].keyPem, "contract key"));
  assert.equal(c.emaid, pki["contract-leaf"].cert.subjectName.getField("CN")[0]);
  assert.equal(c.chain.subCas.length, 2);
  // a broken key file is a PkiError naming it
  writeFileSync(
    join(dir, "cps-leaf.key.pem"),
    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
  );
  assert.throws(
    () => loadLocalCps(dir),
    (e: unknown) => e instanceof PkiError && /cps-leaf key/.test(e.message),
  );
});
