/**
 * V2GTP (V2G Transfer Protocol) header: version 0x01, inverse version 0xFE, payload type (big-endian
 * uint16), payload length (big-endian uint32), then the payload. ISO 15118-2 §7.8.3, DIN SPEC 70121
 * §8.7.3, ISO 15118-20 payload types as in EcoG-io/iso15118 (v2gtp.py, enums.py) and HotWire's tests.
 */

/** Protocol version byte. ISO 15118-2 §7.8.3; EcoG-io/iso15118 (v2gtp.py). */
import { NacsError } from "../errors.js";

export const V2GTP_VERSION = 0x01;
/** Inverse protocol version byte (version XOR 0xFF). ISO 15118-2 §7.8.3; EcoG-io/iso15118 (v2gtp.py). */
export const V2GTP_INVERSE_VERSION = 0xfe;
/** Header length in bytes. ISO 15118-2 §7.8.3, DIN 70121 §8.7.3. */
export const V2GTP_HEADER_LENGTH = 8;
/**
 * Default maximum accepted payload length (64 KiB). No normative cap is known (unconfirmed;
 * EcoG-io/iso15118 reads ≤ 7000 B per segment, EVerest EvseV2G buffers 8192 B); 64 KiB leaves room for
 * ISO 15118-2 PnC certificate chains and bounds memory per connection. Configurable per receiver.
 */
export const V2GTP_DEFAULT_MAX_PAYLOAD = 64 * 1024;
/** Largest length the 32-bit length field can carry. ISO 15118-2 §7.8.3. */
export const V2GTP_MAX_LENGTH_FIELD = 0xffffffff;

/** V2GTP payload types. ISO 15118-2 §7.8.3; -20 values as in EcoG-io/iso15118 (enums.py). */
export const V2gtpPayloadType = {
  /** DIN 70121 / ISO 15118-2 EXI-encoded V2G message; ISO 15118-20 SAP (supportedAppProtocol). */
  exi: 0x8001,
  /** ISO 15118-20 SAP — same value as {@link V2gtpPayloadType.exi}. */
  sap20: 0x8001,
  /** ISO 15118-20 mainstream (common) messages. */
  mainstream20: 0x8002,
  /** ISO 15118-20 AC messages. */
  ac20: 0x8003,
  /** ISO 15118-20 DC messages. */
  dc20: 0x8004,
  /** ISO 15118-20 ACDP messages. */
  acdp20: 0x8005,
  /** ISO 15118-20 WPT messages. */
  wpt20: 0x8006,
  /** ISO 15118-20 schedule renegotiation. */
  scheduleRenegotiation20: 0x8101,
  /** ISO 15118-20 metering confirmation. */
  meteringConfirmation20: 0x8102,
  /** ISO 15118-20 ACDP system status. */
  acdpSystemStatus20: 0x8103,
  /** ISO 15118-20 parking status. */
  parkingStatus20: 0x8104,
  /** SDP request. */
  sdpRequest: 0x9000,
  /** SDP response. */
  sdpResponse: 0x9001,
  /** ISO 15118-20 SDP request, wireless variant. */
  sdpRequestWireless20: 0x9002,
  /** ISO 15118-20 SDP response, wireless variant. */
  sdpResponseWireless20: 0x9003,
} as const;

/** First manufacturer-specific payload type (0xA000–0xFFFF). EcoG-io/iso15118 (enums.py). */
export const V2GTP_MANUFACTURER_PAYLOAD_TYPE_MIN = 0xa000;

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(V2gtpPayloadType));

/** True for the payload types listed above and the manufacturer-specific range 0xA000–0xFFFF. */
export function isKnownPayloadType(t: number): boolean {
  return KNOWN_TYPES.has(t) || (t >= V2GTP_MANUFACTURER_PAYLOAD_TYPE_MIN && t <= 0xffff);
}

/** Reasons a V2GTP/SDP message is rejected; a TCP receiver closes the connection and logs the code. */
export type V2gtpErrorCode =
  | "truncated"
  | "bad-version"
  | "bad-inverse-version"
  | "unknown-payload-type"
  | "too-long"
  | "length-mismatch"
  | "wrong-payload-type"
  | "bad-field"
  | "bad-address"
  | "bad-option";

/** The named error of `src/v2g` wire codecs: `code` says why, the message names the field and the rule. */
export class V2gtpError extends NacsError<V2gtpErrorCode> {
  override readonly name = "V2gtpError";
}

/** A decoded V2GTP header. */
export interface V2gtpHeader {
  payloadType: number;
  payloadLength: number;
}

/** A complete V2GTP message. */
export interface V2gtpMessage {
  payloadType: number;
  payload: Uint8Array;
}

/** Receiver options. */
export interface V2gtpDecodeOptions {
  /** Largest accepted payload length; default {@link V2GTP_DEFAULT_MAX_PAYLOAD}. */
  maxPayload?: number;
  /** Accept payload types outside {@link isKnownPayloadType} (default false: "unknown-payload-type"). */
  allowUnknownPayloadTypes?: boolean;
}

