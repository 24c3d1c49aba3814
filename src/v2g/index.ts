/**
 * V2G transport wire formats: V2GTP header and stream deframer, SDP datagrams (ISO 15118-2 §7.8.3, §7.10.1).
 * Pure code.
 */

export * from "./handshake/index.js";
export * from "./ports/index.js";
export {
  type DecodedSdpResponse,
  decodeSdpRequest,
  decodeSdpResponse,
  encodeSdpRequest,
  encodeSdpResponse,
  SDP_MAX_REQUESTS,
  SDP_MULTICAST_ADDRESS,
  SDP_REQUEST_DATAGRAM_LENGTH,
  SDP_REQUEST_PAYLOAD_LENGTH,
  SDP_REQUEST_TIMEOUT_MS,
  SDP_RESPONSE_DATAGRAM_LENGTH,
  SDP_RESPONSE_PAYLOAD_LENGTH,
  SDP_SECC_PORT_MAX,
  SDP_SECC_PORT_MIN,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_SERVER_PORT,
  SDP_TRANSPORT_TCP,
  SDP_TRANSPORT_UDP,
  type SdpRequest,
  type SdpResponse,
  type SdpSecurity,
  type SdpTransport,
} from "./sdp.js";
export { formatIpv6, IPV6_LENGTH, isIpv6LinkLocal, parseIpv6, splitIpv6Zone } from "./sdp-ipv6.js";
export * from "./session/index.js";
export {
  decodeV2gtpHeader,
  decodeV2gtpMessage,
  encodeV2gtpHeader,
  encodeV2gtpMessage,
  isKnownPayloadType,
  resolveMaxPayload,
  V2GTP_DEFAULT_MAX_PAYLOAD,
  V2GTP_HEADER_LENGTH,
  V2GTP_INVERSE_VERSION,
  V2GTP_MANUFACTURER_PAYLOAD_TYPE_MIN,
  V2GTP_MAX_LENGTH_FIELD,
  V2GTP_VERSION,
  type V2gtpDecodeOptions,
  V2gtpError,
  type V2gtpErrorCode,
  type V2gtpHeader,
  type V2gtpMessage,
  V2gtpPayloadType,
  writeV2gtpHeader,
} from "./v2gtp.js";
export { createV2gtpDeframer, type V2gtpDeframer } from "./v2gtp-deframer.js";
