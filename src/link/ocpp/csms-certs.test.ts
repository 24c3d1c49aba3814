/**
 * The test CSMS's CPO Sub-CA (`nacs csms --v2g-pki DIR`) and the station's CSR: the CSR's subject (CN the
 * SECC ID of the current leaf, O, C, DC=CPO; [V2G2-925]) and key (P-256), the leaf issued for it (the
 * CSR's subject and key, CA=false, digitalSignature + keyAgreement, chained leaf → Sub-CA 2 → Sub-CA 1),
 * the refusals (no CA, another certificateType, a CSR whose signature fails, GetCertificateStatus about an
 * issuer the CSMS does not hold), and a CSMS script step that triggers SignV2GCertificate.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { testStationConfig } from "../../ocpp/testing/station-config.js";
import { writePncPki } from "../pki/files.js";
import { issuePncPki } from "../pki/issuer.js";
import { checkOcspResponse } from "../pki/ocsp.js";
import { startCsms } from "./csms.js";
import { type CsmsV2gPki, certificateStatus, loadCsmsV2gPki, signV2gCsr } from "./csms-certs.js";
import { parseCsmsScript } from "./csms-script.js";
import { openSeccCertStore, type SeccCertStore } from "./secc-certs.js";
import { startOcppStation } from "./station-client.js";

const root = mkdtempSync(join(tmpdir(), "nacs-csms-certs-"));
after(() => rmSync(root, { recursive: true, force: true }));
let dir: string;
let ca: CsmsV2gPki;
let store: SeccCertStore;
before(async () => {
  dir = join(root, "pki");
  await writePncPki(dir, await issuePncPki({ seccId: "DE-NAC-S-00000000000000000000000000000042-7" }));
  ca = await loadCsmsV2gPki(dir);
  store = openSeccCertStore(dir);
});

test("the CSR: CN the current SECC ID, O and C, DC=CPO, a fresh P-256 key; the CSMS's leaf keeps them under its Sub-CA 2", async () => {
  const pem = await store.makeCsr();
  const csr = new x509.Pkcs10CertificateRequest(pem);
  assert.ok(await csr.verify());
  const name = csr.subjectName;
  assert.deepEqual(name.getField("CN"), ["DE-NAC-S-00000000000000000000000000000042-7"]);
  assert.deepEqual(name.getField("DC"), ["CPO"]);
  assert.deepEqual(name.getField("C"), ["DE"]);
  assert.deepEqual(name.getField("O"), ["nacs Test-PKI"]);
  assert.equal((csr.publicKey.algorithm as EcKeyAlgorithm).namedCurve, "P-256");
  const out = await signV2gCsr(ca, { csr: pem, certificateType: "V2GCertificate" });
  assert.ok(out.ok);
  const chain = [...out.chain.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map(
    (m) => new X509Certificate(m[0]),
  );
  assert.equal(chain.length, 3, "leaf, CPO Sub-CA 2, CPO Sub-CA 1 (no root)");
  const [leaf, sub2, sub1] = chain as [X509Certificate, X509Certificate, X509Certificate];
  assert.ok(leaf.checkIssued(sub2) && leaf.verify(sub2.publicKey));
  assert.ok(sub2.checkIssued(sub1));
  assert.equal(leaf.ca, false);
  assert.match(leaf.subject, /CN=DE-NAC-S-0+42-7/);
  assert.match(leaf.subject, /DC=CPO/);
  assert.equal(leaf.serialNumber.toLowerCase(), out.serial);
  const ku = new x509.X509Certificate(leaf.raw).getExtension(x509.KeyUsagesExtension);
  assert.equal(ku?.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement);
  assert.equal(ku?.critical, true);
});

test("SignCertificate refused: no CA, a ChargingStationCertificate, garbage, a CSR whose signature fails", async () => {
  const pem = await store.makeCsr();
  const r = async (pki: CsmsV2gPki | undefined, p: Record<string, unknown>) => {
    const o = await signV2gCsr(pki, p);
    return o.ok ? "ok" : o.reasonCode;
  };
  assert.equal(await r(undefined, { csr: pem, certificateType: "V2GCertificate" }), "NoCA");
  assert.equal(await r(ca, { csr: pem }), "UnsupportedCertType");
  assert.equal(await r(ca, { csr: "garbage", certificateType: "V2GCertificate" }), "InvalidCSR");
  // flip a byte of the signature (the last bytes of the DER)
  const der = Buffer.from(x509.PemConverter.decodeFirst(pem));
  der[der.length - 3] = (der[der.length - 3] ?? 0) ^ 0x01;
  const tampered = x509.PemConverter.encode(der, "CERTIFICATE REQUEST");
  assert.equal(await r(ca, { csr: tampered, certificateType: "V2GCertificate" }), "InvalidCSR");
});

test("GetCertificateStatus: a good OCSP response signed by Sub-CA 2 about the leaf; Failed for an issuer the CSMS does not hold or without CA", () => {
  const data = store.info().ocspRequestData;
  const r = certificateStatus(ca, { ocspRequestData: data });
  assert.equal(r.status, "Accepted");
  const der = new Uint8Array(Buffer.from(String(r.ocspResult), "base64"));
  const leaf = new X509Certificate(store.credentials().cert);
  const good = checkOcspResponse(der, {
    leaf: new Uint8Array(leaf.raw),
    issuer: new Uint8Array(ca.subCa2.der),
    now: Date.now(),
  });
  assert.equal(good.status, "good");
  assert.ok((good.nextUpdate?.getTime() ?? 0) > Date.now() + 6 * 86_400_000);
  const other = certificateStatus(ca, { ocspRequestData: { ...data, issuerKeyHash: "00".repeat(32) } });
  assert.deepEqual(
    [other.status, (other.statusInfo as { reasonCode: string }).reasonCode],
    ["Failed", "UnknownIssuer"],
  );
  assert.equal(certificateStatus(undefined, { ocspRequestData: data }).status, "Failed");
  const badSerial = certificateStatus(ca, { ocspRequestData: { ...data, serialNumber: "xyz" } });
  assert.equal(badSerial.status, "Failed");
});

test("a CSMS script step sends TriggerMessage SignV2GCertificate after the boot: the station's leaf is renewed", async () => {
  const d = join(root, "scripted");
  await writePncPki(d, await issuePncPki());
  const script = parseCsmsScript(
    JSON.stringify([
      {
        when: { action: "BootNotification" },
        delayMs: 50,
        call: "TriggerMessage",
        payload: { requestedMessage: "SignV2GCertificate" },
      },
    ]),
  );
  const csms = await startCsms({ port: 0, v2gPki: await loadCsmsV2gPki(d), script });
  const s = openSeccCertStore(d);
  const serial = s.leafSerial();
  const station = await startOcppStation({
    url: `${csms.url}/CP3`,
    config: testStationConfig("T", {
      chargingStation: { vendorName: "nacs", model: "test" },
      txUpdatedIntervalS: 0,
      bootRetryS: 10,
    }),
    now: Date.now,
    onEvse: () => {},
    certificates: s,
  });
  try {
    const end = Date.now() + 10_000;
    while (s.leafSerial() === serial && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.notEqual(s.leafSerial(), serial, "renewed by the scripted trigger");
    assert.ok(csms.records.some((r) => r.kind === "script" && r.action === "TriggerMessage"));
    assert.equal(csms.summary().schemaErrors, 0);
  } finally {
    await station.close();
    await csms.close();
  }
});
