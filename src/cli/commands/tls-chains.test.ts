/**
 * Live on [::1]: `nacs evse --tls --secc-chain A --secc-chain B` (two `nacs pki init` PKIs, one V2G root
 * each) picks its chain by the ClientHello's trusted_ca_keys and staples the leaf's OCSP response;
 * `nacs ev --tls --ocsp require|prefer` checks it. `nacs pki init`/`nacs pki ocsp` write responses that
 * `openssl ocsp` accepts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { nodeClientHello, sendHello, withTrustedCaKeys } from "../../link/tls-test-support.js";
import { type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

let root: string;
let a: string;
let b: string;
const nacs = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/nacs.js", ...args], { encoding: "utf8" });

before(() => {
  root = mkdtempSync(join(tmpdir(), "nacs-tls-chains-"));
  a = join(root, "a");
  b = join(root, "b");
  for (const [dir, id] of [
    [a, "DE-NAC-S-0000000000000000000000000000000A-0"],
    [b, "DE-NAC-S-0000000000000000000000000000000B-0"],
  ] as const) {
    const r = nacs("pki", "init", dir, "--secc-id", id);
    assert.equal(r.status, 0, r.stderr);
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

const sdpPort = () => String(20000 + Math.floor(Math.random() * 12000));
const der = (file: string) => new Uint8Array(new X509Certificate(readFileSync(file)).raw);

/** Start `nacs evse` (1 session, info log) with `extra`; returns it, its V2G port and the `nacs ev` common flags. */
async function evse(extra: string[]) {
  const dir = mkdtempSync(join(root, "run-"));
  const common = ["--iface", "lo", "--no-slac", "--json", "--sdp-port", sdpPort(), "--time-scale", "300"];
  common.push("--board", `sim:${join(dir, "world.sock")}`);
  const p = spawnNacs(["evse", ...common, "--sessions", "1", "--log-level", "info", ...extra]);
  const m = await waitForStderr(p, /V2G tls \(TLS 1\.2\) on \[::1\]:(\d+)/, 20_000);
  return { p, port: Number(m[1]), common };
}

function stop(...ps: NacsProc[]): void {
  for (const p of ps) p.child.kill();
}

test("nacs pki init writes the SECC leaf's OCSP response; openssl ocsp verifies it; nacs pki ocsp re-issues it", (t) => {
  const m = JSON.parse(readFileSync(join(a, "manifest.json"), "utf8"));
  assert.equal(m.files["secc-leaf.ocsp.der"].kind, "ocsp-response");
  assert.equal(m.files["secc-leaf.ocsp.der"].status, "good");
  assert.equal(
    Date.parse(m.files["secc-leaf.ocsp.der"].nextUpdate) -
      Date.parse(m.files["secc-leaf.ocsp.der"].thisUpdate),
    7 * 86_400_000,
  );
  const out = join(root, "revoked.der");
  const r = nacs("pki", "ocsp", a, "--status", "revoked", "--out", out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /revoked, signed by CPO Sub-CA 2/);
  const bad = nacs("pki", "ocsp", a, "--status", "fine");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--status/);
  if (spawnSync("openssl", ["version"]).status !== 0) return t.skip("openssl is not installed");
  const check = (resp: string) =>
    spawnSync(
      "openssl",
      [
        ...[
          "ocsp",
          "-respin",
          resp,
          "-issuer",
          join(a, "cpo-sub-ca-2.pem"),
          "-cert",
          join(a, "secc-leaf.pem"),
        ],
        ...["-CAfile", join(a, "v2g-root.pem"), "-verify_other", join(a, "secc-leaf.chain.pem")],
      ],
      { encoding: "utf8" },
    );
  const good = check(join(a, "secc-leaf.ocsp.der"));
  assert.match(good.stderr, /Response verify OK/);
  assert.match(good.stdout, /secc-leaf\.pem: good/);
  assert.match(check(out).stdout, /secc-leaf\.pem: revoked/);
});

