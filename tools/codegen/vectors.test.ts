/** The skip reason of tests that need the shared reference folder (sharedSkip). */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { test } from "node:test";
import { REPO_ROOT, SHARED, sharedSkip } from "./vectors.js";

test("sharedSkip: false when every path exists, else a reason naming the first missing path", () => {
  // the repository itself, reached from SHARED, exists whether or not ../shared does
  const repo = relative(SHARED, REPO_ROOT);
  assert.equal(sharedSkip(repo), false);
  assert.equal(sharedSkip(repo, join(repo, "package.json")), false);
  const reason = sharedSkip(repo, "no-such-folder-7f3a/", "vectors");
  assert.equal(
    reason,
    "needs ../shared/no-such-folder-7f3a (the shared reference folder beside the repository) — absent",
  );
});
