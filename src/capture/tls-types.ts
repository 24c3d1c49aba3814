/**
 * The interface between the pure capture decoder and a TLS decryptor (which needs a crypto library and so
 * lives in `src/capture/node/tls-decrypt.ts`). One decryptor per TCP connection.
 */
import type { KeyLog } from "./keylog.js";

/** Decrypted application data of one direction. */
export interface TlsPlaintext {
  /** True for client → server (EV → EVSE). */
  fromClient: boolean;
  data: Uint8Array;
  /** Capture time (seconds, relative) of the record that carried it. */
  t: number;
  /** Packet index of the record's last segment. */
  frame: number;
}

/** What the decryptor knows about its connection. */
export interface TlsInfo {
  version?: "TLS 1.2" | "TLS 1.3";
  cipherSuite?: number;
  cipherName?: string;
  clientRandom?: Uint8Array;
  /** True once application data was decrypted. */
  decrypted: boolean;
  /** Records still waiting for secrets (or that failed). */
  pendingRecords: number;
  /** Why decryption is not possible (unsupported cipher, bad secret, …). */
  error?: string;
}

/** A per-connection TLS decryptor. */
export interface TlsDecryptor {
  /** Feed reassembled TLS bytes of one direction; returns application data that could be decrypted. */
  push(fromClient: boolean, data: Uint8Array, t: number, frame: number): TlsPlaintext[];
  /** Secrets were added to the key log: decrypt what was waiting. */
  retry(): TlsPlaintext[];
  readonly info: TlsInfo;
}

/** Creates a decryptor for a new connection, reading secrets from `keys` (shared, grows over time). */
export type TlsDecryptorFactory = (keys: KeyLog) => TlsDecryptor;
