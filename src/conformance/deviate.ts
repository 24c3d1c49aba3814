/**
 * What the tester puts on the wire in place of one outgoing request of the EV controller, for a given
 * deviation (pure: the interceptor carries the actions out). Messages are decoded with our codecs, changed
 * and re-encoded; V2GTP headers are written byte by byte when they are meant to be wrong (ISO 15118-2
 * §7.8.3, DIN 70121 §8.7.3: version 0x01, inverse 0xFE, payload type, 32-bit length, big-endian).
 */

import type { V2gConnection } from "../link/types.js";
import { encodeV2gtpMessage, V2GTP_HEADER_LENGTH } from "../v2g/index.js";
import type { BoardAction, ConformanceProtocol, MessageRef, TesterBehaviour, TraceEvent } from "./types.js";
import {
  bytesOfHex,
  decodeWire,
  encodeHandshakeWire,
  encodeWire,
  removePath,
  setPath,
  wirePayloadType,
} from "./wire-codec.js";

/** One thing the interceptor does with the connection. */
export type WireAction =
  /** Send a V2GTP message (framed by the connection). */
  | { kind: "send"; payloadType: number; bytes: Uint8Array; note?: string; deviation?: boolean }
  /** Send bytes as they are (a header that is meant to be wrong). */
  | { kind: "raw"; bytes: Uint8Array; note: string; deviation: true }
  /** Send nothing now and nothing more: the tester stays silent with the connection open. */
  | { kind: "silent"; note: string }
  /** Close the connection. */
  | { kind: "close"; note: string }
  /** Act on the tester's board port (the interceptor hands it to the runner). */
  | { kind: "board"; action: BoardAction; note: string }
  /** Keep the SECC's answer to the next message sent from the controller. */
  | { kind: "hide-response" }
  /** Send this message once the SECC has answered the one before. */
  | { kind: "after-response"; payloadType: number; bytes: Uint8Array };

/** An outgoing request of the controller. */
export interface Outgoing {
  name: string;
  payloadType: number;
  bytes: Uint8Array;
  /** Its occurrence among the requests of this name on this connection (1-based). */
  occurrence: number;
}

/** Whether `ref` names this outgoing request. */
export function matches(ref: MessageRef, m: Outgoing): boolean {
  return ref.message === m.name && (ref.occurrence ?? 1) === m.occurrence;
}

/** The behaviour's trigger, or null for a normal session. */
export function triggerOf(b: TesterBehaviour): MessageRef | null {
  return b.kind === "normal" ? null : b.at;
}

