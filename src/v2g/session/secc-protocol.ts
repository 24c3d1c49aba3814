/**
 * The contract between the shared SECC core (`secc.ts`) and a protocol's handlers (`din/secc`, `iso2/secc`):
 * one {@link SeccHandler} per request element, plus decode/encode of the protocol's V2G_Message.
 */
import type { V2gProtocol } from "../handshake/namespaces.js";
import { SessionError } from "./errors.js";
import type { SeccState } from "./secc-state.js";
import type { MsgName, SeccEffect, StopReason } from "./types.js";

/** What a handler returns: the new state and the response body (effects are pushed to `fx`). */
export interface SeccOutcome {
  state: SeccState;
  body: { ResponseCode: string };
  /** EVSEProcessing of this response, for the sequence table (Authorization, ChargeParameterDiscovery, CableCheck). */
  processing?: "Finished" | "Ongoing";
  /** End the session after sending (SessionStop, or a FAILED code with a more specific reason). */
  end?: { reason: StopReason; detail: string };
  /** ISO-2: the header Signature of the response (CertificateInstallationRes / CertificateUpdateRes). */
  signature?: unknown;
  /**
   * ISO-2 with the CPS behind the backend: do not answer now; hand the request to the backend (OCPP's
   * CertificateActionEnumType) and relay its answer (`body` is sent if it cannot be asked).
   */
  forward?: "Install" | "Update";
}

/** Per-request context handed to a handler. */
export interface HandlerCtx {
  tMs: number;
  /** Header SessionID of the request. */
  sessionId: Uint8Array;
  /** The whole decoded V2G_Message (its header carries the Signature of a signed request). */
  message?: unknown;
}

/** Handler of one request element. */
export interface SeccHandler {
  name: MsgName;
  /** Response element name, e.g. "CableCheckRes". */
  res: string;
  /** Answer the request (body typed by the protocol's generated types). */
  handle(s: SeccState, body: never, ctx: HandlerCtx, fx: SeccEffect[]): SeccOutcome;
  /** The matching response carrying `code` (FAILED_SequenceError, FAILED_UnknownSession, …) with valid mandatory fields. */
  failed(s: SeccState, code: string, tMs: number): { ResponseCode: string };
}

/** A decoded request. */
export interface DecodedRequest {
  sessionId: Uint8Array;
  /** Body element name, e.g. "CableCheckReq". */
  element: string;
  body: unknown;
  message: unknown;
}

/** An encoded message and the V2GTP payload type it travels in (absent: EXI 0x8001). */
export interface EncodedMessage {
  bytes: Uint8Array;
  message: unknown;
  payloadType?: number;
}

/** A protocol plugged into the SECC core. */
export interface SeccProtocolModule {
  protocol: V2gProtocol;
  /**
   * V2GTP payload types requests may arrive in (absent: EXI 0x8001 only). ISO 15118-20 uses one per schema
   * set (0x8002 common, 0x8003 AC, 0x8004 DC; EcoG-io/iso15118 enums.py).
   */
  payloadTypes?: readonly number[];
  /** Decode a message (throws ExiDecodeError); `payloadType` selects the schema set where there are several. */
  decode(bytes: Uint8Array, payloadType?: number): DecodedRequest;
  /**
   * Encode a message with `element: body` (throws ExiEncodeError); `timeStampS` is the Unix time for
   * protocols whose header carries one (ISO 15118-20); `signature` the ISO-2 header Signature, if any.
   */
  encode(
    sessionId: Uint8Array,
    element: string,
    body: unknown,
    timeStampS?: bigint,
    signature?: unknown,
  ): EncodedMessage;
  /** Handlers by request element name. */
  handlers: Readonly<Record<string, SeccHandler>>;
  /** Sequence timeout after sending `resElement` (absent: the configured V2G_SECC_Sequence_Timeout). */
  sequenceTimeoutMs?(s: SeccState, resElement: string): number;
}

/** The body element of a decoded Body (the one key present). */
export function bodyElement(body: object): [string, unknown] | undefined {
  for (const k in body) {
    const v = (body as Record<string, unknown>)[k];
    if (v !== undefined) return [k, v];
  }
  return undefined;
}

/** The V2G_Message codec of one protocol (generated `din` or `iso2`). */
export interface V2gMessageCodec<M extends { Header: { SessionID: Uint8Array }; Body: object }> {
  decode(bytes: Uint8Array): M;
  encode(message: M): Uint8Array;
}

/**
 * The decode/encode pair every protocol module (SECC and EVCC, DIN and ISO-2) needs: V2G_Message with one
 * body element. `label` names the protocol and `expected` the kind of element in the error for an empty body.
 */
export function messageEnvelope<M extends { Header: { SessionID: Uint8Array }; Body: object }>(
  codec: V2gMessageCodec<M>,
  label: string,
  expected: "request" | "response",
): Pick<SeccProtocolModule, "decode" | "encode"> {
  return {
    decode(bytes) {
      const message = codec.decode(bytes);
      const el = bodyElement(message.Body);
      if (!el)
        throw new SessionError(
          "UNEXPECTED_ELEMENT",
          `Body: empty ${label} body (expected one ${expected} element)`,
        );
      return { sessionId: message.Header.SessionID, element: el[0], body: el[1], message };
    },
    encode(sessionId, element, body, _timeStampS, signature) {
      const Header = signature ? { SessionID: sessionId, Signature: signature } : { SessionID: sessionId };
      const message = { Header, Body: { [element]: body } } as unknown as M;
      return { bytes: codec.encode(message), message };
    },
  };
}
