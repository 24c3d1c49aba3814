/**
 * The contract between the shared EVCC core (`evcc.ts`) and a protocol's message definitions (`din/evcc`,
 * `iso2/evcc`): per message, how to build the request from the EVCC state and how to read the response
 * into a protocol-neutral view.
 */
import type { V2gProtocol } from "../handshake/namespaces.js";
import type { EvccState, EvseView } from "./evcc-state.js";
import type { EncodedMessage } from "./secc-protocol.js";
import type { MsgName } from "./types.js";

/** A response read into neutral terms. */
export interface ResponseView {
  code: string;
  processing?: string;
  /** EVSE facts this response carries. */
  evse?: Partial<EvseView>;
  /** ISO-2 PaymentDetailsRes: the GenChallenge to sign. */
  genChallenge?: Uint8Array;
}

/** One request/response pair from the EVCC's side. */
export interface EvccMessage {
  name: MsgName;
  req: string;
  res: string;
  build(s: EvccState): unknown;
  /**
   * ISO-2 Plug & Charge: the Header/Signature (XMLDSig) for `body`, the request `build` made, or undefined
   * for an unsigned request (throws PncError / XmlDsigError).
   */
  signature?(s: EvccState, body: never): unknown;
  read(body: never): ResponseView;
  /**
   * Check an OK response as a whole message (its header Signature) and take what it delivers; throws
   * PncError to discard it ([V2G2-891]).
   */
  accept?(s: EvccState, message: unknown, tMs: number): EvccState;
}

/** A protocol plugged into the EVCC core. */
export interface EvccProtocolModule {
  protocol: V2gProtocol;
  messages: Readonly<Partial<Record<MsgName, EvccMessage>>>;
  /**
   * The message for `name` in this session when it depends on more than the name (ISO-20: AC_ or
   * DC_ChargeParameterDiscovery by the selected service); undefined → `messages[name]`.
   */
  messageFor?(s: EvccState, name: MsgName): EvccMessage | undefined;
  /** V2GTP payload types responses may arrive in (absent: EXI 0x8001 only; ISO-20: one per schema set). */
  payloadTypes?: readonly number[];
  decode(
    bytes: Uint8Array,
    payloadType?: number,
  ): { sessionId: Uint8Array; element: string; body: unknown; message: unknown };
  /**
   * Encode; `timeStampS` is the header TimeStamp of protocols that carry one (ISO-20), `signature` the
   * ISO-2 header Signature.
   */
  encode(
    sessionId: Uint8Array,
    element: string,
    body: unknown,
    timeStampS?: bigint,
    signature?: unknown,
  ): EncodedMessage;
}

/**
 * DC status fields common to DIN/ISO-2 DC_EVSEStatus. A view spreads these after a plain key of its own: an
 * object literal that starts with a spread and adds keys gets a new V8 hidden class on every call
 * (testing/hidden-class.ts), once per response in the charge loop.
 */
export function readDcStatus(st: {
  EVSEStatusCode: string;
  EVSEIsolationStatus?: string;
  EVSENotification: string;
  NotificationMaxDelay: number;
}): Partial<EvseView> {
  return {
    statusCode: st.EVSEStatusCode,
    isolation: st.EVSEIsolationStatus ?? null,
    notification: st.EVSENotification as EvseView["notification"],
    notificationMaxDelayS: st.NotificationMaxDelay,
  };
}

/** AC status fields of ISO-2 AC_EVSEStatus. */
export function readAcStatus(st: {
  EVSENotification: string;
  NotificationMaxDelay: number;
}): Partial<EvseView> {
  return {
    notification: st.EVSENotification as EvseView["notification"],
    notificationMaxDelayS: st.NotificationMaxDelay,
  };
}

/** The message `name` of `mod` in session `s` ({@link EvccProtocolModule.messageFor}, else by name). */
export function messageOf(mod: EvccProtocolModule, s: EvccState, name: MsgName): EvccMessage | undefined {
  return mod.messageFor?.(s, name) ?? mod.messages[name];
}
