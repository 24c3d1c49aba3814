/**
 * What the real-time SLAC driver needs from its surroundings: a port that carries whole
 * Ethernet frames (a raw AF_PACKET socket in src/link/raw, or an in-memory pair in tests) and timers.
 * Platform-neutral: no Node imports.
 */
import type { SlacFailReason } from "../matching/types.js";

/** A frame port: the host MAC, send one whole Ethernet frame (no FCS), receive frames of EtherType 0x88E1. */
export interface FramePort {
  readonly mac: Uint8Array;
  send(frame: Uint8Array): void;
  /** Subscribe; returns the unsubscribe function. */
  onFrame(handler: (frame: Uint8Array) => void): () => void;
}

/** How a driven SLAC run ended; `atMs` counts from the driver's start. */
export type SlacRunOutcome =
  | {
      kind: "matched";
      atMs: number;
      nmk: Uint8Array;
      nid: Uint8Array;
      peerMac: Uint8Array;
      runId: Uint8Array;
    }
  | { kind: "failed"; atMs: number; reason: SlacFailReason }
  | { kind: "stopped"; atMs: number };

/** One frame the driver sent or received (MME kind from the codec, wire length). */
export interface SlacFrameRecord {
  atMs: number;
  dir: "tx" | "rx";
  kind: string;
  bytes: number;
}

/** Counters of a run. */
export interface SlacRunStats {
  framesSent: number;
  framesReceived: number;
  /** Received frames the codec refused (counted, then ignored). */
  undecodable: number;
  /** Frames in order (bounded by the driver's `recordLimit`). */
  frames: SlacFrameRecord[];
}
