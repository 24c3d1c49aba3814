/** Named errors of the PnC test PKI tooling (issuing, writing, reading certificates). */
import { NacsError } from "../../errors.js";

/** Why a PKI operation failed. */
export type PkiErrorCode =
  /** an identifier (eMAID, PCID, SECC ID) breaks its syntax rule */
  | "bad-identifier"
  /** the output directory already holds PKI files and overwriting was not asked for */
  | "exists"
  /** a file could not be read or written */
  | "io"
  /** a file is not a certificate or chain we can read */
  | "bad-certificate";

/** A PKI operation failed; the message names the file or field and the rule. */
export class PkiError extends NacsError<PkiErrorCode> {
  override readonly name = "PkiError";
}
