/**
 * `nacs conformance --sut secc` against our own `nacs evse` (one process, `--sessions 0`, loopback, no
 * SLAC, the simulated cable shared over a unix socket): the whole DIN 70121, ISO 15118-2 DC and ISO 15118-20
 * DC catalogue, one case after the other; then the ISO-2 AC and -20 AC cases against `nacs evse --mode ac`. Every case passes, or names the requirement our SECC deviates from in a known
 * deviation. The SECC runs with the lab switch `--sequence-timeout 2` and the profile says so (and gives
 * its 0.5 s charge-loop watchdog), so the timing cases take seconds, not minutes. Prints the wall time. The
 * metering-receipt cases run against `nacs evse --receipt-required`, whose profile says `receipts`.
 *
 * `npm test` runs {@link CI_CONFORMANCE_CASES}: each group of each protocol at least once, and
 * {@link CI_CONFORMANCE_AC_CASES}. The whole
 * catalogue takes about five minutes (most cases are a real-time session on the simulated board), so it
 * runs with `NACS_CONFORMANCE_FULL=1 node tools/run-tests.mjs conformance-live`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CaptureEvent, createCaptureDecoder, createCaptureReader } from "../../capture/index.js";
import { casePcapName, notPassed, type RunSummary } from "../../conformance/report.js";
import {
  CI_CONFORMANCE_AC_CASES,
  CI_CONFORMANCE_CASES,
  runConformanceAgainstEvse,
} from "../testing/conformance-pair.js";
import { randomSdpPort } from "../testing/live-pair.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

const CI_CASES = CI_CONFORMANCE_CASES;

/** The events of a pcapng as our capture decoder reads it. */
function decodePcapng(bytes: Uint8Array): CaptureEvent[] {
  const reader = createCaptureReader();
  const decoder = createCaptureDecoder();
  const out: CaptureEvent[] = [];
  for (const rec of reader.push(bytes)) if (rec.kind === "packet") out.push(...decoder.push(rec));
  return [...out, ...decoder.end()];
}
const CI_AC_CASES = CI_CONFORMANCE_AC_CASES;
const FULL = process.env.NACS_CONFORMANCE_FULL === "1";

test(`nacs conformance --sut secc: the DIN, ISO-2 DC and ISO 15118-20 DC catalogue (${FULL ? "all cases" : `${CI_CASES.length} cases, NACS_CONFORMANCE_FULL=1 for all`}) against nacs evse: every case passes or is a known deviation`, async (t) => {
  const {
    summary: s,
    code,
    confErr,
    wallMs,
  } = await runConformanceAgainstEvse({
    ...(!FULL && { cases: CI_CASES }),
    onReport(report, s) {
      const junit = readFileSync(join(report, "junit.xml"), "utf8");
      assert.equal(junit.match(/<testcase /g)?.length, s.total);
      assert.match(junit, /<testsuite name="secc-din" tests="\d+"/);
      const html = readFileSync(join(report, "report.html"), "utf8");
      assert.equal(html.match(/<tr class="(pass|fail|inconclusive)">/g)?.length, s.total);
      assert.ok(!/<script|src="http/.test(html), "self-contained: no scripts, no external resources");
      assert.equal(html.match(/<svg [^>]*class="chart"/g)?.length, s.total, "a timing chart per case");
      assert.equal(
        html.match(/<a download="[^"]+\.pcapng" href="data:/g)?.length,
        s.total,
        "a pcapng per case",
      );
      for (const c of s.cases) {
        // the case's capture, as Wireshark or `nacs decode` reads it: its session from the handshake on
        const events = decodePcapng(readFileSync(join(report, "cases", casePcapName(c))));
        const v2g = events.filter((e) => e.layer === "v2g").map((e) => `${e.from} ${e.type}`);
        assert.deepEqual(
          v2g.slice(0, 2),
          ["ev supportedAppProtocolReq", "evse supportedAppProtocolRes"],
          c.id,
        );
      }
    },
  });
  t.diagnostic(
    `${s.total} cases in ${(wallMs / 1000).toFixed(1)} s wall (${(s.durationMs / 1000).toFixed(1)} s of cases)`,
  );
  assert.deepEqual(notPassed(s), [], confErr.slice(-3000));
  if (FULL) assert.ok(s.total >= 40, `${s.total} cases`);
  else assert.deepEqual(s.cases.map((c) => c.id).sort(), [...CI_CASES].sort());
  assert.deepEqual([...new Set(s.cases.map((c) => c.protocol))].sort(), ["din", "iso2", "iso20"]);
  assert.equal(code, s.passed === s.total ? 0 : 1);
  // the progress line of every case on stderr
  assert.equal(confErr.match(/^nacs conformance: \[\d+\/\d+\] /gm)?.length, s.total);
});