/** A V2GTP header (8 bytes) with the fields as given, unchecked. */
export function rawHeader(version: number, inverse: number, payloadType: number, length: number): Uint8Array {
  const h = new Uint8Array(V2GTP_HEADER_LENGTH);
  const v = new DataView(h.buffer);
  v.setUint8(0, version & 0xff);
  v.setUint8(1, inverse & 0xff);
  v.setUint16(2, payloadType & 0xffff);
  v.setUint32(4, length >>> 0);
  return h;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The actions for outgoing request `m` when it is the trigger of behaviour `b`. `earlier`: the requests
 * sent so far on this connection by name (for a replay). Throws when the message cannot be decoded or the
 * mutated one cannot be encoded (the case is then inconclusive: the tester failed, not the SUT).
 */
export function deviate(
  b: TesterBehaviour,
  protocol: ConformanceProtocol,
  m: Outgoing,
  earlier: ReadonlyMap<string, Uint8Array>,
): WireAction[] {
  const plain = { kind: "send", payloadType: m.payloadType, bytes: m.bytes } as const;
  const handshake = m.name.startsWith("supportedAppProtocol");
  switch (b.kind) {
    case "normal":
      return [plain];
    case "observe":
      return [{ ...plain, deviation: true }];
    case "pause-resume":
      return [{ ...plain, note: "resumed session", deviation: true }];
    case "mutate": {
      const w = decodeWire(protocol, m.bytes, handshake, m.payloadType);
      let body = w.body;
      // null removes the field (a choice swapped for another, e.g. ISO 15118-20 Scheduled_* ↔ Dynamic_*)
      for (const [path, value] of Object.entries(b.set))
        body = value === null ? removePath(body, path) : setPath(body, path, value);
      const bytes = handshake
        ? encodeHandshakeWire(w.name, body)
        : encodeWire(protocol, w.sessionId ?? new Uint8Array(1), w.name, body);
      const note = Object.entries(b.set)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(", ");
      return [{ kind: "send", payloadType: m.payloadType, bytes, note, deviation: true }];
    }
    case "session-id": {
      const w = decodeWire(protocol, m.bytes, handshake, m.payloadType);
      const bytes = encodeWire(protocol, bytesOfHex(b.sessionIdHex), w.name, w.body);
      return [
        {
          kind: "send",
          payloadType: m.payloadType,
          bytes,
          note: `SessionID ${b.sessionIdHex}`,
          deviation: true,
        },
      ];
    }
    case "repeat":
      return [
        plain,
        { kind: "hide-response" },
        { kind: "send", payloadType: m.payloadType, bytes: m.bytes, note: "repeated", deviation: true },
      ];
    case "inject": {
      const w = decodeWire(protocol, m.bytes, handshake, m.payloadType);
      const bytes = encodeWire(protocol, w.sessionId ?? new Uint8Array(1), b.message, b.body);
      const payloadType = wirePayloadType(protocol, b.message, m.payloadType);
      return [
        { kind: "hide-response" },
        { kind: "send", payloadType, bytes, note: `${b.message} injected`, deviation: true },
        { kind: "after-response", payloadType: m.payloadType, bytes: m.bytes },
      ];
    }
    case "replay": {
      const old = earlier.get(b.message);
      if (!old) throw new Error(`replay: no ${b.message} was sent before ${m.name}`);
      const w = decodeWire(protocol, m.bytes, handshake, m.payloadType);
      const o = decodeWire(protocol, old, false, wirePayloadType(protocol, b.message, m.payloadType));
      const bytes = encodeWire(protocol, w.sessionId ?? new Uint8Array(1), o.name, o.body);
      const payloadType = wirePayloadType(protocol, o.name, m.payloadType);
      return [{ kind: "send", payloadType, bytes, note: `${b.message} instead`, deviation: true }];
    }
    case "payload-type":
      return [
        {
          kind: "raw",
          bytes: encodeV2gtpMessage(b.payloadType, m.bytes),
          note: `payload type 0x${b.payloadType.toString(16)}`,
          deviation: true,
        },
        { kind: "silent", note: "then silent" },
      ];
    case "header-version":
      return [
        {
          kind: "raw",
          bytes: concat(rawHeader(b.version, b.inverse, m.payloadType, m.bytes.length), m.bytes),
          note: `version 0x${b.version.toString(16)} / inverse 0x${b.inverse.toString(16)}`,
          deviation: true,
        },
        { kind: "silent", note: "then silent" },
      ];
    case "length": {
      const length = typeof b.length === "number" ? b.length : m.bytes.length + b.length.extra;
      return [
        {
          kind: "raw",
          bytes: concat(rawHeader(0x01, 0xfe, m.payloadType, length), m.bytes),
          note: `payload length ${length} (actual ${m.bytes.length})`,
          deviation: true,
        },
        { kind: "silent", note: "then silent" },
      ];
    }
    case "truncate":
      return [
        {
          kind: "raw",
          bytes: encodeV2gtpMessage(m.payloadType, m.bytes).slice(0, b.bytes),
          note: `first ${b.bytes} bytes only`,
          deviation: true,
        },
        { kind: "silent", note: "then silent" },
      ];
    case "silent":
      return [{ kind: "silent", note: `${m.name} held back` }];
    case "drop":
      return [{ kind: "close", note: `connection closed instead of ${m.name}` }];
    case "board":
      return [
        { kind: "board", action: b.action, note: `board: ${b.action} before ${m.name}` },
        { ...plain, note: `board: ${b.action}`, deviation: true },
      ];
    case "mutate-from":
      return deviate({ kind: "mutate", at: b.at, set: b.set }, protocol, m, earlier);
    // carried out by the EVCC tester (conformance/evcc), around the message: it goes out as it is
    case "delay":
    case "sdp-drop":
    case "tls-untrusted":
    case "evse-input":
      return [{ ...plain, deviation: true }];
  }
}

/** Where a wire action goes and is recorded (the interceptor's options, both roles). */
export interface WireSink {
  now(): number;
  record(e: TraceEvent): void;
  onWire?(conn: V2gConnection, bytes: Uint8Array): void;
}

/**
 * Carry out the wire part of action `a` of the tester's message `name` on `conn` — send it framed, send raw
 * bytes, or fall silent — and record it on the trace (and the capture). Other actions (close, board,
 * hidden or deferred) are the interceptor's own: nothing is done here.
 */
export function putOnWire(conn: V2gConnection, name: string, a: WireAction, o: WireSink): void {
  if (a.kind === "send") {
    conn.send(a.payloadType, a.bytes);
    o.onWire?.(conn, encodeV2gtpMessage(a.payloadType, a.bytes));
    o.record({
      kind: "tx",
      tMs: o.now(),
      name,
      bytes: a.bytes.length + 8,
      ...(a.note && { note: a.note }),
      ...(a.deviation && { deviation: true }),
    });
  } else if (a.kind === "raw") {
    conn.sendRaw(a.bytes);
    o.onWire?.(conn, a.bytes);
    o.record({ kind: "tx", tMs: o.now(), name, bytes: a.bytes.length, note: a.note, deviation: true });
  } else if (a.kind === "silent")
    o.record({ kind: "tx", tMs: o.now(), name: `(${name} not sent)`, bytes: 0, note: a.note });
}
