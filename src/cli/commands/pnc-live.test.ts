/**
 * Acceptance: a full ISO 15118-2 DC session with Contract payment (Plug & Charge) between our EVCC and SECC
 * over TLS 1.2 on [::1]: `nacs pki init DIR`, then `nacs evse --tls --test-pki TLS --pki DIR` ↔
 * `nacs ev --tls --test-pki TLS --pki DIR --payment contract`. Both sides must run PaymentDetails and one
 * (signed) AuthorizationReq, and end normally — with the contract of DIR, and with `--install-contract`: the EV
 * starts without one and installs it first (CertificateInstallation from the EVSE's local CPS). Then the
 * contract store across runs (`--contract-store`): installed and written, updated (CertificateUpdate, the
 * local CPS's renewal contract) and written, and used as stored; both sides' summaries name the same leaf.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CONTRACT_STORE_FILE, readContractStore } from "../../link/pki/contract-store-file.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const LIMIT_MS = 60_000;

interface Summary {
  transport: string;
  stopReason: string;
  messageCounts: Record<string, number>;
  contract?: {
    source: string;
    emaid: string;
    notAfter: string;
    leafSha256: string;
    stored?: string;
    previous?: { emaid: string; notAfter: string };
  };
}

const summary = (who: string, p: NacsProc) => {
  const line = p.out.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line, `${who}: no JSON summary; stderr: ${p.err.slice(-2000)}`);
  return JSON.parse(line) as Summary;
};

/** `nacs pki init DIR/pnc` in a fresh temporary DIR. */
async function pkiDir(): Promise<{ dir: string; pnc: string }> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pnc-"));
  const pnc = join(dir, "pnc");
  const init = spawnNacs(["pki", "init", pnc]);
  assert.equal(await exitWithin(init, "nacs pki init", 30_000), 0, init.err);
  return { dir, pnc };
}

/**
 * One session: `nacs evse --sessions 1 EVSE_EXTRA` ↔ `nacs ev --payment contract EV_EXTRA`; both must exit 0.
 */
async function pncSession(
  dir: string,
  pnc: string,
  evExtra: readonly string[],
  evseExtra: readonly string[] = [],
): Promise<{ e: Summary; s: Summary; ev: NacsProc }> {
  let evse: NacsProc | undefined;
  let ev: NacsProc | undefined;
  try {
    const common = [
      "--iface",
      "lo",
      "--no-slac",
      "--json",
      "--tls",
      "--test-pki",
      join(dir, "tls"),
      "--pki",
      pnc,
    ];
    common.push("--sdp-port", String(20000 + Math.floor(Math.random() * 11000)));
    common.push("--time-scale", "300", "--board", `sim:${join(dir, "world.sock")}`);
    evse = spawnNacs([
      "evse",
      ...common,
      ...["--protocol", "iso2", "--sessions", "1", "--log-level", "info"],
      ...evseExtra,
    ]);
    await waitForStderr(evse, /evse ready/, 20_000);
    ev = spawnNacs([
      "ev",
      ...common,
      "--protocol",
      "iso2",
      "--payment",
      "contract",
      "--target-soc",
      "40",
      "--log-level",
      "info",
      ...evExtra,
    ]);
    assert.equal(await exitWithin(ev, "nacs ev", LIMIT_MS), 0, `nacs ev: ${ev.err.slice(-2000)}`);
    assert.equal(await exitWithin(evse, "nacs evse", 20_000), 0, `nacs evse: ${evse.err.slice(-2000)}`);
    return { e: summary("EV", ev), s: summary("EVSE", evse), ev };
  } finally {
    killIfRunning(ev);
    killIfRunning(evse);
  }
}

