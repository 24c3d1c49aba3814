import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PkiError } from "../../link/pki/index.js";
import { EXIT_USAGE, UsageError } from "../errors.js";
import { runPkiInit, runPkiShow } from "./pki.js";

const nacs = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/nacs.js", "pki", ...args], { encoding: "utf8" });

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), "nacs-cli-pki-"));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe("nacs pki", () => {
  test("init --json writes every certificate, key and chain with a manifest that matches the files", () => {
    const dir = join(root, "pki");
    const r = nacs("init", dir, "--emaid", "DEABCC12345678", "--pcid", "WVW12345678901234", "--json");
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    assert.deepEqual(out.files, manifest.files);
    assert.deepEqual(manifest.identifiers, {
      emaid: "DEABCC12345678",
      pcid: "WVW12345678901234",
      seccId: "DE-NAC-S-00000000000000000000000000000001-0",
    });
    const entries = Object.entries(manifest.files) as [string, Record<string, unknown>][];
    assert.equal(entries.filter(([, e]) => e.kind === "certificate").length, 15);
    assert.equal(entries.filter(([, e]) => e.kind === "private-key").length, 15);
    assert.equal(entries.filter(([, e]) => e.kind === "chain").length, 4);
    for (const [file, e] of entries) {
      assert.ok(existsSync(join(dir, file)), file);
      if (e.kind !== "certificate") continue;
      const c = new X509Certificate(readFileSync(join(dir, file)));
      assert.equal(e.sha256, createHash("sha256").update(c.raw).digest("hex"), `${file} fingerprint`);
      assert.equal(BigInt(`0x${e.serial}`), BigInt(`0x${c.serialNumber}`), `${file} serial`);
      assert.equal(Date.parse(e.notAfter as string), Date.parse(c.validTo), `${file} notAfter`);
      assert.match(
        e.subject as string,
        /^O=nacs Test-PKI, CN=.+, DC=(V2G|CPO|CPS|MO|OEM)$/,
        `${file} subject`,
      );
    }
    assert.match(manifest.files["contract-leaf.pem"].subject, /CN=DEABCC12345678,/);
    assert.deepEqual(manifest.files["secc-leaf.chain.pem"], {
      kind: "chain",
      role: "secc-leaf",
      certificates: ["secc-leaf", "cpo-sub-ca-2", "cpo-sub-ca-1"],
      trustAnchor: "v2g-root",
    });

    // show: the chain file verifies link by link; JSON and text
    const shown = nacs("show", join(dir, "secc-leaf.chain.pem"), "--json");
    assert.equal(shown.status, 0, shown.stderr);
    const j = JSON.parse(shown.stdout);
    assert.equal(j.certificates.length, 3);
    assert.deepEqual(
      j.chain.map(
        (l: { signedByNext: boolean; issuerMatches: boolean }) => l.signedByNext && l.issuerMatches,
      ),
      [true, true],
    );
    assert.equal(j.certificates[0].sha256, manifest.files["secc-leaf.pem"].sha256);
    assert.deepEqual(j.certificates[2].basicConstraints, { critical: true, ca: true, pathLen: 1 });

    // a second init without --force is refused (exit 2, names the flag); with --force it is replaced
    const again = nacs("init", dir);
    assert.equal(again.status, EXIT_USAGE);
    assert.match(again.stderr, /^nacs: .*already holds .*pass --force to overwrite\n$/);
    assert.equal(readFileSync(join(dir, "manifest.json"), "utf8"), `${JSON.stringify(manifest, null, 2)}\n`);
  });

  test("init --force replaces the files; refusal and bad identifiers are UsageErrors naming the flag", async () => {
    const dir = join(root, "force");
    await runPkiInit(dir, {});
    const before = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    await assert.rejects(
      runPkiInit(dir, {}),
      (e: unknown) => e instanceof UsageError && e.option === "--force",
    );
    const text = await runPkiInit(dir, { force: true });
    assert.match(text, /^PnC test PKI written to /);
    assert.match(text, /openssl verify -CAfile .*v2g-root\.pem -untrusted .*secc-leaf\.chain\.pem/);
    const afterForce = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    assert.notEqual(afterForce.files["v2g-root.pem"].sha256, before.files["v2g-root.pem"].sha256);
    for (const [opts, flag] of [
      [{ emaid: "nope" }, "--emaid"],
      [{ pcid: "nope" }, "--pcid"],
      [{ seccId: "" }, "--secc-id"],
    ] as const)
      await assert.rejects(
        runPkiInit(join(root, "never"), opts),
        (e: unknown) =>
          e instanceof UsageError && e.option === flag && e.message.startsWith(`option ${flag} `),
      );
    assert.equal(existsSync(join(root, "never")), false);
  });

  test("show prints validity words (expired, not yet valid), extensions and the chain verdict", async () => {
    const dir = join(root, "show");
    await runPkiInit(dir, {});
    const leaf = join(dir, "cps-leaf.pem");
    const text = await runPkiShow(leaf, {});
    assert.match(text, /^certificate\n/);
    assert.match(text, /validity\s+\S+ → \S+ \(valid\)/);
    assert.match(text, /public key\s+EC P-256/);
    assert.match(text, /basic constraints\s+critical, not a CA/);
    assert.match(text, /key usage\s+critical: digitalSignature$/m);
    assert.match(text, /ext\. key usage\s+absent/);
    assert.match(text, /subject key id\s+[0-9a-f]{40}/);
    assert.match(text, /authority key id\s+[0-9a-f]{40}/);
    assert.match(text, /subject alt names\s+absent/);
    const later = await runPkiShow(leaf, {}, new Date(Date.now() + 91 * 86_400_000));
    assert.match(later, /\(EXPIRED\)/);
    const earlier = await runPkiShow(leaf, {}, new Date(Date.now() - 86_400_000));
    assert.match(earlier, /\(NOT YET VALID\)/);
    // a chain with the wrong order is reported, not thrown
    const pem = (n: string) => readFileSync(join(dir, n), "utf8");
    writeFileSync(
      join(dir, "wrong.pem"),
      pem("cps-leaf.pem") + pem("cps-sub-ca-1.pem") + pem("v2g-root.pem"),
    );
    const wrong = await runPkiShow(join(dir, "wrong.pem"), {});
    assert.match(wrong, /1 → 2: BROKEN, issuer name differs from the next subject/);
    assert.match(wrong, /2 → 3: ok, signed by the next/);
    assert.match(wrong, /last certificate is self-signed \(a root\)/);
    // DER input
    const der = new X509Certificate(pem("v2g-root.pem")).raw;
    writeFileSync(join(dir, "root.der"), der);
    assert.match(await runPkiShow(join(dir, "root.der"), {}), /basic constraints\s+critical, CA, no pathLen/);
    await assert.rejects(
      runPkiShow(join(dir, "missing.pem"), {}),
      (e: unknown) =>
        e instanceof PkiError && e.code === "io" && /missing\.pem: cannot read \(ENOENT\)/.test(e.message),
    );
  });

  test("show on a file that is not a certificate: one line naming the file, exit 1, no stack trace", () => {
    const bad = join(root, "garbage.pem");
    writeFileSync(bad, "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n");
    const r = nacs("show", bad);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^nacs: PkiError bad-certificate: .*garbage\.pem: certificate 1: not a DER X\.509 certificate/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1);
  });
});
