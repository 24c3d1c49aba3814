/**
 * ISO 15118-20 message envelope, both sides: a -20 message is one global element whose body carries its own
 * `Header` {SessionID, TimeStamp}; the V2GTP payload type names the schema set (ISO 15118-20 payload types as
 * in EcoG-io/iso15118 enums.py, libiso15118 and dsV2Gshark: 0x8002 CommonMessages, 0x8003 AC, 0x8004 DC;
 * decode by payload type, never by the bytes). A stray 0x8001 frame inside a -20 session is read as
 * CommonMessages (Josev frames CertificateInstallationReq so, per an OpenChargingCloud
 * ISO15118ConformanceTests interop run).
 */
import { iso20, numberToRational, rationalToNumber } from "../../codecs/index.js";
import { SessionError } from "../session/errors.js";
import type { DecodedRequest, EncodedMessage } from "../session/secc-protocol.js";
import { V2gtpPayloadType } from "../v2gtp.js";

/**
 * Payload types a -20 session accepts (EcoG-io/iso15118 ISOV20PayloadTypes: CommonMessages 0x8002, AC 0x8003,
 * DC 0x8004; 0x8001 as CommonMessages, a leniency for Josev). The service selected decides which of AC_* /
 * DC_* messages may follow.
 */
export const ISO20_PAYLOAD_TYPES: readonly number[] = [
  V2gtpPayloadType.mainstream20,
  V2gtpPayloadType.ac20,
  V2gtpPayloadType.dc20,
  V2gtpPayloadType.exi,
];
/** @deprecated The -20 payload types are {@link ISO20_PAYLOAD_TYPES} (AC and DC). */
export const ISO20_DC_PAYLOAD_TYPES = ISO20_PAYLOAD_TYPES;

/**
 * The payload type of a -20 element: DC_* messages travel in the DC set (0x8004), AC_* in the AC set (0x8003),
 * the rest in CommonMessages.
 */
export function iso20PayloadTypeOf(element: string): number {
  if (element.startsWith("DC_")) return V2gtpPayloadType.dc20;
  if (element.startsWith("AC_")) return V2gtpPayloadType.ac20;
  return V2gtpPayloadType.mainstream20;
}

type Codec = { decodeDocument(b: Uint8Array): object; encodeDocument(d: never): Uint8Array };

function codecOf(payloadType: number | undefined): Codec {
  switch (payloadType) {
    case V2gtpPayloadType.dc20:
      return iso20.dc as unknown as Codec;
    case V2gtpPayloadType.ac20:
      return iso20.ac as unknown as Codec;
    case V2gtpPayloadType.mainstream20:
    case V2gtpPayloadType.exi:
    case undefined:
      return iso20.common as unknown as Codec;
    default:
      throw new SessionError(
        "UNEXPECTED_ELEMENT",
        `V2GTP payload type 0x${payloadType.toString(16)}: no ISO 15118-20 schema set for it`,
      );
  }
}

/** Decode a -20 message by its payload type; `expected` names the kind of element for the error. */
export function decodeIso20(
  bytes: Uint8Array,
  payloadType: number | undefined,
  expected: "request" | "response",
): DecodedRequest {
  const doc = codecOf(payloadType).decodeDocument(bytes) as Record<string, unknown>;
  const element = Object.keys(doc)[0] ?? "";
  const body = doc[element] as { Header?: { SessionID?: Uint8Array } } | undefined;
  if (!body?.Header?.SessionID)
    throw new SessionError(
      "UNEXPECTED_ELEMENT",
      `${element || "document"}: not an ISO-20 ${expected} (no Header.SessionID)`,
    );
  return { sessionId: body.Header.SessionID, element, body, message: doc };
}

/**
 * Encode `element: body` with Header {SessionID, TimeStamp} in the schema set its name belongs to; `signature`
 * is the header `ds:Signature` of a signed message (Plug & Charge AuthorizationReq).
 */
export function encodeIso20(
  sessionId: Uint8Array,
  element: string,
  body: unknown,
  timeStampS = 0n,
  signature?: unknown,
): EncodedMessage {
  const payloadType = iso20PayloadTypeOf(element);
  const { Header: _ignored, ...rest } = body as { Header?: unknown };
  const Header = {
    SessionID: sessionId,
    TimeStamp: timeStampS,
    ...(signature !== undefined && { Signature: signature }),
  };
  const full = { Header, ...rest };
  const message = { [element]: full };
  return { bytes: codecOf(payloadType).encodeDocument(message as never), message, payloadType };
}

/**
 * A RationalNumber for `x`, rounded to 0.1 (ISO 15118-20 RationalNumberType, Value × 10^Exponent): Exponent 0
 * for whole numbers that fit xs:short (as the stacks in the -20 captures send them), else the closest form.
 */
export function rn(x: number): { Exponent: number; Value: number } {
  const v = Math.round(x * 10) / 10;
  if (Number.isInteger(v) && v >= -32768 && v <= 32767) return { Exponent: 0, Value: v === 0 ? 0 : v };
  return numberToRational(v);
}

/** The number a RationalNumber stands for; `fallback` when absent. */
export function rnum(r: { Exponent: number; Value: number } | undefined, fallback = 0): number {
  return r ? rationalToNumber(r) : fallback;
}
