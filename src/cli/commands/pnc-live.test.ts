/**
 * Acceptance: a full ISO 15118-2 DC session with Contract payment (Plug & Charge) between our EVCC and SECC
 * over TLS 1.2 on [::1]: `nacs pki init DIR`, then `nacs evse --tls --test-pki TLS --pki DIR` ↔
 * `nacs ev --tls --test-pki TLS --pki DIR --payment contract`. Both sides must run PaymentDetails and one
 * (signed) AuthorizationReq, and end normally — with the contract of DIR, and with `--install-contract`: the EV
 * starts without one and installs it first (CertificateInstallation from the EVSE's local CPS).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const LIMIT_MS = 60_000;

const killIfRunning = (p: NacsProc | undefined) => {
  if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
};

async function exitBy(p: NacsProc, who: string, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${who} still running: ${p.err.slice(-2000)}`)), ms);
  });
  try {
    return await Promise.race([p.exit, late]);
  } finally {
    clearTimeout(timer);
  }
}

const summary = (who: string, p: NacsProc) => {
  const line = p.out.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line, `${who}: no JSON summary; stderr: ${p.err.slice(-2000)}`);
  return JSON.parse(line) as { transport: string; stopReason: string; messageCounts: Record<string, number> };
};

for (const [label, extra] of [
  ["a contract from DIR", []],
  ["--install-contract: CertificateInstallation first", ["--install-contract"]],
] as const) {
  test(
    `ISO-2 Contract payment over TLS on [::1]: nacs evse --pki ↔ nacs ev --pki --payment contract, ${label}`,
    { timeout: LIMIT_MS + 20_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "nacs-pnc-"));
      const pnc = join(dir, "pnc");
      let evse: NacsProc | undefined;
      let ev: NacsProc | undefined;
      try {
        const init = spawnNacs(["pki", "init", pnc]);
        assert.equal(await exitBy(init, "nacs pki init", 30_000), 0, init.err);
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
        evse = spawnNacs(["evse", ...common, "--protocol", "iso2", "--sessions", "1", "--log-level", "info"]);
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
          ...extra,
        ]);
        assert.equal(await exitBy(ev, "nacs ev", LIMIT_MS), 0, `nacs ev: ${ev.err.slice(-2000)}`);
        assert.equal(await exitBy(evse, "nacs evse", 20_000), 0, `nacs evse: ${evse.err.slice(-2000)}`);
        const e = summary("EV", ev);
        const s = summary("EVSE", evse);
        for (const x of [e, s]) {
          assert.equal(x.transport, "tls");
          assert.equal(x.messageCounts.PaymentDetailsReq, 1, "Contract payment: one PaymentDetailsReq");
          assert.equal(x.messageCounts.AuthorizationReq, 1, "one signed AuthorizationReq");
          assert.equal(x.messageCounts.CertificateInstallationReq, extra.length > 0 ? 1 : undefined);
        }
        assert.equal(e.stopReason, "target SOC reached");
        assert.equal(s.stopReason, "EV ended the session");
      } finally {
        killIfRunning(ev);
        killIfRunning(evse);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