/** Validates and returns the maxPayload option. */
export function resolveMaxPayload(opts?: V2gtpDecodeOptions): number {
  const m = opts?.maxPayload ?? V2GTP_DEFAULT_MAX_PAYLOAD;
  if (!Number.isInteger(m) || m < 0 || m > V2GTP_MAX_LENGTH_FIELD) {
    throw new V2gtpError("bad-option", `maxPayload: ${m}, must be an integer 0..${V2GTP_MAX_LENGTH_FIELD}`);
  }
  return m;
}

function hex(v: number, w: number): string {
  return `0x${v.toString(16).padStart(w, "0")}`;
}

/**
 * Validate and decode the 8-byte header at `offset`. Throws {@link V2gtpError} ("truncated",
 * "bad-version", "bad-inverse-version", "unknown-payload-type", "too-long").
 */
export function decodeV2gtpHeader(bytes: Uint8Array, offset = 0, opts?: V2gtpDecodeOptions): V2gtpHeader {
  const maxPayload = resolveMaxPayload(opts);
  if (bytes.length - offset < V2GTP_HEADER_LENGTH) {
    throw new V2gtpError(
      "truncated",
      `v2gtp header: ${bytes.length - offset} bytes, needs ${V2GTP_HEADER_LENGTH}`,
    );
  }
  const v = bytes[offset]!;
  const iv = bytes[offset + 1]!;
  if (v !== V2GTP_VERSION) {
    throw new V2gtpError(
      "bad-version",
      `v2gtp protocol version: ${hex(v, 2)}, must be ${hex(V2GTP_VERSION, 2)}`,
    );
  }
  if (iv !== V2GTP_INVERSE_VERSION) {
    throw new V2gtpError(
      "bad-inverse-version",
      `v2gtp inverse protocol version: ${hex(iv, 2)}, must be ${hex(V2GTP_INVERSE_VERSION, 2)}`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, V2GTP_HEADER_LENGTH);
  const payloadType = dv.getUint16(2);
  const payloadLength = dv.getUint32(4);
  if (!opts?.allowUnknownPayloadTypes && !isKnownPayloadType(payloadType)) {
    throw new V2gtpError(
      "unknown-payload-type",
      `v2gtp payload type: ${hex(payloadType, 4)}, must be a DIN/ISO-2/ISO-20 type or 0xa000..0xffff`,
    );
  }
  if (payloadLength > maxPayload) {
    throw new V2gtpError(
      "too-long",
      `v2gtp payload length: ${payloadLength}, must be ≤ ${maxPayload} (maxPayload)`,
    );
  }
  return { payloadType, payloadLength };
}

/** Write a header into `out` at `offset`. Throws {@link V2gtpError} "bad-field" for out-of-range values. */
export function writeV2gtpHeader(
  out: Uint8Array,
  offset: number,
  payloadType: number,
  payloadLength: number,
): void {
  if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 0xffff) {
    throw new V2gtpError("bad-field", `payloadType: ${payloadType}, must be an integer 0..0xffff`);
  }
  if (!Number.isInteger(payloadLength) || payloadLength < 0 || payloadLength > V2GTP_MAX_LENGTH_FIELD) {
    throw new V2gtpError(
      "bad-field",
      `payloadLength: ${payloadLength}, must be an integer 0..${V2GTP_MAX_LENGTH_FIELD}`,
    );
  }
  const dv = new DataView(out.buffer, out.byteOffset + offset, V2GTP_HEADER_LENGTH);
  dv.setUint8(0, V2GTP_VERSION);
  dv.setUint8(1, V2GTP_INVERSE_VERSION);
  dv.setUint16(2, payloadType);
  dv.setUint32(4, payloadLength);
}

/** Encode an 8-byte V2GTP header. */
export function encodeV2gtpHeader(payloadType: number, payloadLength: number): Uint8Array {
  const out = new Uint8Array(V2GTP_HEADER_LENGTH);
  writeV2gtpHeader(out, 0, payloadType, payloadLength);
  return out;
}

/** Encode header + payload into one buffer (one copy of the payload). */
export function encodeV2gtpMessage(payloadType: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(V2GTP_HEADER_LENGTH + payload.length);
  writeV2gtpHeader(out, 0, payloadType, payload.length);
  out.set(payload, V2GTP_HEADER_LENGTH);
  return out;
}

/**
 * Decode one whole message (e.g. a UDP datagram for SDP): header, then exactly `payloadLength` bytes.
 * The payload is a view into `bytes`. Extra or missing bytes → "length-mismatch".
 */
export function decodeV2gtpMessage(bytes: Uint8Array, opts?: V2gtpDecodeOptions): V2gtpMessage {
  const { payloadType, payloadLength } = decodeV2gtpHeader(bytes, 0, opts);
  const have = bytes.length - V2GTP_HEADER_LENGTH;
  if (have !== payloadLength) {
    throw new V2gtpError(
      "length-mismatch",
      `v2gtp payload length field: ${payloadLength}, but ${have} payload bytes follow the header`,
    );
  }
  return { payloadType, payload: bytes.subarray(V2GTP_HEADER_LENGTH) };
}
