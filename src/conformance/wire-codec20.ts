/**
 * The tester's view of an ISO 15118-20 message: one global element whose content carries its own `Header`
 * {SessionID, TimeStamp} (ISO 15118-20: V2G_Message replaced by one root element per message), in the
 * schema set the V2GTP payload type names (ISO 15118-20 V2GTP payload types: 0x8002 CommonMessages, 0x8003
 * AC, 0x8004 DC). Decoded into the element name, the SessionID and the body below the Header; encoded back with the
 * given SessionID and the tester's clock as TimeStamp (Unix seconds). Platform-neutral.
 */
import { decodeIso20, encodeIso20, iso20PayloadTypeOf } from "../v2g/iso20/envelope.js";
import type { WireMessage } from "./wire-codec.js";

/** Decode an ISO 15118-20 message by its V2GTP payload type (absent: CommonMessages). Throws. */
export function decodeIso20Wire(bytes: Uint8Array, payloadType: number | undefined): WireMessage {
  const d = decodeIso20(bytes, payloadType, "request");
  const { Header: _header, ...body } = d.body as Record<string, unknown>;
  return { name: d.element, sessionId: d.sessionId, body, doc: d.message as Record<string, unknown> };
}

/** Encode ISO 15118-20 element `name` with `body` (its Header replaced) and `sessionId`. Throws. */
export function encodeIso20Wire(
  sessionId: Uint8Array,
  name: string,
  body: Record<string, unknown>,
): Uint8Array {
  return encodeIso20(sessionId, name, body, BigInt(Math.floor(Date.now() / 1000))).bytes;
}

/** The V2GTP payload type an ISO 15118-20 element travels in (DC_* 0x8004, AC_* 0x8003, else 0x8002). */
export const iso20PayloadType = iso20PayloadTypeOf;
