/** Options of the generated decoders. */

/** A tolerated irregularity, e.g. zero bytes after End-Document (every Tesla DIN ContractAuthenticationReq). */
export interface ExiWarning {
  code: "EXI_TRAILING_ZERO_BYTES";
  message: string;
  bitOffset: number;
}

/** Options for `decode`/`decodeDocument`/`decodeFragment`. */
export interface DecodeOptions {
  /** Called for each tolerated irregularity. */
  onWarning?: (w: ExiWarning) => void;
}

/** Options for `encode`/`encodeDocument`/`encodeFragment`. */
export interface EncodeOptions {
  /**
   * Allow strings longer than their maxLength facet (up to DECODE_MIN_STRING_LIMIT), so that messages decoded
   * from stacks that exceed a facet re-encode identically. Default false: the facet raises ExiEncodeError.
   */
  lenientLengths?: boolean;
}
