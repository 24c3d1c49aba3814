/**
 * The tester's view of a V2G message on the wire: decode a DIN 70121 / ISO 15118-2 V2G_Message, an ISO
 * 15118-20 message (or the supportedAppProtocol handshake) into its name, SessionID and body, and encode one
 * back. Platform-neutral.
 */
import { appHandshake, din, iso2 } from "../codecs/index.js";
import type { ConformanceProtocol, FieldValue } from "./types.js";
import { decodeIso20Wire, encodeIso20Wire, iso20PayloadType } from "./wire-codec20.js";

/** A decoded V2G message. */
export interface WireMessage {
  /** Element name of the body ("SessionSetupReq", "supportedAppProtocolRes"). */
  name: string;
  /** Header SessionID (absent for the handshake). */
  sessionId?: Uint8Array;
  body: Record<string, unknown>;
  /** The whole decoded document (to re-encode). */
  doc: Record<string, unknown>;
}

/** The codec of a protocol's V2G_Message. */
function codec(p: ConformanceProtocol): { decode(b: Uint8Array): unknown; encode(m: never): Uint8Array } {
  return (p === "din" ? din : iso2) as never;
}

/**
 * Decode `bytes` as `protocol`'s V2G_Message, or (`handshake`) as supportedAppProtocol. ISO 15118-20 by the
 * V2GTP `payloadType` (its schema set: CommonMessages, AC, DC). Throws.
 */
export function decodeWire(
  protocol: ConformanceProtocol,
  bytes: Uint8Array,
  handshake = false,
  payloadType?: number,
): WireMessage {
  if (handshake) {
    const hs = appHandshake.decodeDocument(bytes) as Record<string, unknown>;
    const name = Object.keys(hs)[0] ?? "supportedAppProtocol";
    return { name, body: (hs[name] ?? {}) as Record<string, unknown>, doc: hs };
  }
  if (protocol === "iso20") return decodeIso20Wire(bytes, payloadType);
  const doc = codec(protocol).decode(bytes) as {
    Header: { SessionID: Uint8Array };
    Body: Record<string, unknown>;
  };
  const name = Object.keys(doc.Body)[0] ?? "BodyElement";
  return {
    name,
    sessionId: doc.Header.SessionID,
    body: (doc.Body[name] ?? {}) as Record<string, unknown>,
    doc: doc as never,
  };
}

/**
 * Encode a V2G_Message of `protocol` with `sessionId` and one body element (ISO 15118-20: the element with
 * its Header, SessionID replaced, in the schema set of its name; see {@link wirePayloadType}).
 */
export function encodeWire(
  protocol: ConformanceProtocol,
  sessionId: Uint8Array,
  name: string,
  body: Record<string, unknown>,
): Uint8Array {
  if (protocol === "iso20") return encodeIso20Wire(sessionId, name, body);
  return codec(protocol).encode({ Header: { SessionID: sessionId }, Body: { [name]: body } } as never);
}

/** Encode a supportedAppProtocol handshake message (`name`: supportedAppProtocolReq / Res). */
export function encodeHandshakeWire(name: string, body: Record<string, unknown>): Uint8Array {
  return appHandshake.encodeDocument({ [name]: body } as never);
}

/**
 * The V2GTP payload type of request `name` of `protocol`: ISO 15118-20 by its schema set, else `fallback`
 * (DIN 70121 / ISO 15118-2: 0x8001 EXI).
 */
export function wirePayloadType(protocol: ConformanceProtocol, name: string, fallback: number): number {
  return protocol === "iso20" && name !== "supportedAppProtocolReq" ? iso20PayloadType(name) : fallback;
}

/** A copy of `body` with `value` at the dotted `path` (objects on the way are created). */
export function setPath(
  body: Record<string, unknown>,
  path: string,
  value: FieldValue,
): Record<string, unknown> {
  const keys = path.split(".");
  const out: Record<string, unknown> = { ...body };
  let at = out;
  for (const [i, k] of keys.entries()) {
    if (i === keys.length - 1) {
      at[k] = value;
      break;
    }
    const next = at[k];
    const copy = next && typeof next === "object" && !ArrayBuffer.isView(next) ? { ...(next as object) } : {};
    at[k] = copy;
    at = copy as Record<string, unknown>;
  }
  return out;
}

/** A copy of `body` without the field at the dotted `path` (unchanged when it is not there). */
export function removePath(body: Record<string, unknown>, path: string): Record<string, unknown> {
  const keys = path.split(".");
  const last = keys.pop() as string;
  const parent = keys.length > 0 ? getPath(body, keys.join(".")) : body;
  if (!parent || typeof parent !== "object" || !(last in parent)) return body;
  const { [last]: _gone, ...rest } = parent as Record<string, unknown>;
  return keys.length > 0 ? setPath(body, keys.join("."), rest as FieldValue) : rest;
}

/** The value at the dotted `path` of `body`, or undefined. */
export function getPath(body: unknown, path: string): unknown {
  let at: unknown = body;
  for (const k of path.split(".")) {
    if (!at || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[k];
  }
  return at;
}

/**
 * A number field, a PhysicalValue (Value × 10^Multiplier) or an ISO 15118-20 RationalNumber (Value ×
 * 10^Exponent); undefined otherwise.
 */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && "Value" in v && "Multiplier" in v) {
    const p = v as { Value: number; Multiplier: number };
    return p.Value * 10 ** p.Multiplier;
  }
  if (v && typeof v === "object" && "Value" in v && "Exponent" in v) {
    const p = v as { Value: number; Exponent: number };
    return p.Value * 10 ** p.Exponent;
  }
  return undefined;
}

/** Hex text of bytes. */
export function hexOf(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Bytes of hex text (an odd or non-hex text throws). */
export function bytesOfHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`not hex: "${hex}"`);
  return Uint8Array.from(hex.match(/../g) ?? [], (x) => Number.parseInt(x, 16));
}
