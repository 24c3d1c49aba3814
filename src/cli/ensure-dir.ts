/**
 * Create a folder and its missing parents one level at a time. Node 20's `mkdirSync(…, {recursive: true})`
 * never returns for some paths (e.g. under /proc), so the CLI walks the path itself and reports a folder it
 * cannot create as a {@link UsageError} naming the option.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "./errors.js";

/** Ensure `dir` exists (creating parents); `option` is the flag the path came from, for the error. */
export function ensureDir(dir: string, option: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  if (existsSync(d) && !statSync(d).isDirectory()) {
    throw new UsageError(`option ${option}: ${JSON.stringify(d)} is not a folder`, option);
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (err) {
      throw new UsageError(
        `option ${option}: cannot create folder ${JSON.stringify(m)}: ${(err as Error).message}`,
        option,
        { cause: err },
      );
    }
  }
}
