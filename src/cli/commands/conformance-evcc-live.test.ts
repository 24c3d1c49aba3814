/**
 * `nacs conformance --sut evcc` against our own `nacs ev` (acceptance, loopback, no SLAC): the tester
 * process hosts the simulated cable and plugs the car in per case; one `nacs ev --sessions 0` process
 * runs a new session on each plug-in. Every case passes (or names the requirement our car deviates from
 * in a known deviation); the reports are written. `npm test` runs {@link CI_EVCC_CASES} (each group of
 * both protocols) and the TLS pair (the bad-certificate case and a normal session over TLS); the whole
 * EVCC catalogue (a few minutes: the Ongoing cases wait out the car's 40 s / 60 s phase timers) runs with
 * `NACS_CONFORMANCE_FULL=1 node tools/run-tests.mjs conformance-evcc-live`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { notPassed, type RunSummary } from "../../conformance/report.js";
import { CI_EVCC_CASES } from "../testing/conformance-evcc-pair.js";
import { randomSdpPort } from "../testing/live-pair.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const FULL = process.env.NACS_CONFORMANCE_FULL === "1";

/** Run `nacs conformance --sut evcc` and `nacs ev --sessions 0` on one cable; the summary and stderr. */
async function runPair(
  cases: readonly string[] | null,
  tls: boolean,
): Promise<{ s: RunSummary; code: number | null; err: string; dir: string; wallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-evcc-live-"));
  const common = [
    "--iface",
    "lo",
    "--no-slac",
    "--sdp-port",
    randomSdpPort(),
    "--board",
    `sim:${join(dir, "w.sock")}`,
  ];
  const pki = tls ? ["--tls", "--test-pki", join(dir, "pki")] : [];
  let conf: NacsProc | undefined;
  let ev: NacsProc | undefined;
  const t0 = Date.now();
  try {
    conf = spawnNacs([
      "conformance",
      "--sut",
      "evcc",
      ...common,
      ...pki,
      "--json",
      "--report",
      join(dir, "report"),
      ...(cases ? ["--cases", cases.join(",")] : []),
    ]);
    await waitForStderr(conf, /tester EVSE ready/, 30_000);
    ev = spawnNacs(["ev", ...common, ...pki, "--sessions", "0", "--protocol", "din,iso2"]);
    const code = await exitWithin(conf, "nacs conformance --sut evcc", FULL ? 1_800_000 : 240_000);
    let s: RunSummary;
    try {
      s = JSON.parse(conf.out) as RunSummary;
    } catch (e) {
      throw new Error(`no summary (exit ${code}): ${conf.err.slice(-2000)}`, { cause: e });
    }
    const junit = readFileSync(join(dir, "report", "junit.xml"), "utf8");
    assert.equal(junit.match(/<testcase /g)?.length, s.total);
    assert.match(junit, /<testsuite name="evcc-(din|iso2)" /);
    return { s, code, err: conf.err, dir, wallMs: Date.now() - t0 };
  } finally {
    killIfRunning(conf);
    killIfRunning(ev);
    rmSync(dir, { recursive: true, force: true });
  }
}

test(`nacs conformance --sut evcc against nacs ev --sessions 0 (${FULL ? "the whole EVCC catalogue" : `${CI_EVCC_CASES.length} cases, NACS_CONFORMANCE_FULL=1 for all`}): every case passes`, async (t) => {
  const { s, code, err, wallMs } = await runPair(FULL ? null : CI_EVCC_CASES, false);
  t.diagnostic(
    `${s.total} cases in ${(wallMs / 1000).toFixed(1)} s wall (${(s.durationMs / 1000).toFixed(1)} s run)`,
  );
  assert.equal(s.sut, "evcc");
  assert.deepEqual(notPassed(s), [], err.slice(-3000));
  if (FULL) assert.ok(s.total >= 35, `${s.total} cases`);
  else assert.deepEqual(s.cases.map((c) => c.id).sort(), [...CI_EVCC_CASES].sort());
  assert.equal(code, s.passed === s.total ? 0 : 1);
  assert.equal(err.match(/^nacs conformance: \[\d+\/\d+\] evcc-/gm)?.length, s.total);
});

test("nacs conformance --sut evcc --tls --test-pki DIR: a session over TLS; a SECC certificate of another root refused by the car", async () => {
  const ids = ["evcc-iso2-normal-003", "evcc-iso2-transport-007"];
  const { s, err } = await runPair(ids, true);
  assert.deepEqual(
    s.cases.map((c) => [c.id, c.verdict]),
    ids.map((id) => [id, "pass"]),
    err.slice(-3000),
  );
});
