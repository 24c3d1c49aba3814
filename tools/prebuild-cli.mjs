// Transpiled copy of the sources for the `nacs` launcher (bin/nacs.js) in a source checkout.
//
// Every `nacs` child a test starts through bin/nacs.js used to load src/cli/main.ts through tsx, whose
// module hooks cost about 0.6 s per process on top of Node's own start-up. prebuildCli() writes what tsx
// would compile (esbuild: ESM, target this Node; without tsx's keepNames, see below) for every non-test .ts file
// under src/ and tools/ into node_modules/.cache/nacs-cli/, mirroring the tree (tools/ because the CLI
// imports tools/pki/make-test-pki.js for --test-pki), plus a manifest of the size and modification time of
// every input. The launcher runs that copy only while each input still has the size and time recorded
// (and the same Node version); any edit, deletion or checkout makes it fall back to tsx, so a process never
// runs code older than its sources. Files whose inputs are unchanged are not transpiled again.
//
// CLI: `node tools/prebuild-cli.mjs [ROOT]` (tools/run-tests.mjs calls prebuildCli() before the tests).

import {
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The cache directory, relative to the repository root (bin/nacs.js reads the same). */
export const PREBUILT_DIR = join("node_modules", ".cache", "nacs-cli");
/** Manifest format; bin/nacs.js runs the copy only for this version. */
export const PREBUILT_VERSION = 2;
/** Source folders transpiled (non-test .ts files). */
const SOURCE_DIRS = ["src", "tools"];
/** Inputs besides the sources: the compiler options esbuild reads. */
const EXTRA_INPUTS = ["tsconfig.json"];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function sources(root, dir, out) {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const rel = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") sources(root, rel, out);
    } else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) {
      out.push(rel);
    }
  }
  return out;
}

const statOf = (file) => {
  const s = statSync(file);
  return [s.mtimeMs, s.size];
};

/** Write `data` to `file` through a temporary file and a rename (a reader never sees half a file). */
function writeAtomic(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * Bring the transpiled copy of `root` up to date. Returns what was done: files transpiled, files reused,
 * and the milliseconds it took.
 */
export async function prebuildCli(root = ROOT) {
  const t0 = performance.now();
  const out = join(root, PREBUILT_DIR);
  // esbuild as tsx has it (tsx is a devDependency; esbuild is its dependency).
  const esbuild = createRequire(realpathSync(join(root, "node_modules", "tsx", "package.json")))("esbuild");
  let old = { files: {} };
  try {
    old = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  } catch {
    // no copy yet
  }
  const tsconfig = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8"));
  const sameBuild =
    old.version === PREBUILT_VERSION &&
    old.node === process.version &&
    EXTRA_INPUTS.every((f) => String(old.files?.[f]) === String(statOf(join(root, f))));
  if (!sameBuild) for (const d of SOURCE_DIRS) rmSync(join(out, d), { recursive: true, force: true });
  const files = {};
  for (const f of EXTRA_INPUTS) files[f] = statOf(join(root, f));
  const list = SOURCE_DIRS.flatMap((d) => sources(root, d, []));
  let transpiled = 0;
  await Promise.all(
    list.map(async (rel) => {
      const key = rel.split(sep).join("/");
      // Time first, then the content: an edit in between leaves a newer time than recorded (stale, safe).
      const st = statOf(join(root, rel));
      files[key] = st;
      if (sameBuild && String(old.files?.[key]) === String(st)) return;
      const code = readFileSync(join(root, rel), "utf8");
      const r = await esbuild.transform(code, {
        loader: "ts",
        format: "esm",
        target: `node${process.versions.node}`,
        // No keepNames (tsx sets it): a file-by-file transform renames nothing, so functions keep their
        // names anyway, and keepNames wraps every function expression in `__name(fn, "…")`, whose
        // Object.defineProperty turns each closure made on a hot path into a dictionary-mode object (V8
        // `--log-maps`: 13,000 such normalizations in an EV worker's board-line parser in 20 s).
        keepNames: false,
        sourcefile: join(root, rel),
        tsconfigRaw: { compilerOptions: tsconfig.compilerOptions ?? {} },
      });
      writeAtomic(join(out, rel.replace(/\.ts$/, ".js")), r.code);
      transpiled++;
    }),
  );
  // The copy's files are ES modules: a package scope of their own (node_modules ends Node's look-up).
  writeAtomic(join(out, "package.json"), '{ "private": true, "type": "module" }\n');
  const manifest = { version: PREBUILT_VERSION, node: process.version, files };
  writeAtomic(join(out, "manifest.json"), `${JSON.stringify(manifest)}\n`);
  return {
    transpiled,
    reused: list.length - transpiled,
    ms: performance.now() - t0,
    dir: relative(root, out),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await prebuildCli(process.argv[2] ?? ROOT);
  console.error(
    `prebuild-cli: ${r.transpiled} transpiled, ${r.reused} unchanged, ${r.ms.toFixed(0)} ms → ${r.dir}`,
  );
}
