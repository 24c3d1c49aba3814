/**
 * OCPP security profile 3 end to end: `nacs csms --tls-dir DIR --client-certs` (wss://, every station's
 * client certificate checked), the station's certificate issued with `nacs csms --issue-station`, and a
 * `nacs simulate --ocpp wss://… --ocpp-ca --ocpp-cert --ocpp-key` session: Started … Ended, schema-clean.
 * The refusals (no certificate, another station's, a foreign PKI) are in src/link/ocpp/tls.test.ts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { assertOcppClean, runCsmsSession } from "../testing/csms-session.js";
import { exitWithin, spawnNacs } from "../testing/spawn-nacs.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-ocpp-tls-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const pki = join(dir, "pki");

test("security profile 3: simulate --ocpp wss:// with the station's certificate against csms --client-certs", async () => {
  const issue = spawnNacs(["csms", "--tls-dir", pki, "--issue-station", "CP1"]);
  assert.equal(await exitWithin(issue, "nacs csms --issue-station", 30_000), 0, issue.err);
  assert.match(issue.err, /station-CP1-cert\.pem and station-CP1-key\.pem written/);
  const r = await runCsmsSession({
    dir,
    name: "tls",
    script: null,
    station: "CP1",
    csmsArgs: ["--tls-dir", pki, "--client-certs"],
    simulateArgs: [
      "--ocpp-ca",
      join(pki, "ocpp-root.pem"),
      "--ocpp-cert",
      join(pki, "station-CP1-cert.pem"),
      "--ocpp-key",
      join(pki, "station-CP1-key.pem"),
    ],
  });
  assert.match(r.csms.url, /^wss:\/\//);
  const tx = assertOcppClean(r);
  assert.deepEqual([tx.events[0]?.eventType, tx.events.at(-1)?.eventType], ["Started", "Ended"]);
  assert.equal(r.csms.authFailures, 0);
});
