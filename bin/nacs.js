#!/usr/bin/env node
// Launcher. In a published package: runs dist/. In a source checkout: runs src/cli/main.ts, from the
// transpiled copy that tools/prebuild-cli.mjs keeps in node_modules/.cache/nacs-cli/ while every source it
// was made from still has the size and modification time its manifest records (and Node is the same
// version), else through tsx. So a changed, added-and-imported or deleted source always runs as it is now;
// the copy only saves tsx's start-up. NACS_PREBUILT=0 always uses tsx.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src", "cli", "main.ts");

/** The transpiled main module when the copy matches every recorded source, else null. */
function freshPrebuilt() {
  if (process.env.NACS_PREBUILT === "0") return null;
  const dir = join(root, "node_modules", ".cache", "nacs-cli");
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  } catch {
    return null;
  }
  if (manifest.version !== 2 || manifest.node !== process.version) return null;
  const files = manifest.files ?? {};
  if (!files["src/cli/main.ts"]) return null;
  for (const [rel, [mtimeMs, size]] of Object.entries(files)) {
    let s;
    try {
      s = statSync(join(root, rel));
    } catch {
      return null;
    }
    if (s.mtimeMs !== mtimeMs || s.size !== size) return null;
  }
  return join(dir, "src", "cli", "main.js");
}

if (existsSync(source)) {
  const prebuilt = freshPrebuilt();
  if (prebuilt) {
    await import(pathToFileURL(prebuilt).href);
  } else {
    const { register } = await import("tsx/esm/api");
    register();
    await import(pathToFileURL(source).href);
  }
} else {
  await import(pathToFileURL(join(root, "dist", "cli", "main.js")).href);
}
