/**
 * `nacs conformance` options: usage errors name the flag (exit 2), `--sut evcc --list` lists the EVCC cases,
 * `--list` prints the selection, the profile's skips and `transport` cases leave the run, `--secc` parses.
 * `nacs evse --sequence-timeout` (the lab switch the live test uses) parses to the SECC's figure.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { defaultProfile } from "../../conformance/profile.js";
import { parseSeccAddress } from "../../conformance/sdp-responder.js";
import { UsageError } from "../errors.js";
import { parseConformanceOptions, selectCases } from "./conformance.js";
import { parseEvseOptions } from "./evse.js";

const nacs = (args: string[]) =>
  spawnSync(process.execPath, ["bin/nacs.js", ...args], { encoding: "utf8", timeout: 30_000 });

test("usage errors name the flag", () => {
  const base = { sut: "secc", iface: "lo", slac: false };
  for (const [raw, re] of [
    [{ iface: "lo", slac: false }, /--sut/],
    [{ ...base, sut: "car" }, /--sut/],
    [{ ...base, iface: undefined }, /--iface/],
    [{ ...base, tls: true }, /--tls.*--trust ROOT\.pem or --test-pki DIR/],
    [{ ...base, secc: "localhost" }, /--secc.*\[IPV6\]:PORT/],
    [{ ...base, protocol: "din,iso21" }, /--protocol/],
    [{ ...base, sut: "evcc", secc: "[::1]:50000" }, /--secc.*only with --sut secc/],
    [{ ...base, modem: "qca" }, /--modem qca.*needs SLAC/],
    [{ ...base, slac: true, modem: "plc" }, /--modem/],
  ] as const)
    assert.throws(
      () => parseConformanceOptions(raw as Record<string, unknown>),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      JSON.stringify(raw),
    );
  const o = parseConformanceOptions({ ...base, secc: "[::1]:50000", protocol: "iso2" });
  assert.deepEqual([o.secc, o.protocol, o.json], ["[::1]:50000", ["iso2"], false]);
  assert.deepEqual(parseConformanceOptions({ ...base, protocol: "iso20" }).protocol, ["iso20"]);
  // SLAC is the default now (the SLAC cases need it); --modem qca drives a QCA7000-family modem
  const withSlac = parseConformanceOptions({ sut: "secc", iface: "eth1", modem: "qca" });
  assert.deepEqual([withSlac.slac, withSlac.modem], [true, "qca"]);
});

test("nacs conformance: a bad flag exits 2 naming it; --sut evcc --list: the car-under-test cases only", () => {
  const bad = nacs(["conformance", "--sut", "secc", "--iface", "lo", "--no-slac", "--sdp-port", "0"]);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /--sdp-port/);
  const evcc = nacs([
    "conformance",
    "--sut",
    "evcc",
    "--iface",
    "lo",
    "--no-slac",
    "--list",
    "--cases",
    "*-seq-*",
  ]);
  assert.equal(evcc.status, 0, evcc.stderr);
  const lines = evcc.stdout.trim().split("\n");
  assert.equal(lines.length, 12);
  assert.ok(
    lines.every((l) => /^evcc-(din|iso2)-seq-\d{3}\t(din|iso2)\t.+\t.+$/.test(l)),
    lines.join("\n"),
  );
});

test("nacs conformance --list: one line per selected case (ID, protocols, requirement, title)", () => {
  const r = nacs([
    "conformance",
    "--sut",
    "secc",
    "--iface",
    "lo",
    "--no-slac",
    "--list",
    "--cases",
    "secc-din-seq-*",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 10);
  assert.ok(
    lines.every((l) => /^secc-din-seq-\d{3}\tdin\t.+\t.+$/.test(l)),
    lines.join("\n"),
  );
});

test("selection: --cases, --protocol, the profile's skips (with the reason) and transport-bound cases", () => {
  const profile = { ...defaultProfile(), skip: { "secc-iso2-seq-001": "known firmware bug" } };
  const s = selectCases({ cases: "secc-iso2-*", protocol: undefined, tls: true }, profile);
  assert.ok(s.run.every((c) => c.id.startsWith("secc-iso2-")));
  assert.deepEqual(
    s.skipped.find((x) => x.id === "secc-iso2-seq-001"),
    { id: "secc-iso2-seq-001", why: "known firmware bug" },
  );
  assert.ok(s.skipped.some((x) => x.id === "secc-iso2-value-008" && x.why === "needs tcp"));
  const din = selectCases({ cases: undefined, protocol: ["din"], tls: false }, defaultProfile());
  assert.ok(din.run.length > 0 && din.run.every((c) => c.protocols.includes("din")));
});

test("--secc [ADDR]:PORT", () => {
  assert.deepEqual(parseSeccAddress("[fe80::1%eth1]:50000"), { address: "fe80::1%eth1", port: 50000 });
  assert.deepEqual(parseSeccAddress("[::1]:61000"), { address: "::1", port: 61000 });
  assert.throws(() => parseSeccAddress("[::1]:0"), /--secc/);
  assert.throws(() => parseSeccAddress("charger:15118"), /--secc/);
});

test("nacs evse --sequence-timeout S: the SECC's V2G_SECC_Sequence_Timeout (lab switch), 0.1–600 s", () => {
  assert.equal(parseEvseOptions({ iface: "lo", slac: false, sequenceTimeout: "2" }).sequenceTimeout, 2);
  assert.equal(parseEvseOptions({ iface: "lo", slac: false }).sequenceTimeout, undefined);
  assert.throws(
    () => parseEvseOptions({ iface: "lo", slac: false, sequenceTimeout: "0" }),
    (e: unknown) => e instanceof UsageError && /--sequence-timeout/.test(e.message),
  );
});

test("nacs conformance --protocol iso20 --list: the secc-iso20 cases the profile's SUT offers", () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-conf20-"));
  try {
    const profile = join(dir, "p.json");
    writeFileSync(profile, JSON.stringify({ protocols: ["iso20"], energy: ["dc", "ac"] }));
    const r = nacs(
      ["conformance", "--sut", "secc", "--iface", "lo", "--no-slac", "--list"].concat([
        "--protocol",
        "iso20",
        "--profile",
        profile,
      ]),
    );
    assert.equal(r.status, 0, r.stderr);
    const all = r.stdout.trim().split("\n");
    // the SLAC and SDP cases are protocol-neutral: listed for a -20-only charger too
    const neutral = all.filter((l) => /^secc-(slac|sdp)-\d{3}\t/.test(l));
    assert.equal(neutral.length, 23, neutral.join("\n"));
    const lines = all.filter((l) => !neutral.includes(l));
    assert.ok(lines.length >= 40, `${lines.length} lines`);
    assert.ok(
      lines.every((l) => /^secc-iso20-[a-z0-9]+-\d{3}\tiso20\t.+\t.+$/.test(l)),
      lines.join("\n"),
    );
    // BPT is not among the services a profile names by its energy transfers only: those cases are skipped
    assert.ok(!lines.some((l) => l.startsWith("secc-iso20-normal-003\t")));
    assert.ok(lines.some((l) => l.startsWith("secc-iso20-normal-005\t")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("selection: a DC-only SUT skips the AC cases, naming why; the ISO-2 AC cases run against an AC SUT", () => {
  const dc = selectCases({ cases: "secc-iso2-ac-*", protocol: undefined, tls: false }, defaultProfile());
  assert.equal(dc.run.length, 0);
  assert.ok(dc.skipped.length > 0 && dc.skipped.every((x) => /does not offer AC/.test(x.why)));
  const ac = selectCases(
    { cases: "secc-iso2-*", protocol: ["iso2"], tls: false },
    { ...defaultProfile(), energy: ["ac"] },
  );
  assert.ok(ac.run.length > 0 && ac.run.every((c) => c.id.startsWith("secc-iso2-ac-")));
});

test("nacs conformance --no-slac: the SLAC cases are listed but not run (skipped with the reason); selecting only them is a usage error", () => {
  const list = nacs([
    "conformance",
    "--sut",
    "secc",
    "--iface",
    "lo",
    "--no-slac",
    "--list",
    "--cases",
    "secc-slac-00?",
  ]);
  assert.equal(list.status, 0, list.stderr);
  assert.equal(list.stdout.trim().split("\n").length, 9);
  const run = nacs(["conformance", "--sut", "secc", "--iface", "lo", "--no-slac", "--cases", "secc-slac-*"]);
  assert.equal(run.status, 2, run.stderr);
  assert.match(
    run.stderr,
    /--cases secc-slac-\*: selects no case to run \(--no-slac: a SLAC case needs SLAC on the interface\)/,
  );
});
