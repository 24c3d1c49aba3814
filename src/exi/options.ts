/** Options of the generated decoders and encoders. */

/** Zero bytes after End-Document, tolerated (every Tesla DIN ContractAuthenticationReq has one). */
export interface ExiPaddingWarning {
  code: "EXI_TRAILING_ZERO_BYTES";
  message: string;
  bitOffset: number;
}

/**
 * A value outside its schema facet, kept by a tolerant decode: `path` is the field path from the decoded
 * root (`Body.CurrentDemandReq.EVRESSSOC` for `decode`, with the root element first for
 * `decodeDocument`), `value` the value as decoded, `rule` the facet broken (`maxInclusive 100`,
 * `minInclusive -3`, `maxLength 8`, `enumeration (10 values)`), `bitOffset` where its bits start when known.
 */
export interface ExiFacetWarning {
  code: "EXI_FACET";
  path: string;
  value: unknown;
  rule: string;
  message: string;
  bitOffset?: number;
}

/** A tolerated irregularity. */
export type ExiWarning = ExiPaddingWarning | ExiFacetWarning;

/** Options for `decode`/`decodeDocument`/`decodeFragment`. */
export interface DecodeOptions {
  /** Called for each tolerated irregularity (facet warnings after the padding warning, in document order). */
  onWarning?: (w: ExiWarning) => void;
  /**
   * Throw ExiDecodeError for a value outside its schema facet (EXI_VALUE for ranges and enumerations,
   * EXI_LIMIT for lengths), with no slack for strings. Default false: the value is kept and reported in the
   * decoded object's `warnings` (see `decoded.ts`).
   */
  strict?: boolean;
}

/** Options for `encode`/`encodeDocument`/`encodeFragment`. */
export interface EncodeOptions {
  /**
   * Allow strings longer than their maxLength facet (up to DECODE_MIN_STRING_LIMIT), so that messages decoded
   * from stacks that exceed a facet re-encode identically. Default false: the facet raises ExiEncodeError.
   */
  lenientLengths?: boolean;
  /**
   * Encode values outside their schema facets as long as their EXI coding can carry them (see `check.ts`).
   * Default: true when the message carries facet warnings from a tolerant decode, else false.
   */
  tolerant?: boolean;
  /**
   * Zero bytes to append after End-Document. Default: the `paddingBytes` the decoded message carries (0 for a
   * message built in code).
   */
  paddingBytes?: number;
}
