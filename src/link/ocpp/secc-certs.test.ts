/**
 * The SECC's V2G certificate over OCPP 2.0.1, in process on loopback: the test CSMS with the CPO Sub-CA 2
 * of a `nacs pki init` directory (`v2gPki`), the station client with the certificate store of that
 * directory, and the SECC's TLS server serving the store's chain and staple.
 * - M06: the station asks GetCertificateStatus once registered; the CSMS's OCSP response is stapled; an EVCC
 *   with OCSP "require" fails before, and connects after, with the staple checked good.
 * - A02 / A03: TriggerMessage SignV2GCertificate → CSR → SignCertificate → CertificateSigned → the next
 *   handshake presents the new leaf (another serial, chain verified by the EVCC), the files replaced with
 *   *.old kept, and the new leaf's OCSP status asked again.
 * - Bad input over OCPP: garbage PEM, a chain for another key, a chain of a foreign root → Rejected with the
 *   reasonCode; the old certificate stays in use and on disk.
 * Every message schema-valid both ways (ocpp-rpc strict mode).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { RPCServer } from "ocpp-rpc";
import { testStationConfig } from "../../ocpp/testing/station-config.js";
import { createCaptureLogger } from "../logger.js";
import { writePncPki } from "../pki/files.js";
import { issuePncPki } from "../pki/issuer.js";
import { LOOPBACK } from "../test-support.js";
import { startTlsServer, tlsConnect } from "../tls.js";
import type { V2gServer } from "../types.js";
import { startCsms } from "./csms.js";
import { loadCsmsV2gPki, signV2gCsr } from "./csms-certs.js";
import { openSeccCertStore, SECC_CERT_FILES, type SeccCertStore } from "./secc-certs.js";
import { type OcppStation, startOcppStation } from "./station-client.js";

const root = mkdtempSync(join(tmpdir(), "nacs-secc-certs-"));
after(() => rmSync(root, { recursive: true, force: true }));
const config = testStationConfig("T", {
  chargingStation: { vendorName: "nacs", model: "test" },
  txUpdatedIntervalS: 0,
  bootRetryS: 10,
});

/** A fresh `nacs pki init` directory without the SECC leaf's OCSP response. */
async function pkiDir(name: string): Promise<string> {
  const dir = join(root, name);
  await writePncPki(dir, await issuePncPki());
  rmSync(join(dir, SECC_CERT_FILES.ocsp));
  return dir;
}

/** The SECC's TLS server over the store: its chain (swapped on install) and its staple. */
async function seccServer(store: SeccCertStore): Promise<V2gServer> {
  return startTlsServer({
    host: LOOPBACK,
    port: 0,
    logger: createCaptureLogger(),
    tls: { ...store.credentials(), ocsp: () => store.staple(), swap: (replace) => store.onInstall(replace) },
  });
}

/** One EVCC handshake with OCSP "require": the leaf's serial, or the error. */
async function evcc(
  server: V2gServer,
  rootPem: string,
): Promise<{ serial: string; ocsp: string | undefined }> {
  let serial = "";
  const c = await tlsConnect({
    host: LOOPBACK,
    port: server.local.port,
    tls: {
      ca: rootPem,
      ocsp: "require",
      checkSeccCertificate: (cert) => {
        serial = cert.serialNumber;
        return undefined;
      },
    },
  });
  c.close();
  return { serial, ocsp: c.tls?.ocsp };
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let dir: string;
before(async () => {
  dir = await pkiDir("station");
});

test("M06 + A02/A03 end to end: staple after GetCertificateStatus; TriggerMessage SignV2GCertificate → the next handshake presents the new leaf", async () => {
  const csms = await startCsms({ port: 0, v2gPki: await loadCsmsV2gPki(dir) });
  const store = openSeccCertStore(dir, { responderUrl: csms.url });
  const server = await seccServer(store);
  const rootPem = readFileSync(join(dir, SECC_CERT_FILES.root), "utf8");
  let station: OcppStation | null = null;
  try {
    const oldSerial = store.leafSerial();
    await assert.rejects(evcc(server, rootPem), /OCSP|staple/i, "no OCSP response yet: 'require' fails");
    station = await startOcppStation({
      url: `${csms.url}/CP1`,
      config,
      now: Date.now,
      onEvse: () => {},
      certificates: store,
    });
    await until("the OCSP response from the CSMS", () => store.staple() !== undefined);
    const first = await evcc(server, rootPem);
    assert.deepEqual(first, { serial: oldSerial, ocsp: "good" });
    assert.ok(existsSync(join(dir, SECC_CERT_FILES.ocsp)), "the response is kept on disk");

    const t0 = performance.now();
    const r = await csms.call("CP1", "TriggerMessage", { requestedMessage: "SignV2GCertificate" });
    assert.deepEqual(r, { status: "Accepted" });
    await until("the new leaf", () => store.leafSerial() !== oldSerial);
    const installMs = performance.now() - t0;
    // the new leaf's OCSP status is asked again (its issuer's CertID, its serial)
    await until("the new leaf's OCSP response", () => store.staple() !== undefined);
    const second = await evcc(server, rootPem);
    assert.notEqual(second.serial, oldSerial, "the next handshake presents the new leaf");
    assert.deepEqual(second, { serial: store.leafSerial(), ocsp: "good" });
    for (const f of [SECC_CERT_FILES.chain, SECC_CERT_FILES.leaf, SECC_CERT_FILES.key])
      assert.ok(existsSync(join(dir, `${f}.old`)), `${f}.old kept`);
    for (const f of [SECC_CERT_FILES.key, `${SECC_CERT_FILES.key}.old`])
      assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, `${f}: a private key, 0600`);
    assert.ok(existsSync(join(dir, `${SECC_CERT_FILES.ocsp}.old`)), "the old leaf's response set aside");
    // the files hold the new leaf: a store opened anew serves it
    assert.equal(openSeccCertStore(dir).leafSerial(), store.leafSerial());
    const rx = (a: string) =>
      csms.records.filter((x) => x.kind === "call" && x.dir === "rx" && x.action === a);
    assert.equal(rx("SignCertificate").length, 1);
    assert.equal(rx("GetCertificateStatus").length, 2);
    const answered = csms.records.find((x) => x.kind === "result" && x.action === "CertificateSigned");
    assert.deepEqual(answered?.payload, { status: "Accepted" });
    assert.equal(
      csms.summary().schemaErrors,
      0,
      JSON.stringify(csms.records.filter((x) => x.kind === "schema-error")),
    );
    assert.equal(station.schemaFailures.length, 0);
    console.log(`# trigger → new leaf installed in ${installMs.toFixed(0)} ms`);
  } finally {
    await station?.close();
    await server.close();
    await csms.close();
  }
});