test(`nacs conformance --sut secc: the ISO-2 AC and ISO 15118-20 AC cases (${FULL ? "all" : `${CI_AC_CASES.length}, NACS_CONFORMANCE_FULL=1 for all`}) against nacs evse --mode ac: every case passes or is a known deviation`, async (t) => {
  const {
    summary: s,
    code,
    confErr,
    wallMs,
  } = await runConformanceAgainstEvse({ mode: "ac", ...(!FULL && { cases: CI_AC_CASES }) });
  t.diagnostic(
    `${s.total} cases in ${(wallMs / 1000).toFixed(1)} s wall (${(s.durationMs / 1000).toFixed(1)} s of cases)`,
  );
  assert.deepEqual(notPassed(s), [], confErr.slice(-3000));
  if (FULL) assert.ok(s.total >= 30, `${s.total} cases`);
  else assert.deepEqual(s.cases.map((c) => c.id).sort(), [...CI_AC_CASES].sort());
  assert.deepEqual([...new Set(s.cases.map((c) => c.protocol))].sort(), ["iso2", "iso20"]);
  // the DC cases of the catalogue are skipped against an AC SECC, each with the reason
  if (FULL) assert.match(confErr, /secc-iso20-normal-001 skipped: the SUT does not offer DC/);
  assert.equal(code, s.passed === s.total ? 0 : 1);
});

/** The metering-receipt cases (profile `receipts`), DC and AC. */
const RECEIPT_CASES = {
  dc: ["secc-iso2-normal-007", "secc-iso2-value-010"],
  ac: ["secc-iso2-ac-normal-005", "secc-iso2-ac-value-003"],
} as const;

for (const mode of ["dc", "ac"] as const)
  test(`nacs conformance --sut secc: the ISO-2 ${mode.toUpperCase()} metering-receipt cases against nacs evse --receipt-required: a receipt of the MeterInfo asked is answered OK, a forged one refused`, async () => {
    const { summary: s, confErr } = await runConformanceAgainstEvse({
      mode,
      receipts: true,
      inProcess: true,
      cases: RECEIPT_CASES[mode],
    });
    assert.deepEqual(notPassed(s), [], confErr.slice(-3000));
    assert.deepEqual(s.cases.map((c) => c.id).sort(), [...RECEIPT_CASES[mode]].sort());
  });

