import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ensureDir } from "./ensure-dir.js";
import { UsageError } from "./errors.js";

test("ensureDir creates missing parents and accepts an existing folder", () => {
  const base = mkdtempSync(join(tmpdir(), "nacs-dir-"));
  const deep = join(base, "a", "b", "c");
  ensureDir(deep, "--out-dir");
  assert.ok(existsSync(deep));
  ensureDir(deep, "--out-dir");
});

test("ensureDir names the option when the path cannot be a folder, and returns (no hang) under /proc", () => {
  const base = mkdtempSync(join(tmpdir(), "nacs-dir-"));
  const file = join(base, "f");
  writeFileSync(file, "x");
  assert.throws(
    () => ensureDir(join(file, "sub"), "--pcap"),
    (e: unknown) => e instanceof UsageError && /--pcap/.test(e.message),
  );
  assert.throws(
    () => ensureDir("/proc/nacs-test/x", "--out-dir"),
    (e: unknown) => e instanceof UsageError && /--out-dir/.test(e.message),
  );
});