test("nacs evse --secc-chain A --secc-chain B: trusted_ca_keys naming B's root gets B's chain (logged); nacs ev --ocsp require charges on A with the staple checked good", async () => {
  const s = await evse(["--tls", "--secc-chain", a, "--secc-chain", b]);
  let ev: NacsProc | undefined;
  try {
    const hello = await nodeClientHello();
    const rootB = new Uint8Array(
      createHash("sha1")
        .update(der(join(b, "v2g-root.pem")))
        .digest(),
    );
    const leaf = await sendHello(s.port, withTrustedCaKeys(hello, [{ kind: "cert_sha1_hash", sha1: rootB }]));
    assert.deepEqual(leaf, der(join(b, "secc-leaf.pem")));
    await waitForStderr(
      s.p,
      /trusted_ca_keys entry 0 \(cert_sha1_hash\) names root .*: chain 1 \(\[V2G2-871\]\)/,
      5000,
    );
    ev = spawnNacs([
      ...["ev", ...s.common, "--soc", "50", "--target-soc", "51", "--log-level", "info"],
      ...["--tls", "--trust", join(a, "v2g-root.pem"), "--ocsp", "require"],
    ]);
    const [evCode, evseCode] = await Promise.all([ev.exit, s.p.exit]);
    assert.equal(evCode, 0, ev.err);
    assert.equal(evseCode, 0, s.p.err);
    assert.match(ev.err, /OCSP staple for the SECC leaf checked: good until/);
    assert.equal(JSON.parse(ev.out).stopReason, "target SOC reached");
  } finally {
    stop(s.p, ...(ev ? [ev] : []));
  }
});

test("nacs ev --ocsp require/prefer: a revoked staple and a missing one abort naming the rule ([V2G2-873])", async () => {
  const revoked = nacs("pki", "ocsp", b, "--status", "revoked");
  assert.equal(revoked.status, 0, revoked.stderr);
  const cases = [
    // B's chain alone, revoked staple; "prefer" refuses a bad staple too
    { evse: ["--tls", "--secc-chain", b], ocsp: "prefer", re: /certStatus revoked at .*\(\[V2G2-873\]\)/ },
    // --cert/--key without --ocsp-staple: nothing stapled
    {
      evse: ["--tls", "--cert", join(a, "secc-leaf.chain.pem"), "--key", join(a, "secc-leaf.key.pem")],
      ocsp: "require",
      re: /the SECC stapled no OCSP response .*\[V2G2-873\]/,
      trust: a,
    },
  ];
  for (const c of cases) {
    const s = await evse(c.evse);
    const ev = spawnNacs([
      ...["ev", ...s.common, "--soc", "50", "--target-soc", "51"],
      ...["--tls", "--trust", join(c.trust ?? b, "v2g-root.pem"), "--ocsp", c.ocsp],
    ]);
    try {
      await waitForStderr(ev, c.re, 20_000);
    } finally {
      stop(s.p, ev);
    }
  }
});

for (const [cmd, args, option, rule] of [
  ["ev", ["--iface", "lo", "--ocsp", "require"], "--ocsp", /--ocsp needs --tls/],
  [
    "ev",
    ["--iface", "lo", "--tls", "--test-pki", "/tmp/x", "--ocsp", "always"],
    "--ocsp",
    /must be require, prefer or off/,
  ],
  ["evse", ["--iface", "lo", "--secc-chain", "/tmp/x"], "--secc-chain", /--secc-chain needs --tls/],
  [
    "evse",
    ["--iface", "lo", "--no-slac", "--tls", "--secc-chain", "/nonexistent-nacs-dir"],
    "--secc-chain",
    /holds neither secc-leaf\.chain\.pem/,
  ],
] as const) {
  test(`nacs ${cmd} ${args.join(" ")} ⇒ exit 2 naming ${option} and the rule`, () => {
    const r = nacs(cmd, ...args);
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(`option ${option}`), r.stderr);
    assert.match(r.stderr, rule);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });
}
