/**
 * Bring the CLI's transpiled copy up to date (tools/prebuild-cli.mjs). bin/nacs.js runs the copy only while
 * it is newer than every source and falls back to tsx (a slower transform, with keepNames) otherwise, so a
 * bench that starts `nacs` processes calls this first: before the benches, and before each run of a bench
 * that repeats (a source edited between runs would send the later ones through tsx).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../tools/prebuild-cli.mjs", import.meta.url));

/** Prebuild now; its line (or why it failed: the `nacs` processes then run through tsx) on stderr. */
export function prebuildCopy(): void {
  const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
  process.stderr.write(
    r.status === 0 ? r.stderr : `prebuild-cli failed, nacs runs through tsx: ${r.stderr}\n`,
  );
}
