/**
 * `nacs simulate --fault NAME` with the certificate-service faults (ISO 15118-2 CertificateInstallation /
 * CertificateUpdate): `--list-faults --json` lists them, and each run's JSON summary ends with the fault's
 * stop reason — the ISO response code for the SECC's refusals — after the certificate request, with no
 * PaymentDetails and no energy; with the simulator's own PKI and with `--pki DIR` (`nacs pki init`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CERT_FAULT_START, CERT_FAULTS, FAULTS } from "../../sim/dc/faults.js";
import { type NacsProc, spawnNacs } from "../testing/spawn-nacs.js";

const LIMIT_MS = 60_000;

async function run(args: string[]): Promise<NacsProc> {
  const p = spawnNacs(args);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      p.child.kill("SIGKILL");
      reject(new Error(`nacs ${args.join(" ")}: still running after ${LIMIT_MS} ms`));
    }, LIMIT_MS);
  });
  try {
    await Promise.race([p.exit, late]);
    return p;
  } finally {
    clearTimeout(timer);
  }
}

const json = (p: NacsProc) => {
  const at = p.out.indexOf("{");
  assert.ok(at >= 0, `no JSON summary: ${p.err.slice(-2000)}`);
  return JSON.parse(p.out.slice(at)) as {
    stopReason: string;
    messages: Record<string, number>;
    energyDeliveredWh: number;
  };
};

test("nacs simulate --list-faults --json lists the certificate-service faults", async () => {
  const p = await run(["simulate", "--list-faults", "--json"]);
  assert.equal(p.child.exitCode, 0, p.err);
  const list = JSON.parse(p.out) as { name: string; stopReason: string }[];
  for (const name of CERT_FAULTS)
    assert.equal(list.find((f) => f.name === name)?.stopReason, FAULTS[name].stopReason, name);
});

for (const name of CERT_FAULTS)
  test(`nacs simulate --fault ${name} --json: "${FAULTS[name].stopReason.slice(0, 60)}…"`, async () => {
    const p = await run(["simulate", "--fault", name, "--json", "--no-record"]);
    const s = json(p);
    assert.equal(s.stopReason, FAULTS[name].stopReason);
    const req = CERT_FAULT_START[name] === "install" ? "CertificateInstallationReq" : "CertificateUpdateReq";
    assert.equal(s.messages[req], 1);
    assert.equal(s.messages[req.replace(/Req$/, "Res")], 1);
    assert.equal(s.messages.PaymentDetailsReq, undefined);
    assert.equal(s.energyDeliveredWh, 0);
  });

test("nacs simulate --payment contract --pki DIR --fault cert-update-failed / oem-unknown-root", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-sim-pnc-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const init = await run(["pki", "init", join(dir, "pnc")]);
  assert.equal(init.child.exitCode, 0, init.err);
  for (const name of ["cert-update-failed", "oem-unknown-root"] as const) {
    const p = await run([
      "simulate",
      "--payment",
      "contract",
      "--pki",
      join(dir, "pnc"),
      "--fault",
      name,
      "--json",
      "--no-record",
    ]);
    assert.equal(json(p).stopReason, FAULTS[name].stopReason, name);
  }
});
