/**
 * Explicit resource limits of the EXI runtime. Schema facets (maxLength, integer ranges, enumerations) are
 * checked by the generated codecs — a tolerant decode keeps a value outside its facet with a warning, a strict
 * one throws; these defaults apply where the schema is unbounded and are hard limits for tolerant decodes.
 */

/**
 * Largest EXI stream the decoder accepts, in bytes. V2GTP allows up to 2^32-1, but the largest V2G
 * messages (ISO 15118-20 CertificateInstallationRes with a full chain) are a few KB. Project default.
 */
export const MAX_EXI_MESSAGE_BYTES = 65536;

/** Default maximum length (characters) of a string whose schema type has no maxLength facet. Project default. */
export const DEFAULT_MAX_STRING_LENGTH = 65536;

/** Default maximum length (bytes) of hexBinary/base64Binary values without a maxLength facet. Project default. */
export const DEFAULT_MAX_BINARY_LENGTH = 65536;

/** Default maximum number of items of an element particle with maxOccurs="unbounded". Project default. */
export const DEFAULT_MAX_OCCURS = 4096;

/** EXI header byte used by DIN 70121, ISO 15118-2 and -20: `10` distinguishing bits, no options, version 1 (W3C EXI 1.0 §5; cbv2g checks exactly 0x80). */
export const EXI_HEADER_BYTE = 0x80;

/**
 * Encoders with `lenientLengths` accept strings up to max(maxLength facet, this) characters: real stacks exceed
 * small facets (an 18-character eMAID "DE-VAN-C00000001-6" against eMAIDType maxLength 15 in an EVerest/Josev
 * ISO-2 interop run). Decoders keep any string up to DEFAULT_MAX_STRING_LENGTH with a facet warning (strict
 * decoding refuses it). Project default.
 */
export const DECODE_MIN_STRING_LIMIT = 64;
