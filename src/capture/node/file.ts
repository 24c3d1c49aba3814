/**
 * Node-only capture file streaming (layer exception for I/O, like src/link): reads a pcap/pcapng file in
 * chunks through `node:fs` and feeds the pure incremental reader and decoder, so memory does not grow with
 * the file size. Progress is reported per chunk.
 */
import { createReadStream, statSync } from "node:fs";
import {
  type CaptureDecoderOptions,
  type CaptureDecoderStats,
  type CaptureEvent,
  createCaptureDecoder,
} from "../decoder.js";
import { type CaptureReaderStats, type CaptureRecord, createCaptureReader } from "../reader.js";

/** Read-stream chunk size (bytes). */
export const CAPTURE_READ_CHUNK_BYTES = 256 * 1024;

/** Progress callback: bytes read so far and the file size. */
export type CaptureProgress = (bytesRead: number, totalBytes: number) => void;

/** Stream the records of a capture file, one batch per read chunk. */
export async function* readCaptureFile(
  path: string,
  opts?: { chunkSize?: number; onProgress?: CaptureProgress },
): AsyncGenerator<CaptureRecord[]> {
  const total = statSync(path).size;
  const reader = createCaptureReader();
  const stream = createReadStream(path, { highWaterMark: opts?.chunkSize ?? CAPTURE_READ_CHUNK_BYTES });
  let read = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    read += chunk.length;
    const recs = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    opts?.onProgress?.(read, total);
    if (recs.length > 0) yield recs;
  }
  const rest = reader.finish();
  if (rest.length > 0) yield rest;
}

/** Result of {@link decodeCaptureFile}. */
export interface DecodeCaptureResult {
  decoder: CaptureDecoderStats;
  reader: Readonly<CaptureReaderStats>;
  bytes: number;
  /** Bytes of a partial last record (file cut short); 0 for a clean file. */
  truncatedBytes: number;
}

/**
 * Decode a capture file, calling `onEvent` for every event in capture order. With a TLS decryptor in
 * `opts.tls` and secrets (in `opts.keyLog` or disclosed in the capture) TLS sessions are decoded too.
 */
export async function decodeCaptureFile(
  path: string,
  opts: CaptureDecoderOptions & { chunkSize?: number; onProgress?: CaptureProgress },
  onEvent: (e: CaptureEvent) => void,
): Promise<DecodeCaptureResult> {
  const decoder = createCaptureDecoder(opts);
  const reader = createCaptureReader();
  const total = statSync(path).size;
  const stream = createReadStream(path, { highWaterMark: opts.chunkSize ?? CAPTURE_READ_CHUNK_BYTES });
  let read = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    read += chunk.length;
    for (const rec of reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
      for (const e of decoder.push(rec)) onEvent(e);
    }
    opts.onProgress?.(read, total);
  }
  for (const rec of reader.finish()) for (const e of decoder.push(rec)) onEvent(e);
  const truncatedBytes = reader.end();
  for (const e of decoder.end()) onEvent(e);
  return { decoder: decoder.stats, reader: reader.stats, bytes: read, truncatedBytes };
}
