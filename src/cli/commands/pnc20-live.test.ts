/**
 * Acceptance: ISO 15118-20 Plug & Charge between our EVCC and SECC over TLS 1.3 with mutual authentication on
 * [::1]: `nacs pki init DIR --iso20`, then `nacs evse --protocol iso20 --tls --tls-version 1.3 --test-pki TLS
 * --pki DIR` ↔ `nacs ev --protocol iso20 --tls --tls-version 1.3 --test-pki TLS --pki DIR --payment contract`.
 * With DIR's contract the DC session completes, both `--json` summaries report the PnC authorization service
 * and one AuthorizationSetup / one (signed) AuthorizationReq; with the contract of another `pki init` (another
 * MO root) the session ends at AuthorizationRes WARNING_CertificateValidationError (EVSE stop reason
 * contract-invalid, EV failed-response).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const LIMIT_MS = 60_000;

interface Summary {
  protocol: string;
  transport: string;
  stopReason: string;
  messageCounts: Record<string, number>;
  iso20?: { service: string; authorization?: string };
}

const summary = (who: string, p: NacsProc): Summary => {
  const line = p.out.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line, `${who}: no JSON summary; stderr: ${p.err.slice(-2000)}`);
  return JSON.parse(line) as Summary;
};

/** One EVSE (PKI `evsePki`) and one EV (contract of `evPki`) over TLS 1.3 mutual auth on [::1]. */
async function session(
  dir: string,
  evsePki: string,
  evPki: string,
): Promise<{ ev: Summary; evse: Summary; evCode: number | null; evseCode: number | null }> {
  let evse: NacsProc | undefined;
  let ev: NacsProc | undefined;
  try {
    const common = ["--iface", "lo", "--no-slac", "--json", "--tls", "--tls-version", "1.3"];
    common.push("--test-pki", join(dir, "tls"), "--protocol", "iso20");
    common.push("--sdp-port", String(20000 + Math.floor(Math.random() * 11000)));
    common.push("--time-scale", "300", "--board", `sim:${join(dir, "world.sock")}`);
    evse = spawnNacs(["evse", ...common, "--pki", evsePki, "--sessions", "1", "--log-level", "info"]);
    await waitForStderr(evse, /evse ready/, 20_000);
    ev = spawnNacs(["ev", ...common, "--pki", evPki, "--payment", "contract", "--target-soc", "40"]);
    const evCode = await exitWithin(ev, "nacs ev", LIMIT_MS);
    const evseCode = await exitWithin(evse, "nacs evse", 20_000);
    return { ev: summary("EV", ev), evse: summary("EVSE", evse), evCode, evseCode };
  } finally {
    killIfRunning(ev);
    killIfRunning(evse);
  }
}

test(
  "ISO-20 PnC over TLS 1.3 mutual auth on [::1]: a DC session authorised by contract; a foreign contract is refused",
  { timeout: 2 * LIMIT_MS + 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-pnc20-"));
    try {
      for (const name of ["pnc", "other"]) {
        const init = spawnNacs(["pki", "init", join(dir, name), "--iso20"]);
        assert.equal(await exitWithin(init, "nacs pki init", 30_000), 0, init.err);
      }
      const ok = await session(dir, join(dir, "pnc"), join(dir, "pnc"));
      assert.equal(ok.evCode, 0);
      assert.equal(ok.evseCode, 0);
      for (const x of [ok.ev, ok.evse]) {
        assert.equal(x.protocol, "iso20");
        assert.equal(x.transport, "tls");
        assert.equal(x.messageCounts.AuthorizationSetupReq, 1);
        assert.equal(x.messageCounts.AuthorizationReq, 1, "one signed AuthorizationReq, Finished at once");
        assert.ok((x.messageCounts.DC_ChargeLoopReq ?? 0) > 0, "the session charged");
        assert.equal(x.iso20?.authorization, "PnC");
      }
      assert.equal(ok.ev.stopReason, "target SOC reached");
      assert.equal(ok.evse.stopReason, "EV ended the session");

      const bad = await session(dir, join(dir, "pnc"), join(dir, "other"));
      assert.equal(bad.evCode, 1);
      assert.equal(bad.evse.stopReason, "contract-invalid");
      assert.equal(
        bad.ev.stopReason,
        "V2G failed-response: AuthorizationRes WARNING_CertificateValidationError",
      );
      for (const x of [bad.ev, bad.evse]) {
        assert.equal(x.messageCounts.AuthorizationRes, 1);
        assert.equal(x.messageCounts.ServiceDiscoveryReq, undefined, "nothing after AuthorizationRes");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
