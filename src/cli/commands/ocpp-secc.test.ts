/**
 * `nacs evse --ocpp URL --tls --ocpp-v2g-pki DIR` against `nacs csms --v2g-pki DIR`, with `nacs ev --tls
 * --ocsp require` on loopback: the station gets the SECC leaf's OCSP status from the CSMS (M06) and the
 * SECC staples it (the EV requiring it charges); the CSMS then triggers SignV2GCertificate (its stdin
 * control line) → CSR → CertificateSigned (A02 / A03) → the next EV's handshake meets the new leaf (its
 * serial on disk changed, the chain verified by the EV, the new leaf's staple checked good), schema-clean.
 * The option rules of --ocpp-v2g-pki are checked too.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { CsmsSummary } from "../../link/ocpp/csms.js";
import { loadCsmsV2gPki, signV2gCsr } from "../../link/ocpp/csms-certs.js";
import { writePncPki } from "../../link/pki/files.js";
import { issuePncPki } from "../../link/pki/issuer.js";
import { livePairArgs, type PipedNacsProc, spawnNacsPiped, stopProcs, within } from "../testing/live-pair.js";
import { waitForStderr } from "../testing/spawn-nacs.js";
import { parseEvseOptions } from "./evse.js";
import { openOcppSeccStore, serveSeccStore } from "./ocpp-secc.js";

const READY_MS = 20_000;
const SESSION_MS = 60_000;

test("--ocpp-v2g-pki needs --ocpp (2.0.1) and --tls, and stands in for --cert/--secc-chain", () => {
  const base = { iface: "lo", slac: false, ocppV2gPki: "/tmp/x" };
  assert.throws(() => parseEvseOptions({ ...base, tls: true }), /--ocpp-v2g-pki.*needs --ocpp/);
  assert.throws(
    () => parseEvseOptions({ ...base, ocpp: "ws://127.0.0.1:1/nacs/CP1" }),
    /needs --ocpp.*--tls/,
  );
  assert.throws(
    () => parseEvseOptions({ ...base, tls: true, ocpp: "ws://127.0.0.1:1/nacs/CP1", ocppVersion: "1.6" }),
    /--ocpp-v2g-pki/,
  );
  assert.equal(
    parseEvseOptions({ ...base, tls: true, ocpp: "ws://127.0.0.1:1/nacs/CP1" }).ocppV2gPki,
    "/tmp/x",
  );
  assert.throws(
    () => parseEvseOptions({ ...base, tls: true, ocpp: "ws://127.0.0.1:1/nacs/CP1", testPki: "/tmp/y" }),
    /--ocpp-v2g-pki.*leave out --cert \/ --test-pki/,
  );
});

test("serveSeccStore: the store's chain is the default, swapped on install; a --secc-chain default stays a chain", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-secc-unit-"));
  try {
    const pki = join(dir, "pki");
    await writePncPki(pki, await issuePncPki());
    const store = openOcppSeccStore(pki, "ws://127.0.0.1:1/nacs/CP1", () => {});
    const c = serveSeccStore(
      { key: "K0", cert: "C0", root: "R0", chains: [{ key: "K1", cert: "C1", root: "R1" }] },
      store,
    );
    assert.equal(c.cert, store.credentials().cert);
    assert.match(String(c.root), /BEGIN CERTIFICATE/);
    assert.deepEqual(
      c.chains?.map((x) => x.key),
      ["K0", "K1"],
    );
    let swapped: unknown = null;
    c.swap?.((x) => {
      swapped = x;
    });
    const csr = await store.makeCsr();
    const signed = await signV2gCsr(await loadCsmsV2gPki(pki), { csr, certificateType: "V2GCertificate" });
    assert.ok(signed.ok);
    assert.deepEqual(await store.install(signed.chain), { status: "Accepted" });
    assert.deepEqual(swapped, store.credentials());
    assert.throws(
      () => openOcppSeccStore(join(dir, "none"), "ws://x/y/z", () => {}),
      /option --ocpp-v2g-pki .*secc-leaf\.chain\.pem/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const serialOf = (dir: string) => new X509Certificate(readFileSync(join(dir, "secc-leaf.pem"))).serialNumber;

test(
  "nacs evse --ocpp --tls --ocpp-v2g-pki: OCSP staple from the CSMS, then a CSMS-triggered renewal: the next EV meets the new leaf",
  { timeout: READY_MS * 2 + SESSION_MS * 2 + 30_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-secc-"));
    const pki = join(dir, "pki");
    await writePncPki(pki, await issuePncPki());
    // no OCSP response to start with: the station must get it from the CSMS
    rmSync(join(pki, "secc-leaf.ocsp.der"));
    const common = [...livePairArgs(dir), "--tls"];
    const evArgs = [...common, "--trust", join(pki, "v2g-root.pem"), "--ocsp", "require"];
    evArgs.push("--soc", "20", "--target-soc", "30", "--log-level", "info");
    let csms: PipedNacsProc | null = null;
    let evse: PipedNacsProc | null = null;
    let ev: PipedNacsProc | null = null;
    try {
      csms = spawnNacsPiped(["csms", "--port", "0", "--json", "--v2g-pki", pki]);
      const [, url] = await waitForStderr(csms, /listening on (ws:\/\/\S+)/, READY_MS);
      evse = spawnNacsPiped([
        ...["evse", ...common, "--sessions", "2", "--log-level", "info"],
        "--ocpp",
        `${url}/CP9`,
        "--ocpp-v2g-pki",
        pki,
      ]);
      await waitForStderr(evse, /nacs evse: ready/, READY_MS);
      await waitForStderr(evse, /SECC OCSP response from the CSMS: good/, READY_MS);
      const serial1 = serialOf(pki);
      ev = spawnNacsPiped(["ev", ...evArgs]);
      assert.equal(await within(ev.exit, SESSION_MS, "the first EV"), 0, ev.err);
      assert.match(ev.err, /OCSP staple for the SECC leaf checked: good/);

      const t0 = performance.now();
      csms.type(`call CP9 TriggerMessage {"requestedMessage":"SignV2GCertificate"}`);
      await waitForStderr(csms, /TriggerMessage → \{"status":"Accepted"\}/, READY_MS);
      await waitForStderr(evse, /SECC certificate installed: serial/, READY_MS);
      const installMs = performance.now() - t0;
      // the new leaf's status, asked at once
      await waitForStderr(
        evse,
        /SECC certificate installed[\s\S]*SECC OCSP response from the CSMS: good/,
        READY_MS,
      );
      const serial2 = serialOf(pki);
      assert.notEqual(serial2, serial1, "a new leaf on disk");
      assert.equal(new X509Certificate(readFileSync(join(pki, "secc-leaf.pem.old"))).serialNumber, serial1);
      ev = spawnNacsPiped(["ev", ...evArgs]);
      assert.equal(await within(ev.exit, SESSION_MS, "the second EV"), 0, ev.err);
      assert.match(ev.err, /OCSP staple for the SECC leaf checked: good/);
      assert.equal(await within(evse.exit, 20_000, "the EVSE"), 0, evse.err);
      csms.child.kill("SIGTERM");
      assert.equal(await within(csms.exit, 10_000, "the CSMS to exit"), 0, csms.err);
      const c = JSON.parse(csms.out) as CsmsSummary;
      assert.equal(c.schemaErrors, 0);
      assert.equal(c.callErrors, 0);
      assert.equal(c.messages["rx:SignCertificate"], 1);
      assert.equal(c.messages["tx:CertificateSigned"], 1);
      assert.equal(c.messages["rx:GetCertificateStatus"], 2);
      assert.match(evse.err, /schema failures 0/);
      t.diagnostic(`trigger → new leaf installed in ${installMs.toFixed(0)} ms (process to process)`);
    } finally {
      await stopProcs([ev, evse, csms]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
