/**
 * The ISO 15118-20 Plug & Charge test PKI: the same V2G (CPO, CPS), MO and OEM trees as the ISO-2 one
 * (profiles.ts), with secp521r1 keys and ecdsa-with-SHA512 signatures ([V2G20-2674]), written beside it in
 * `DIR/iso20/` under the same file names (`nacs pki init DIR --iso20`); the ISO-2 files of DIR are untouched.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PkiError } from "./errors.js";
import { PNC_MANIFEST_FILE, type PncManifest, writePncPki } from "./files.js";
import { issuePncPki, type PncPki, type PncPkiOptions } from "./issuer.js";
import { loadPncMaterial, type PncMaterial } from "./material.js";

/** Sub-directory of a `nacs pki init` DIR that holds the ISO 15118-20 (P-521) set. */
export const PNC20_DIR = "iso20";

/** The directory of the -20 set of a PKI directory. */
export const pnc20Dir = (dir: string) => join(dir, PNC20_DIR);

/** Issue the -20 trees: P-521 keys, ecdsa-with-SHA512. */
export function issuePnc20Pki(opts: Omit<PncPkiOptions, "curve"> = {}): Promise<PncPki> {
  return issuePncPki({ ...opts, curve: "P-521" });
}

/** Write an issued -20 PKI into `DIR/iso20` (same rules as {@link writePncPki}). */
export function writePnc20Pki(
  dir: string,
  pki: PncPki,
  opts: { force?: boolean; now?: Date } = {},
): Promise<PncManifest> {
  return writePncPki(pnc20Dir(dir), pki, opts);
}

/** True when DIR holds a -20 set (its manifest). */
export function hasPnc20(dir: string): boolean {
  return existsSync(join(pnc20Dir(dir), PNC_MANIFEST_FILE));
}

/**
 * The -20 material of a PKI directory (MO and V2G roots, contract chain, the contract's 66-byte P-521 scalar).
 * Throws PkiError "io" naming the directory and the command that makes it when DIR has no -20 set.
 */
export async function loadPnc20Material(dir: string): Promise<PncMaterial> {
  if (!hasPnc20(dir))
    throw new PkiError(
      "io",
      `${pnc20Dir(dir)}: no ISO 15118-20 Plug & Charge material (make it with: nacs pki init ${dir} --iso20)`,
    );
  return loadPncMaterial(pnc20Dir(dir));
}
