/**
 * SDP (SECC Discovery Protocol) request/response datagrams: a V2GTP header (0x9000 / 0x9001) plus a 2-byte
 * request (security, transport) or a 20-byte response (SECC IPv6 address, TCP port, security, transport).
 * ISO 15118-2 §7.10.1; values as in EcoG-io/iso15118 (sdp.py, network.py).
 */
import { IPV6_LENGTH } from "./sdp-ipv6.js";
import {
  decodeV2gtpMessage,
  encodeV2gtpMessage,
  V2GTP_HEADER_LENGTH,
  V2gtpError,
  V2gtpPayloadType,
} from "./v2gtp.js";

/** SDP UDP server port (EVCC sends its request here). EcoG-io/iso15118 `SDP_SERVER_PORT`. */
export const SDP_SERVER_PORT = 15118;
/** IPv6 link-local all-nodes multicast group the request goes to. EcoG-io/iso15118 `SDP_MULTICAST_GROUP`. */
export const SDP_MULTICAST_ADDRESS = "ff02::1";
/** Security byte: TLS. EcoG-io/iso15118 (sdp.py). */
export const SDP_SECURITY_TLS = 0x00;
/** Security byte: no transport security. EcoG-io/iso15118 (sdp.py). */
export const SDP_SECURITY_NONE = 0x10;
/** Transport byte: TCP. EcoG-io/iso15118 (sdp.py). */
export const SDP_TRANSPORT_TCP = 0x00;
/** Transport byte: UDP (not allowed for V2G messages). EcoG-io/iso15118 (sdp.py). */
export const SDP_TRANSPORT_UDP = 0x10;
/** SDP request payload length. EcoG-io/iso15118 (sdp.py). */
export const SDP_REQUEST_PAYLOAD_LENGTH = 2;
/** SDP response payload length (16 + 2 + 1 + 1). EcoG-io/iso15118 (sdp.py). */
export const SDP_RESPONSE_PAYLOAD_LENGTH = 20;
/** Whole request datagram (8 + 2), derived. */
export const SDP_REQUEST_DATAGRAM_LENGTH = V2GTP_HEADER_LENGTH + SDP_REQUEST_PAYLOAD_LENGTH;
/** Whole response datagram (8 + 20), derived. */
export const SDP_RESPONSE_DATAGRAM_LENGTH = V2GTP_HEADER_LENGTH + SDP_RESPONSE_PAYLOAD_LENGTH;
/** Lowest SECC TCP port allowed in the response (IANA dynamic range). EcoG-io/iso15118 (sdp.py). */
export const SDP_SECC_PORT_MIN = 49152;
/** Highest SECC TCP port allowed in the response. EcoG-io/iso15118 (sdp.py). */
export const SDP_SECC_PORT_MAX = 65535;
/** EVCC waits this long for a response before repeating the request. EcoG-io/iso15118 `SDP_REQ`. */
export const SDP_REQUEST_TIMEOUT_MS = 250;
/** Maximum SDP requests per discovery cycle. EcoG-io/iso15118 `SDP_MAX_REQUEST_COUNTER`. */
export const SDP_MAX_REQUESTS = 50;

/** Security byte value. */
export type SdpSecurity = typeof SDP_SECURITY_TLS | typeof SDP_SECURITY_NONE;
/** Transport byte value. */
export type SdpTransport = typeof SDP_TRANSPORT_TCP | typeof SDP_TRANSPORT_UDP;

/** SDP request (EVCC → multicast). */
export interface SdpRequest {
  security: SdpSecurity;
  transport: SdpTransport;
}

/** SDP response (SECC → EVCC). */
export interface SdpResponse {
  /** SECC IPv6 address, 16 bytes (see `formatIpv6` / `parseIpv6`). */
  address: Uint8Array;
  /** SECC TCP port, normally 49152–65535. */
  port: number;
  security: SdpSecurity;
  transport: SdpTransport;
}

/** A decoded response plus non-fatal findings (e.g. a port outside 49152–65535). */
export interface DecodedSdpResponse extends SdpResponse {
  warnings: string[];
}