for (const [label, extra] of [
  ["a contract from DIR, and a signed SalesTariff", []],
  ["--install-contract: CertificateInstallation first", ["--install-contract"]],
] as const) {
  test(
    `ISO-2 Contract payment over TLS on [::1]: nacs evse --pki ↔ nacs ev --pki --payment contract, ${label}`,
    { timeout: LIMIT_MS + 20_000 },
    async () => {
      const { dir, pnc } = await pkiDir();
      try {
        // the first run also has the EVSE send a SalesTariff signed by DIR's MO Sub-CA 2 (ISO 15118-2 §7.9.2.4.2)
        const { e, s, ev } = await pncSession(dir, pnc, extra, extra.length > 0 ? [] : ["--sales-tariff"]);
        if (extra.length === 0)
          assert.match(ev.err, /SalesTariff verified: 1 SalesTariff signed by the contract's MO Sub-CA 2/);
        for (const x of [e, s]) {
          assert.equal(x.transport, "tls");
          assert.equal(x.messageCounts.PaymentDetailsReq, 1, "Contract payment: one PaymentDetailsReq");
          assert.equal(x.messageCounts.AuthorizationReq, 1, "one signed AuthorizationReq");
          assert.equal(x.messageCounts.CertificateInstallationReq, extra.length > 0 ? 1 : undefined);
        }
        assert.equal(e.stopReason, "target SOC reached");
        assert.equal(s.stopReason, "EV ended the session");
        assert.equal(e.contract?.source, extra.length > 0 ? "installed" : "pki");
        assert.equal(e.contract?.leafSha256, s.contract?.leafSha256, "the EVSE validated the EV's contract");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}

const sha256 = (der: Uint8Array) => createHash("sha256").update(der).digest("hex");

test(
  "ISO-2 contract store across nacs ev runs: install → store, CertificateUpdate (--renew-days) → store, then the stored one",
  { timeout: 3 * LIMIT_MS + 60_000 },
  async () => {
    const { dir, pnc } = await pkiDir();
    try {
      const storeDir = join(dir, "ev-store");
      mkdirSync(storeDir);
      const file = join(storeDir, CONTRACT_STORE_FILE);

      // session 1: no contract anywhere → CertificateInstallation, written to the store
      const one = await pncSession(dir, pnc, ["--install-contract", "--contract-store", storeDir]);
      assert.equal(one.e.messageCounts.CertificateInstallationReq, 1);
      assert.equal(one.s.messageCounts.CertificateInstallationReq, 1);
      assert.equal(one.e.contract?.source, "installed");
      assert.equal(one.e.contract?.stored, file);
      assert.equal(statSync(file).mode & 0o777, 0o600, "the store holds a private key: mode 0600");
      const [installed, ...more1] = readContractStore(file);
      assert.ok(installed);
      assert.equal(more1.length, 0);
      assert.equal(installed.origin, "installed");
      assert.equal(sha256(installed.contract.chain.leaf), one.e.contract?.leafSha256);
      assert.equal(one.s.contract?.leafSha256, one.e.contract?.leafSha256);

      // session 2: the stored contract expires within --renew-days → CertificateUpdate (signed with the old
      // key, answered by the EVSE's local CPS with a new leaf), stored, and paid with
      const remainingDays = (Date.parse(one.e.contract?.notAfter ?? "") - Date.now()) / 86_400_000;
      const renewDays = String(Math.ceil(remainingDays) + 10);
      const two = await pncSession(dir, pnc, ["--contract-store", storeDir, "--renew-days", renewDays]);
      for (const x of [two.e, two.s]) {
        assert.equal(x.transport, "tls");
        assert.equal(x.messageCounts.CertificateUpdateReq, 1, "one CertificateUpdateReq");
        assert.equal(x.messageCounts.CertificateUpdateRes, 1);
        assert.equal(x.messageCounts.CertificateInstallationReq, undefined);
        assert.equal(x.messageCounts.PaymentDetailsReq, 1);
        assert.equal(x.messageCounts.AuthorizationReq, 1);
      }
      assert.equal(two.e.stopReason, "target SOC reached");
      assert.equal(two.s.stopReason, "EV ended the session");
      assert.equal(two.e.contract?.source, "updated");
      assert.equal(two.e.contract?.emaid, one.e.contract?.emaid, "an update keeps the eMAID");
      assert.deepEqual(two.e.contract?.previous, {
        emaid: one.e.contract?.emaid,
        notAfter: one.e.contract?.notAfter,
      });
      assert.notEqual(two.e.contract?.leafSha256, one.e.contract?.leafSha256, "a new contract leaf");
      assert.equal(two.s.contract?.leafSha256, two.e.contract?.leafSha256, "paid with the new contract");
      const [updated, ...more2] = readContractStore(file);
      assert.ok(updated);
      assert.equal(more2.length, 0, "the update replaced the contract of the same eMAID");
      assert.equal(updated.origin, "updated");
      assert.equal(sha256(updated.contract.chain.leaf), two.e.contract?.leafSha256);
      assert.notDeepEqual(updated.contract.privateKey, installed.contract.privateKey, "a new key");

      // session 3: --install-contract with a valid contract in the store uses it (and says so)
      const three = await pncSession(dir, pnc, ["--install-contract", "--contract-store", storeDir]);
      assert.equal(three.e.messageCounts.CertificateInstallationReq, undefined);
      assert.equal(three.e.messageCounts.CertificateUpdateReq, undefined);
      assert.equal(three.e.contract?.source, "store");
      assert.equal(three.e.contract?.leafSha256, two.e.contract?.leafSha256);
      assert.equal(three.s.contract?.leafSha256, two.e.contract?.leafSha256);
      assert.match(three.ev.err, /holds a valid contract .*using it, not installing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
