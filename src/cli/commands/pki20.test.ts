/**
 * `nacs pki init DIR --iso20`: the ISO-2 files of DIR as before plus the ISO 15118-20 set (P-521) in DIR/iso20,
 * reported in the text and under `iso20` in `--json`; existing -20 files are kept unless `--force` (the refusal
 * names `--force`, and nothing is written).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UsageError } from "../errors.js";
import { runPkiInit } from "./pki.js";

test("nacs pki init DIR --iso20 writes DIR/iso20 beside the ISO-2 set; --json reports it; a rerun needs --force", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pki20-cli-"));
  try {
    const out = JSON.parse(await runPkiInit(dir, { iso20: true, json: true })) as {
      dir: string;
      files: Record<string, { kind: string; algorithm?: string }>;
      iso20?: { dir: string; files: Record<string, { kind: string; algorithm?: string }> };
    };
    assert.equal(out.files["contract-leaf.key.pem"]?.algorithm, "EC P-256");
    assert.equal(out.iso20?.dir, join(dir, "iso20"));
    assert.equal(out.iso20?.files["contract-leaf.key.pem"]?.algorithm, "EC P-521");
    assert.ok(existsSync(join(dir, "iso20", "contract-leaf.chain.pem")));
    assert.match(readFileSync(join(dir, "iso20", "manifest.json"), "utf8"), /EC P-521/);
    const before = statSync(join(dir, "iso20", "mo-root.pem")).mtimeMs;
    await assert.rejects(
      runPkiInit(dir, { iso20: true }),
      (e: unknown) => e instanceof UsageError && /--force/.test(e.message),
    );
    assert.equal(statSync(join(dir, "iso20", "mo-root.pem")).mtimeMs, before, "nothing rewritten");
    const text = await runPkiInit(dir, { iso20: true, force: true });
    assert.match(text, /ISO 15118-20 set \(P-521, ecdsa-with-SHA512\) written to .*iso20/);
    // without --iso20: no -20 set
    const plain = mkdtempSync(join(tmpdir(), "nacs-pki20-cli-"));
    try {
      const j = JSON.parse(await runPkiInit(plain, { json: true })) as { iso20?: unknown };
      assert.equal(j.iso20, undefined);
      assert.equal(existsSync(join(plain, "iso20")), false);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