test("CertificateSigned with garbage PEM, a chain for another key, a foreign root: Rejected with the reason, the old certificate stays", async () => {
  const d = await pkiDir("bad");
  const foreign = await loadCsmsV2gPki(await pkiDir("foreign"));
  const own = await loadCsmsV2gPki(d);
  // a bare CSMS (strict mode) that takes the CSR and lets the test send the chains
  const rpc = new RPCServer({ protocols: ["ocpp2.0.1"], strictMode: true });
  const failures: string[] = [];
  let client: { call(m: string, p: unknown): Promise<unknown> } | null = null;
  let csr = "";
  rpc.on("client", (c) => {
    client = c;
    c.on("strictValidationFailure", (e: { method: string; error: Error }) =>
      failures.push(`${e.method}: ${e.error.message}`),
    );
    c.handle("BootNotification", () => ({
      status: "Accepted",
      interval: 300,
      currentTime: new Date().toISOString(),
    }));
    c.handle("StatusNotification", () => ({}));
    c.handle("GetCertificateStatus", () => ({ status: "Failed", statusInfo: { reasonCode: "Test" } }));
    c.handle("SignCertificate", ({ params }: { params: unknown }) => {
      csr = (params as { csr: string }).csr;
      return { status: "Accepted" };
    });
  });
  const http = await rpc.listen(0, "127.0.0.1");
  const port = (http.address() as { port: number }).port;
  const store = openSeccCertStore(d);
  const server = await seccServer(store);
  const before = readFileSync(join(d, SECC_CERT_FILES.chain), "utf8");
  const serial = store.leafSerial();
  const station = await startOcppStation({
    url: `ws://127.0.0.1:${port}/nacs/CP2`,
    config,
    now: Date.now,
    onEvse: () => {},
    certificates: store,
  });
  try {
    await until("the station", () => client !== null && station.state.registration === "Accepted");
    const call = (m: string, p: unknown) => client!.call(m, p) as Promise<Record<string, unknown>>;
    assert.deepEqual(await call("TriggerMessage", { requestedMessage: "SignV2GCertificate" }), {
      status: "Accepted",
    });
    await until("the CSR", () => csr !== "");
    const signed = (certificateChain: string) =>
      call("CertificateSigned", { certificateChain, certificateType: "V2GCertificate" });
    const reasonOf = (r: Record<string, unknown>) => [
      r.status,
      (r.statusInfo as { reasonCode: string }).reasonCode,
    ];

    const garbage = await signed("-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n");
    assert.deepEqual(reasonOf(garbage), ["Rejected", "InvalidFormat"]);
    const none = await signed("hello");
    assert.deepEqual(reasonOf(none), ["Rejected", "InvalidFormat"]);
    // another key: a CSR of a key the station does not hold, signed by the right CA
    const otherStore = openSeccCertStore(await pkiDir("other"));
    const other = await signV2gCsr(own, {
      csr: await otherStore.makeCsr(),
      certificateType: "V2GCertificate",
    });
    assert.ok(other.ok);
    const wrongKey = await signed(other.chain);
    assert.deepEqual(reasonOf(wrongKey), ["Rejected", "WrongKey"]);
    // the station's own key, but a CA under another V2G root
    const alien = await signV2gCsr(foreign, { csr, certificateType: "V2GCertificate" });
    assert.ok(alien.ok);
    const foreignRoot = await signed(alien.chain);
    assert.deepEqual(reasonOf(foreignRoot), ["Rejected", "InvalidChain"]);
    assert.match(
      String((foreignRoot.statusInfo as { additionalInfo: string }).additionalInfo),
      /does not chain to a V2G root/,
    );

    assert.equal(store.leafSerial(), serial, "the old certificate stays in use");
    assert.equal(readFileSync(join(d, SECC_CERT_FILES.chain), "utf8"), before, "and on disk");
    assert.equal(existsSync(join(d, `${SECC_CERT_FILES.chain}.old`)), false);
    const rootPem = readFileSync(join(d, SECC_CERT_FILES.root), "utf8");
    const c = await tlsConnect({
      host: LOOPBACK,
      port: server.local.port,
      tls: {
        ca: rootPem,
        checkSeccCertificate: (cert) =>
          cert.serialNumber === serial ? undefined : new Error(cert.serialNumber),
      },
    });
    c.close();
    // then the right chain for the pending CSR is still taken
    const good = await signV2gCsr(own, { csr, certificateType: "V2GCertificate" });
    assert.ok(good.ok);
    assert.deepEqual(await signed(good.chain), { status: "Accepted" });
    assert.notEqual(store.leafSerial(), serial);
    assert.deepEqual(failures, []);
    assert.equal(station.schemaFailures.length, 0);
  } finally {
    await station.close();
    await server.close();
    await rpc.close({ force: true });
  }
});
