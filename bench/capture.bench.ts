/**
 * Capture decoding throughput (issue 7): `nacs decode FILE` work — pcap parsing, TCP reassembly, V2GTP
 * framing and EXI decoding — on the largest shared capture, in MB/s and V2G messages/s; also the same
 * through the Node file stream and with timeline formatting (what the CLI does), and TLS decryption on the
 * largest TLS capture. Packets/s too, and the same capture damaged in ten places (record lengths overwritten,
 * bytes cut) so the reader resynchronises ten times: what recovering costs, and how much is recovered.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createCaptureDecoder } from "../src/capture/decoder.js";
import { formatTimelineLine } from "../src/capture/format.js";
import { decodeCaptureFile } from "../src/capture/node/file.js";
import { createTlsDecryptor } from "../src/capture/node/tls-decrypt.js";
import { type CaptureRecord, createCaptureReader } from "../src/capture/reader.js";
import type { BenchResult } from "./types.js";

const dir = fileURLToPath(new URL("../../shared/captures/", import.meta.url));

function largest(filter: (f: string) => boolean): string {
  const files = ["EVerest-logfiles", "dsV2Gshark"].flatMap((d) =>
    readdirSync(dir + d).map((f) => `${dir}${d}/${f}`),
  );
  return files.filter(filter).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

interface Counts {
  msgs: number;
  packets: number;
  damaged: number;
}

function decodeOnce(buf: Uint8Array, tls: boolean, format: boolean): Counts {
  const r = createCaptureReader();
  const d = createCaptureDecoder(tls ? { tls: createTlsDecryptor } : {});
  let n = 0;
  let chars = 0;
  const CH = 256 * 1024;
  const feed = (recs: CaptureRecord[]) => {
    for (const rec of recs) {
      for (const e of d.push(rec)) {
        if (e.layer === "v2g") n++;
        if (format) chars += formatTimelineLine(e).length;
      }
    }
  };
  for (let o = 0; o < buf.length; o += CH) feed(r.push(buf.subarray(o, o + CH)));
  feed(r.finish());
  for (const e of d.end()) if (e.layer === "v2g") n++;
  return { msgs: format && chars < 0 ? -1 : n, packets: r.stats.packets, damaged: r.stats.damaged };
}

/**
 * A copy of a pcap capture damaged in ten places, at 5 %, 15 %, … 95 % of its records: odd places get the
 * record's incl_len overwritten (0x7fffffff), even places lose 37 bytes from inside the record header.
 */
function damagedCopy(buf: Uint8Array): Uint8Array {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const starts: number[] = [];
  for (let o = 24; o + 16 <= buf.length; o += 16 + dv.getUint32(o + 8, true)) starts.push(o);
  const at = Array.from({ length: 10 }, (_, i) => starts[Math.floor(((i + 0.5) / 10) * starts.length)]!);
  const out = buf.slice();
  const odv = new DataView(out.buffer);
  const cuts: number[] = [];
  at.forEach((o, i) => {
    if (i % 2 === 0) odv.setUint32(o + 8, 0x7fffffff, true);
    else cuts.push(o + 5);
  });
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const c of cuts) {
    parts.push(out.subarray(from, c));
    from = c + 37;
  }
  parts.push(out.subarray(from));
  return Buffer.concat(parts);
}

function measure(
  name: string,
  file: string,
  tls: boolean,
  format: boolean,
  minMs = 1500,
  transform?: (b: Uint8Array) => Uint8Array,
): BenchResult[] {
  const raw = new Uint8Array(readFileSync(file));
  const buf = transform ? transform(raw) : raw;
  const clean = transform ? decodeOnce(raw, tls, format) : undefined;
  const first = decodeOnce(buf, tls, format); // warm-up
  let iterations = 0;
  let msgs = 0;
  let packets = 0;
  const t0 = performance.now();
  let ms = 0;
  do {
    const c = decodeOnce(buf, tls, format);
    msgs += c.msgs;
    packets += c.packets;
    iterations++;
    ms = performance.now() - t0;
  } while (ms < minMs);
  const s = ms / 1000;
  const detail: Record<string, unknown> = {
    file: file.split("/").pop(),
    bytes: buf.length,
    messagesPerFile: msgs / iterations,
    packetsPerFile: packets / iterations,
    iterations,
  };
  if (clean) {
    detail.damagedStretches = first.damaged;
    detail.packetsRecovered = `${first.packets} of ${clean.packets}`;
    detail.messagesRecovered = `${first.msgs} of ${clean.msgs}`;
  }
  return [
    {
      name: `${name} MB/s`,
      value: Math.round(((buf.length * iterations) / 1e6 / s) * 10) / 10,
      unit: "MB/s",
      detail,
    },
    { name: `${name} messages/s`, value: Math.round(msgs / s), unit: "msg/s", detail },
    { name: `${name} packets/s`, value: Math.round(packets / s), unit: "packets/s", detail },
  ];
}

export async function run(): Promise<BenchResult[]> {
  const big = largest(() => true);
  const bigTls = largest((f) => f.includes("TLS"));
  const out = [
    ...measure("decode (largest capture)", big, false, false),
    ...measure("decode + timeline formatting", big, false, true),
    ...measure("decode with TLS decryption (largest TLS capture)", bigTls, true, false),
    ...measure("decode damaged copy (10 resynchronisations)", big, false, false, 1500, damagedCopy),
  ];
  // end to end through the file stream, as `nacs decode FILE` reads it
  const t0 = performance.now();
  let n = 0;
  let files = 0;
  do {
    await decodeCaptureFile(big, {}, (e) => {
      if (e.layer === "v2g") n++;
    });
    files++;
  } while (performance.now() - t0 < 1500);
  const s = (performance.now() - t0) / 1000;
  out.push({
    name: "decodeCaptureFile (node:fs stream) MB/s",
    value: Math.round(((statSync(big).size * files) / 1e6 / s) * 10) / 10,
    unit: "MB/s",
  });
  out.push({
    name: "decodeCaptureFile (node:fs stream) messages/s",
    value: Math.round(n / s),
    unit: "msg/s",
  });
  return out;
}
