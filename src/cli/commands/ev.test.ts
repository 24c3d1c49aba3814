/**
 * End to end on loopback: `nacs evse --iface lo --no-slac` against `nacs ev --iface lo --no-slac`, two
 * processes on the EVSE and EV controllers over one simulated cable, DIN DC over TCP and ISO-2 AC over TLS
 * (shared `--test-pki DIR`); both JSON summaries agree. Bad options exit 2.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

/** An SDP port per test so parallel test files never meet another EVSE. */
const sdpPort = () => String(20000 + Math.floor(Math.random() * 12000)); // below the ephemeral range

async function pair(extraEvse: string[], extraEv: string[]) {
  const port = sdpPort();
  const dir = mkdtempSync(join(tmpdir(), "nacs-pair-"));
  const common = ["--iface", "lo", "--no-slac", "--json", "--sdp-port", port, "--time-scale", "300"];
  common.push("--board", `sim:${join(dir, "world.sock")}`);
  const evse = spawnNacs(["evse", ...common, "--sessions", "1", "--log-level", "info", ...extraEvse]);
  try {
    await waitForStderr(evse, /evse ready/, 15_000);
    const ev = spawnNacs(["ev", ...common, "--soc", "50", "--target-soc", "51", ...extraEv]);
    const [evCode, evseCode] = await Promise.all([ev.exit, evse.exit]);
    assert.equal(evCode, 0, ev.err);
    assert.equal(evseCode, 0, evse.err);
    return { ev: JSON.parse(ev.out), evse: JSON.parse(evse.out), evseErr: evse.err };
  } finally {
    evse.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `--json` fields every summary has had, and the J3400 ones (`safety`, `phases`, …) of the controllers. */
const KEYS = ["energyDeliveredWh", "messages", "mode", "protocol", "responseTimesMs", "stopReason"];
const J3400_KEYS = ["board", "durationMs", "messageCounts", "phases", "safety", "transport"];

function checkPair(r: { ev: Record<string, unknown>; evse: Record<string, unknown> }, protocol: string) {
  const ac = r.evse.mode === "ac";
  assert.equal(r.ev.mode, r.evse.mode);
  for (const side of [r.ev, r.evse])
    for (const k of [...KEYS, ...J3400_KEYS]) assert.ok(k in side, `--json field ${k}`);
  assert.equal(r.ev.protocol, protocol);
  assert.equal(r.evse.protocol, protocol);
  assert.equal(r.ev.stopReason, "target SOC reached");
  assert.equal(r.evse.stopReason, "EV ended the session");
  assert.deepEqual(r.evse.safety, []);
  const phases = (r.evse.phases as { phase: string }[]).map((p) => p.phase);
  assert.deepEqual(
    phases,
    ac ? ["charging", "stopping"] : ["cable-check", "pre-charge", "charging", "stopping"],
  );
  assert.deepEqual(r.ev.messageCounts, r.evse.messageCounts);
  const counts = r.evse.messageCounts as Record<string, number>;
  const loop = ac ? "ChargingStatusReq" : protocol === "iso20" ? "DC_ChargeLoopReq" : "CurrentDemandReq";
  assert.ok((counts[loop] ?? 0) > 0, JSON.stringify(counts));
  const unlock = r.ev.unlock as { inletVoltageV: number };
  assert.ok(unlock.inletVoltageV < 60, `EV unlocked at ${unlock.inletVoltageV} V`);
  assert.equal(r.ev.messages, r.evse.messages);
  assert.ok((r.ev.energyDeliveredWh as number) > 0 && (r.evse.energyDeliveredWh as number) > 0);
  const t = r.evse.responseTimesMs as { median: number; p99: number };
  assert.ok(t.median > 0 && t.p99 >= t.median);
}

test("nacs evse --session-id-bytes 4 ↔ nacs ev --ev-profile tesla --s2-delay 2 (no SLAC): DIN DC session over TCP", async () => {
  // A 2 s legacy S2 delay: the EV holds CableCheck until S2 is closed, so the charger's 1.5 s
  // CPState_Detection_Timeout does not end the session ("control pilot lost"). The Tesla profile offers
  // DIN and urn:tesla:din:2018:MsgDef; the charger chooses DIN.
  // The EVSE hands out 4-byte SessionIDs, as a Tesla Supercharger does.
  const r = await pair(
    ["--protocol", "din", "--session-id-bytes", "4"],
    ["--ev-profile", "tesla", "--s2-delay", "2"],
  );
  checkPair(r, "din");
  // What the charger serves, said at start whatever the log level.
  assert.match(
    r.evseErr,
    /nacs evse: ready on lo: DC, din, V2G tcp \(no TLS\) on \[::1\]:\d+, SDP UDP \d+, no SLAC, board sim/,
  );
});

test("nacs evse/ev --tls --test-pki DIR: ISO-2 AC session over TLS", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pki-"));
  try {
    const tls = ["--tls", "--test-pki", dir, "--mode", "ac"];
    const r = await pair(tls, tls);
    checkPair(r, "iso2");
    assert.match(r.evseErr, /nacs evse: ready on lo: AC, iso2,din, V2G tls \(TLS 1\.2\) on \[::1\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("nacs evse/ev --tls --tls-version 1.3 --test-pki DIR: ISO-2 AC session over ISO 15118-20 TLS 1.3 (mutual TLS); the start line says so", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pki13-"));
  try {
    const tls = ["--tls", "--tls-version", "1.3", "--test-pki", dir, "--mode", "ac"];
    const r = await pair(tls, tls);
    checkPair(r, "iso2");
    assert.match(
      r.evseErr,
      /nacs evse: ready on lo: AC, iso2,din, V2G tls \(TLS 1\.3, vehicle certificate required\) on \[::1\]/,
    );
    // The SECC's connection log names the negotiated version and the vehicle certificate's CN.
    assert.match(r.evseErr, /TLSv1\.3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("nacs evse --tls-version both serves a TLS 1.2 EV (nacs ev --tls, the -2 P-256 chain) on its one port", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pkiboth-"));
  try {
    const r = await pair(["--tls", "--tls-version", "both", "--test-pki", dir], ["--tls", "--test-pki", dir]);
    checkPair(r, "iso2");
    assert.match(r.evseErr, /V2G tls \(TLS 1\.2 \+ 1\.3, vehicle certificate required\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const [cmd, args, option] of [
  ["evse", ["--iface", "lo", "--tls", "--test-pki", "/tmp/x", "--tls-version", "1.4"], "--tls-version"],
  ["evse", ["--iface", "lo", "--tls-version", "1.3"], "--tls-version"],
  [
    "evse",
    ["--iface", "lo", "--tls", "--tls-version", "1.3", "--tls13-cert", "a.pem", "--tls13-key", "a.key"],
    "--tls13-client-ca",
  ],
  ["evse", ["--iface", "lo", "--tls", "--tls-version", "1.3"], "--tls-version"],
  [
    "evse",
    ["--iface", "lo", "--tls", "--test-pki", "/tmp/x", "--tls13-client-cert", "maybe"],
    "--tls13-client-cert",
  ],
  ["ev", ["--iface", "lo", "--tls", "--test-pki", "/tmp/x", "--tls-version", "tls13"], "--tls-version"],
  ["ev", ["--iface", "lo", "--tls", "--test-pki", "/tmp/x", "--vehicle-cert", "v.pem"], "--vehicle-key"],
] as const) {
  test(`nacs ${cmd} ${args.join(" ")} ⇒ exit 2 naming ${option}`, () => {
    const r = spawnSync(process.execPath, ["bin/nacs.js", cmd, ...args], { encoding: "utf8" });
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(option), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });
}

for (const [cmd, args, option] of [
  ["evse", ["--no-slac"], "--iface"],
  ["evse", ["--iface", "lo", "--mode", "xx"], "--mode"],
  ["evse", ["--iface", "lo", "--protocol", "din,iso21"], "--protocol"],
  ["evse", ["--iface", "lo", "--tls"], "--tls"],
  ["evse", ["--iface", "lo", "--sessions", "-1"], "--sessions"],
  ["evse", ["--iface", "lo", "--protocol", "din", "--mode", "ac"], "--protocol"],
  ["ev", ["--iface", "lo", "--soc", "60", "--target-soc", "50"], "--target-soc"],
  ["ev", ["--iface", "lo", "--tls"], "--tls"],
  ["ev", ["--iface", "lo", "--modem", "plc"], "--modem"],
  ["ev", ["--iface", "lo", "--cp", "hw"], "--cp"],
] as const) {
  test(`nacs ${cmd} ${args.join(" ")} ⇒ exit 2 naming ${option}`, () => {
    const r = spawnSync(process.execPath, ["bin/nacs.js", cmd, ...args], { encoding: "utf8" });
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(option), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });
}

test("nacs evse --protocol iso20,iso2,din ↔ nacs ev --protocol iso20 (no SLAC): ISO 15118-20 DC session over TLS 1.3 with mutual TLS", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pki20-"));
  try {
    const tls = ["--tls", "--tls-version", "1.3", "--test-pki", dir];
    const r = await pair(["--protocol", "iso20,iso2,din", ...tls], ["--protocol", "iso20", ...tls]);
    checkPair(r, "iso20");
    assert.match(
      r.evseErr,
      /nacs evse: ready on lo: DC, iso20,iso2,din, V2G tls \(TLS 1\.3, vehicle certificate required\)/,
    );
    assert.match(r.evseErr, /TLSv1\.3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("plain TCP: nacs evse --protocol iso20,iso2,din ↔ nacs ev --protocol iso20,iso2 falls back to ISO-2 (-20 only on TLS 1.3); --iso20-without-tls allows -20", async () => {
  const plain = await pair(["--protocol", "iso20,iso2,din"], ["--protocol", "iso20,iso2"]);
  checkPair(plain, "iso2");
  const lab = await pair(
    ["--protocol", "iso20,iso2,din", "--iso20-without-tls"],
    ["--protocol", "iso20,iso2"],
  );
  checkPair(lab, "iso20");
});
