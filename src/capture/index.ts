/**
 * Capture reading and writing: incremental pcap/pcapng reader, link/IP/TCP parsing and stream
 * reassembly, the protocol decoder (SLAC, SDP, V2G with per-connection schema), timeline/JSON formatting,
 * the `--check` compliance report, the pcapng writer and the packet synthesizer for recording our own
 * sessions. Pure code; file streaming and TLS decryption (node:fs, node:crypto) are in `./node/`.
 */
export {
  buildCheckReport,
  type Checker,
  type CheckerOptions,
  type CheckFinding,
  type CheckReport,
  createChecker,
  type ResponseTimeStat,
  type SessionSummary,
} from "./check.js";
export {
  createSignatureChecker,
  type SignatureCheck,
  type SignatureChecker,
  type SignatureCheckOptions,
  type SignatureOutcome,
} from "./check-signatures.js";
export { formatCheckReport } from "./check-text.js";
export {
  type CaptureDecoder,
  type CaptureDecoderOptions,
  type CaptureDecoderStats,
  type CaptureEvent,
  type CaptureLayer,
  createCaptureDecoder,
  type Party,
  TCP_LINGER_S,
} from "./decoder.js";
export { CaptureError, type CaptureErrorCode } from "./errors.js";
export { keyFields, messageBody, physicalOf } from "./fields.js";
export { DIRECTION_LABELS, eventToJson, formatTimelineLine } from "./format.js";
export * from "./formats.js";
export * from "./ip.js";
export { KeyLog, keyLogTextOf } from "./keylog.js";
export { decodeLink, isSupportedLinkType, type LinkFrame } from "./link.js";
export {
  type CapturedDamage,
  type CapturedPacket,
  type CapturedSecrets,
  type CaptureInterface,
  type CaptureReader,
  type CaptureReaderStats,
  type CaptureRecord,
  createCaptureReader,
} from "./reader.js";
export * from "./synth.js";
export {
  createTcpReassembler,
  seqDiff,
  TCP_MAX_HELD_BYTES,
  type TcpReassembler,
  type TcpStreamPiece,
} from "./tcp-reassembly.js";
export type { TlsDecryptor, TlsDecryptorFactory, TlsInfo, TlsPlaintext } from "./tls-types.js";
export {
  decodeV2gPayload,
  familyOfNamespace,
  type SchemaState,
  type V2gFamily,
  type V2gSchemaName,
} from "./v2g-schema.js";
export { createV2gtpStream, type V2gtpPiece, type V2gtpStream } from "./v2gtp-stream.js";
export {
  concatAll,
  createPcapngWriter,
  encodePcap,
  type PcapngWriter,
  type PcapngWriterOptions,
} from "./writer.js";
