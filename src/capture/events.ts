/** Events, options and counters of the capture decoder. Pure types. */
import type { KeyLog } from "./keylog.js";
import type { TlsDecryptorFactory } from "./tls-types.js";
import type { V2gFamily } from "./v2g-schema.js";

/** Who sent a message. */
export type Party = "ev" | "evse" | "unknown";
/**
 * Event layers: the three protocol layers plus TCP/TLS notices (connections, gaps, encryption) and notices
 * about the capture file itself (`capture`: damaged stretches skipped, unsupported link types).
 */
export type CaptureLayer = "slac" | "sdp" | "v2g" | "tcp" | "tls" | "capture";

/** One decoded (or undecodable) message or notice. */
export interface CaptureEvent {
  /** Seconds since the first packet of the capture. */
  t: number;
  /** Packet number (1-based, as Wireshark shows it) of the packet that completed the message. */
  frame: number;
  layer: CaptureLayer;
  from: Party;
  /** Codec used: `homeplug`, `sdp`, `apphand`, `din`, `iso2`, `iso20-common|dc|ac|acdp|wpt`. */
  schema?: string;
  type: string;
  message?: unknown;
  error?: { message: string; code?: string; bitOffset?: number };
  /** The payload bytes (for errors, and always for V2G messages when `opts.hex` is set). */
  hex?: string;
  /** TCP connection number (1-based) for v2g/tcp/tls events. */
  conn?: number;
  payloadType?: number;
  warnings?: string[];
  /** The schema was guessed (no supportedAppProtocol handshake seen and no `--schema`). */
  schemaGuessed?: boolean;
  /** The message was carried by TLS (and decrypted). */
  tls?: boolean;
}

/** Options of {@link createCaptureDecoder}. */
export interface CaptureDecoderOptions {
  /** Force the V2G family for connections without a (visible) SAP handshake. */
  schema?: V2gFamily;
  /** TLS secrets (e.g. from `--tls-keylog`); disclosed secrets found in the capture are added to it. */
  keyLog?: KeyLog;
  /** TLS decryptor; without it TLS connections are reported as encrypted. */
  tls?: TlsDecryptorFactory;
  /** Attach `hex` to every V2G/SDP/SLAC event, not just to errors. */
  hex?: boolean;
}

/** Counters of a decoder run. */
export interface CaptureDecoderStats {
  packets: number;
  /** Epoch seconds of the first packet. */
  startTime?: number;
  connections: number;
  tlsConnections: number;
  v2gMessages: number;
  v2gErrors: number;
  sdp: number;
  slac: number;
  gaps: number;
  keyLogLines: number;
  /** Damaged stretches of the file skipped by the reader (it resynchronised after each). */
  damaged: number;
  /** Bytes in them. */
  damagedBytes: number;
  /** Packets of interfaces whose link type is not supported (not decoded). */
  unknownLinkPackets: number;
}
