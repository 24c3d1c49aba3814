/** The named error of XMLDSig over EXI (the ISO 15118-2 signature profile, W3C XMLDSig + Canonical EXI). */
import { NacsError } from "../../errors.js";

/**
 * Codes: `SIG_MISSING` no Header/Signature; `SIG_PROFILE` an algorithm or element the profile does not allow
 * ([V2G2-771], [V2G2-909]); `SIG_REFERENCE` a Reference that resolves to no element, or a signed element
 * without its Reference; `SIG_DIGEST` a DigestValue that does not match the element's EXI fragment;
 * `SIG_VALUE` the ECDSA signature over SignedInfo does not verify; `SIG_KEY` an unusable key or certificate.
 */
export type XmlDsigErrorCode =
  | "SIG_MISSING"
  | "SIG_PROFILE"
  | "SIG_REFERENCE"
  | "SIG_DIGEST"
  | "SIG_VALUE"
  | "SIG_KEY";

/** A signature that does not verify, or cannot be made. `reference` is the `URI` concerned, if any. */
export class XmlDsigError extends NacsError<XmlDsigErrorCode> {
  override readonly name = "XmlDsigError";
  readonly reference?: string;
  constructor(code: XmlDsigErrorCode, message: string, options?: { cause?: unknown; reference?: string }) {
    super(code, message, options);
    if (options?.reference !== undefined) this.reference = options.reference;
  }
}
