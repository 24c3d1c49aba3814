/**
 * Decoding a pcap/pcapng in the browser with the core capture reader, decoder and checker — the same
 * pipeline as `nacs decode FILE [--json] [--check]` — in chunks, yielding between them so the page (or the
 * worker's message loop) stays responsive. TLS sessions are decrypted with the key-log secrets given or
 * disclosed in the capture by the core's TLS decryptor (in the browser build its `node:crypto` is the
 * shim in ../shims/node-crypto.ts).
 */

import { buildCheckReport, type CheckReport } from "../../../src/capture/check.js";
import {
  type CaptureDecoderStats,
  type CaptureEvent,
  type CaptureReaderStats,
  createCaptureDecoder,
  createCaptureReader,
} from "../../../src/capture/index.js";
import { KeyLog } from "../../../src/capture/keylog.js";
import { createTlsDecryptor } from "../../../src/capture/node/tls-decrypt.js";

/** Chunk fed to the reader between yields (bytes). */
export const DECODE_CHUNK_BYTES = 64 * 1024;

export interface CaptureResult {
  events: CaptureEvent[];
  report: CheckReport;
  decoder: CaptureDecoderStats;
  reader: Readonly<CaptureReaderStats>;
  truncatedBytes: number;
  /** TLS key-log lines read from the key-log file given. */
  keyLogLines: number;
  decodeMs: number;
}

export interface DecodeOptions {
  keyLogText?: string;
  onProgress?: (done: number, total: number) => void;
  /** Called between chunks; await it to let the page breathe (the default yields to the event loop). */
  yieldFn?: () => Promise<void>;
  now?: () => number;
}

const defaultYield = () => new Promise<void>((r) => setTimeout(r, 0));

/** Decode a whole capture file's bytes. */
export async function decodeCaptureBytes(
  bytes: Uint8Array,
  opts: DecodeOptions = {},
): Promise<CaptureResult> {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const keyLog = new KeyLog();
  const keyLogLines = opts.keyLogText ? keyLog.add(opts.keyLogText) : 0;
  const decoder = createCaptureDecoder({ keyLog, tls: createTlsDecryptor });
  const reader = createCaptureReader();
  const events: CaptureEvent[] = [];
  const yieldFn = opts.yieldFn ?? defaultYield;
  for (let off = 0; off < bytes.length; off += DECODE_CHUNK_BYTES) {
    const chunk = bytes.subarray(off, Math.min(bytes.length, off + DECODE_CHUNK_BYTES));
    for (const rec of reader.push(chunk)) for (const e of decoder.push(rec)) events.push(e);
    opts.onProgress?.(off + chunk.length, bytes.length);
    await yieldFn();
  }
  for (const rec of reader.finish()) for (const e of decoder.push(rec)) events.push(e);
  const truncatedBytes = reader.end();
  for (const e of decoder.end()) events.push(e);
  const report = buildCheckReport(events);
  return {
    events,
    report,
    decoder: decoder.stats,
    reader: reader.stats,
    truncatedBytes,
    keyLogLines,
    decodeMs: now() - t0,
  };
}
