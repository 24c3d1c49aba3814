/** `npm run codegen` output is committed: regenerate into a temp folder and require no difference. */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generate } from "./main.js";
import { REPO_ROOT, SHARED, sharedSkip } from "./vectors.js";

test(
  "generated codecs in src/codecs are up to date with the generator and the XSDs",
  { skip: sharedSkip("schemas") },
  () => {
    const schemas = join(SHARED, "schemas");
    assert.ok(
      existsSync(schemas),
      `XSDs not found at ${schemas} (the test needs the shared reference folder at ../shared)`,
    );
    const tmp = mkdtempSync(join(tmpdir(), "nacs-codegen-"));
    try {
      const files = generate(schemas, tmp);
      assert.ok(files.length >= 32);
      const differ: string[] = [];
      for (const f of files) {
        const committed = join(REPO_ROOT, "src/codecs", f);
        if (!existsSync(committed) || readFileSync(committed, "utf8") !== readFileSync(join(tmp, f), "utf8"))
          differ.push(f);
      }
      assert.deepEqual(differ, [], "run `npm run codegen` and commit the result");
      for (const f of files) assert.match(readFileSync(join(tmp, f), "utf8"), /@generated/);
      // never an .xsd in the output
      const walk = (d: string): string[] =>
        readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(d, e.name)) : [e.name],
        );
      assert.deepEqual(
        walk(join(REPO_ROOT, "src/codecs")).filter((n) => n.endsWith(".xsd")),
        [],
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
);