function checkSecurity(v: unknown): SdpSecurity {
  if (v !== SDP_SECURITY_TLS && v !== SDP_SECURITY_NONE) {
    throw new V2gtpError("bad-field", `sdp security: ${String(v)}, must be 0x00 (TLS) or 0x10 (none)`);
  }
  return v;
}

function checkTransport(v: unknown): SdpTransport {
  if (v !== SDP_TRANSPORT_TCP && v !== SDP_TRANSPORT_UDP) {
    throw new V2gtpError("bad-field", `sdp transport: ${String(v)}, must be 0x00 (TCP) or 0x10 (UDP)`);
  }
  return v;
}

function expectPayload(datagram: Uint8Array, type: number, len: number, what: string): Uint8Array {
  const m = decodeV2gtpMessage(datagram, { maxPayload: len });
  if (m.payloadType !== type) {
    throw new V2gtpError(
      "wrong-payload-type",
      `${what}: payload type 0x${m.payloadType.toString(16)}, must be 0x${type.toString(16)}`,
    );
  }
  if (m.payload.length !== len) {
    throw new V2gtpError("length-mismatch", `${what}: payload ${m.payload.length} bytes, must be ${len}`);
  }
  return m.payload;
}

/** Encode an SDP request datagram (10 bytes). Throws {@link V2gtpError} "bad-field". */
export function encodeSdpRequest(req: SdpRequest): Uint8Array {
  return encodeV2gtpMessage(
    V2gtpPayloadType.sdpRequest,
    Uint8Array.of(checkSecurity(req.security), checkTransport(req.transport)),
  );
}

/** Decode an SDP request datagram; throws {@link V2gtpError} on any header or value problem. */
export function decodeSdpRequest(datagram: Uint8Array): SdpRequest {
  const p = expectPayload(datagram, V2gtpPayloadType.sdpRequest, SDP_REQUEST_PAYLOAD_LENGTH, "sdp request");
  return { security: checkSecurity(p[0]), transport: checkTransport(p[1]) };
}

/**
 * Encode an SDP response datagram (28 bytes). The port must be 49152–65535 unless `allowAnyPort`
 * (for tests of misbehaving peers). Throws {@link V2gtpError} "bad-field".
 */
export function encodeSdpResponse(res: SdpResponse, opts?: { allowAnyPort?: boolean }): Uint8Array {
  if (!(res.address instanceof Uint8Array) || res.address.length !== IPV6_LENGTH) {
    throw new V2gtpError("bad-field", `sdp address: must be ${IPV6_LENGTH} bytes`);
  }
  const [lo, hi] = opts?.allowAnyPort ? [0, 0xffff] : [SDP_SECC_PORT_MIN, SDP_SECC_PORT_MAX];
  if (!Number.isInteger(res.port) || res.port < lo || res.port > hi) {
    throw new V2gtpError("bad-field", `sdp port: ${res.port}, must be an integer ${lo}..${hi}`);
  }
  const p = new Uint8Array(SDP_RESPONSE_PAYLOAD_LENGTH);
  p.set(res.address, 0);
  p[16] = res.port >> 8;
  p[17] = res.port & 0xff;
  p[18] = checkSecurity(res.security);
  p[19] = checkTransport(res.transport);
  return encodeV2gtpMessage(V2gtpPayloadType.sdpResponse, p);
}

/**
 * Decode an SDP response datagram. Any port is accepted; one outside 49152–65535 adds a warning.
 * Throws {@link V2gtpError} on header, length, security or transport problems.
 */
export function decodeSdpResponse(datagram: Uint8Array): DecodedSdpResponse {
  const p = expectPayload(
    datagram,
    V2gtpPayloadType.sdpResponse,
    SDP_RESPONSE_PAYLOAD_LENGTH,
    "sdp response",
  );
  const port = (p[16]! << 8) | p[17]!;
  const warnings: string[] = [];
  if (port < SDP_SECC_PORT_MIN) {
    warnings.push(`sdp port: ${port}, outside ${SDP_SECC_PORT_MIN}..${SDP_SECC_PORT_MAX}`);
  }
  return {
    address: p.slice(0, IPV6_LENGTH),
    port,
    security: checkSecurity(p[18]),
    transport: checkTransport(p[19]),
    warnings,
  };
}
