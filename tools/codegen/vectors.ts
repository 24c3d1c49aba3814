/** Test helper: loads the shared EXI vectors (`../shared/vectors/*.jsonl`) and fails loudly when missing. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The shared reference folder beside the repository. */
export const SHARED = resolve(REPO_ROOT, "../shared");

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
