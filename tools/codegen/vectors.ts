/**
 * Test helper for the shared reference folder `../shared` (beside the repository): loads the EXI vectors
 * (`../shared/vectors/*.jsonl`, failing loudly when missing) and gives the skip reason of a test that needs it.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The shared reference folder beside the repository. */
export const SHARED = resolve(REPO_ROOT, "../shared");

/**
 * The `skip` option of a test that needs `relPaths` under {@link SHARED}: false when every one exists, else a
 * reason naming the first missing one. Tests that need the shared reference folder skip without it rather than
 * fail; with it they run in full, so a file missing inside a present folder still fails the test that reads it.
 */
export function sharedSkip(...relPaths: string[]): string | false {
  const missing = (relPaths.length > 0 ? relPaths : [""]).find((p) => !existsSync(join(SHARED, p)));
  if (missing === undefined) return false;
  const shown = missing === "" ? "../shared" : `../shared/${missing.replace(/\/+$/, "")}`;
  return `needs ${shown} (the shared reference folder beside the repository) — absent`;
}

/** One line of a vector file (fields per `../shared/vectors/README.md`). */
export interface Vector {
  standard: string;
  message: string;
  hex: string;
  kind?: string;
  schemaSet?: string;
  xml?: string;
  trailingZeroBytes?: boolean;
  sha256?: string;
  value?: string | null;
  datatype?: string;
  decoded?: unknown;
  [k: string]: unknown;
}

/** Read `../shared/vectors/<name>.jsonl`; throws with a clear message if the shared folder is missing. */
export function loadVectors(name: string): Vector[] {
  const file = join(SHARED, "vectors", `${name}.jsonl`);
  if (!existsSync(file))
    throw new Error(
      `EXI vectors not found: ${file} (the tests need the shared reference folder at ../shared)`,
    );
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Vector);
}

/** Hex string → bytes. */
export function fromHex(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h, "hex"));
}

/** Bytes → lower-case hex. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}
