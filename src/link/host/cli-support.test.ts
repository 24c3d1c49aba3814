import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { beforeStderrLog, stderrLogger, testPki, testPki20 } from "./cli-support.js";

test("stderrLogger: every line is preceded by the beforeStderrLog hooks (a progress line erases itself first)", () => {
  const out: string[] = [];
  const log = stderrLogger("info", "t", { write: (s) => out.push(s) });
  const stop = beforeStderrLog(() => out.push("<erase>"));
  log.warn("one");
  log.debug("not written");
  stop();
  log.warn("two");
  assert.equal(out.length, 3);
  assert.equal(out[0], "<erase>");
  assert.match(out[1]!, /"msg":"one"/);
  assert.match(out[2]!, /"msg":"two"/);
});

test("testPki20: an older test-PKI directory (no iso20-* files) gets the -20 trees added, the -2 files untouched; the EV side names what is missing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pki-old-"));
  const empty = mkdtempSync(join(tmpdir(), "nacs-pki-none-"));
  try {
    const before = await testPki(dir, true);
    for (const f of readdirSync(dir)) if (f.startsWith("iso20-")) unlinkSync(join(dir, f));
    await assert.rejects(testPki20(dir, false), /iso20-v2g-root\.pem not found .*--tls-version 1\.3 or both/);
    const p20 = await testPki20(dir, true);
    assert.equal(readFileSync(join(dir, "v2g-root.pem"), "utf8"), before.root, "-2 root kept");
    assert.equal((await testPki(dir, false)).cert, before.cert, "-2 chain kept");
    const leaf = new X509Certificate(p20.cert);
    assert.equal(leaf.publicKey.asymmetricKeyDetails?.namedCurve, "secp521r1");
    assert.ok(leaf.checkIssued(new X509Certificate(p20.cert.slice(p20.cert.indexOf("-----END") + 26))));
    assert.match(new X509Certificate(p20.vehicleCert).subject, /DC=OEM/);
    assert.deepEqual(await testPki20(dir, false), p20, "reused, not regenerated");
    await assert.rejects(testPki20(empty, false), /not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
});
