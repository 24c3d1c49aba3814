/**
 * The launcher (bin/nacs.js) and the transpiled copy of tools/prebuild-cli.mjs, in a throwaway checkout
 * (bin/nacs.js, tsconfig.json, src/cli/main.ts importing src/cli/word.ts, node_modules/tsx linked to
 * ours): the copy runs only while every source matches the manifest, and a source edited (also to the
 * same size), deleted, or a manifest of another Node version sends the launcher back to tsx, so what runs
 * is always what the sources say now.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "nacs-prebuild-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const put = (rel: string, text: string) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
};
put("package.json", '{ "name": "nacs-prebuild-test", "type": "module" }\n');
copyFileSync(join(repo, "tsconfig.json"), join(dir, "tsconfig.json"));
put("bin/nacs.js", readFileSync(join(repo, "bin", "nacs.js"), "utf8"));
mkdirSync(join(dir, "node_modules"));
symlinkSync(join(repo, "node_modules", "tsx"), join(dir, "node_modules", "tsx"));
put(
  "src/cli/main.ts",
  'import { word } from "./word.js";\nconst n: number = 1;\nconst helper = () => n;\n' +
    "console.log(JSON.stringify({ word, n, fn: helper.name, url: import.meta.url }));\n",
);
put("src/cli/word.ts", 'export const word: string = "one";\n');
put("src/cli/word.test.ts", "throw new Error('a test file is not part of the copy');\n");

/** Run the launcher; which module ran (the copy or the source) and what it printed. */
function launch(env: Record<string, string> = {}): { from: "copy" | "source"; word: string } {
  const r = spawnSync(process.execPath, [join(dir, "bin", "nacs.js")], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { word: string; n: number; fn: string; url: string };
  assert.equal(j.n, 1);
  assert.equal(j.fn, "helper", "a function keeps its name");
  if (j.url.endsWith("/node_modules/.cache/nacs-cli/src/cli/main.js")) return { from: "copy", word: j.word };
  assert.ok(j.url.endsWith("/src/cli/main.ts"), j.url);
  return { from: "source", word: j.word };
}

function prebuild(): string {
  const r = spawnSync(process.execPath, [join(repo, "tools", "prebuild-cli.mjs"), dir], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

test("bin/nacs.js runs the transpiled copy while its sources are unchanged, else the sources through tsx", () => {
  assert.deepEqual(launch(), { from: "source", word: "one" }, "no copy yet");
  assert.match(prebuild(), /2 transpiled, 0 unchanged/);
  assert.deepEqual(launch(), { from: "copy", word: "one" });
  assert.deepEqual(launch({ NACS_PREBUILT: "0" }), { from: "source", word: "one" }, "NACS_PREBUILT=0");

  put("src/cli/word.ts", 'export const word: string = "three";\n');
  assert.deepEqual(launch(), { from: "source", word: "three" }, "an edited import");
  assert.match(prebuild(), /1 transpiled, 1 unchanged/);
  assert.deepEqual(launch(), { from: "copy", word: "three" });

  // Same size, a later time: still stale.
  put("src/cli/word.ts", 'export const word: string = "eerht";\n');
  utimesSync(join(dir, "src/cli/word.ts"), new Date(), new Date(Date.now() + 5_000));
  assert.deepEqual(launch(), { from: "source", word: "eerht" }, "an edit of the same size");
  prebuild();
  assert.deepEqual(launch(), { from: "copy", word: "eerht" });

  // A recorded source deleted (the copy still has it): not the copy.
  put("src/cli/spare.ts", "export const spare = 1;\n");
  prebuild();
  assert.equal(launch().from, "copy");
  rmSync(join(dir, "src/cli/spare.ts"));
  assert.equal(launch().from, "source", "a deleted source");
  prebuild();
  assert.equal(launch().from, "copy");

  // The copy is transpiled without keepNames: no `__name` wrapper around each function expression (whose
  // defineProperty makes every closure built on a hot path a dictionary-mode object); names stay (above).
  assert.doesNotMatch(
    readFileSync(join(dir, "node_modules/.cache/nacs-cli/src/cli/main.js"), "utf8"),
    /__name/,
  );

  // A copy made by another Node version is not used.
  const manifest = join(dir, "node_modules/.cache/nacs-cli/manifest.json");
  const m = JSON.parse(readFileSync(manifest, "utf8")) as { node: string };
  writeFileSync(manifest, JSON.stringify({ ...m, node: "v0.0.0" }));
  assert.equal(launch().from, "source", "another Node version");
});