test("nacs conformance --tls --secc [::1]:PORT: the SECC's address given (SDP answered locally), TLS 1.2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-tls-"));
  const pki = join(dir, "pki");
  const v2gPort = String(50000 + Math.floor(Math.random() * 10000));
  const board = ["--board", `sim:${join(dir, "world.sock")}`];
  let evse: NacsProc | undefined;
  let conf: NacsProc | undefined;
  try {
    evse = spawnNacs([
      "evse",
      "--iface",
      "lo",
      "--no-slac",
      "--sdp-port",
      randomSdpPort(),
      ...board,
      "--sessions",
      "0",
      "--protocol",
      "din,iso2",
      "--tls",
      "--test-pki",
      pki,
      "--port",
      v2gPort,
    ]);
    await waitForStderr(evse, /ready on lo: .*V2G tls/, 30_000);
    conf = spawnNacs([
      "conformance",
      "--sut",
      "secc",
      "--iface",
      "lo",
      "--no-slac",
      ...board,
      "--tls",
      "--test-pki",
      pki,
      "--secc",
      `[::1]:${v2gPort}`,
      "--cases",
      "secc-iso2-normal-001,secc-din-seq-007",
      "--json",
    ]);
    const code = await exitWithin(conf, "nacs conformance", 120_000);
    const s = JSON.parse(conf.out) as RunSummary;
    assert.deepEqual(
      s.cases.map((c) => [c.id, c.verdict]),
      [
        ["secc-din-seq-007", "pass"],
        ["secc-iso2-normal-001", "pass"],
      ],
      conf.err,
    );
    assert.equal(code, 0);
  } finally {
    killIfRunning(conf);
    killIfRunning(evse);
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * ISO 15118-20 on mutual TLS 1.3 (`nacs evse --tls --tls-version 1.3 --test-pki DIR`, the SECC's address given):
 * `clientCert` is the SECC's `--tls13-client-cert`. The run's cases and their verdicts (with the failing field).
 */
async function iso20OverTls13(
  clientCert: "required" | "optional",
  cases: string[],
): Promise<[string, string][]> {
  const dir = mkdtempSync(join(tmpdir(), "nacs-conformance-tls13-"));
  const pki = join(dir, "pki");
  const v2gPort = String(50000 + Math.floor(Math.random() * 10000));
  const board = ["--board", `sim:${join(dir, "world.sock")}`];
  let evse: NacsProc | undefined;
  let conf: NacsProc | undefined;
  try {
    evse = spawnNacs(
      [
        "evse",
        "--iface",
        "lo",
        "--no-slac",
        "--sdp-port",
        randomSdpPort(),
        ...board,
        "--sessions",
        "0",
      ].concat(
        ["--protocol", "iso20", "--tls", "--tls-version", "1.3", "--tls13-client-cert", clientCert],
        ["--test-pki", pki, "--port", v2gPort],
      ),
    );
    await waitForStderr(evse, /ready on lo: .*V2G tls/, 30_000);
    conf = spawnNacs(
      [
        "conformance",
        "--sut",
        "secc",
        "--iface",
        "lo",
        "--no-slac",
        ...board,
        "--tls",
        "--test-pki",
        pki,
      ].concat(["--secc", `[::1]:${v2gPort}`, "--protocol", "iso20", "--cases", cases.join(","), "--json"]),
    );
    await exitWithin(conf, "nacs conformance", 120_000);
    const out = conf.out;
    assert.ok(out.trim().startsWith("{"), `no summary: ${conf.err.slice(-2000)}`);
    const s = JSON.parse(out) as RunSummary;
    return s.cases.map((c) => [
      c.id,
      `${c.verdict}${c.verdict === "fail" ? ` ${String((c.details as { field?: string }).field)}` : ""}`,
    ]);
  } finally {
    killIfRunning(conf);
    killIfRunning(evse);
    rmSync(dir, { recursive: true, force: true });
  }
}

test("nacs conformance --tls --protocol iso20: mutual TLS 1.3; a vehicle certificate of an unknown root is refused — and a SECC that does not ask for one fails the case", async () => {
  assert.deepEqual(await iso20OverTls13("required", ["secc-iso20-normal-013", "secc-iso20-transport-009"]), [
    ["secc-iso20-normal-013", "pass"],
    ["secc-iso20-transport-009", "pass"],
  ]);
  assert.deepEqual(await iso20OverTls13("optional", ["secc-iso20-transport-009"]), [
    ["secc-iso20-transport-009", "fail tlsHandshake"],
  ]);
});
