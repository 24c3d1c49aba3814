/**
 * Capture decoding throughput (issue 7): `nacs decode FILE` work — pcap parsing, TCP reassembly, V2GTP
 * framing and EXI decoding — on the largest shared capture, in MB/s and V2G messages/s; also the same
 * through the Node file stream and with timeline formatting (what the CLI does), and TLS decryption on the
 * largest TLS capture.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createCaptureDecoder } from "../src/capture/decoder.js";
import { formatTimelineLine } from "../src/capture/format.js";
import { decodeCaptureFile } from "../src/capture/node/file.js";
import { createTlsDecryptor } from "../src/capture/node/tls-decrypt.js";
import { createCaptureReader } from "../src/capture/reader.js";
import type { BenchResult } from "./types.js";

const dir = fileURLToPath(new URL("../../shared/captures/", import.meta.url));

function largest(filter: (f: string) => boolean): string {
  const files = ["EVerest-logfiles", "dsV2Gshark"].flatMap((d) =>
    readdirSync(dir + d).map((f) => `${dir}${d}/${f}`),
  );
  return files.filter(filter).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

function decodeOnce(buf: Uint8Array, tls: boolean, format: boolean): number {
  const r = createCaptureReader();
  const d = createCaptureDecoder(tls ? { tls: createTlsDecryptor } : {});
  let n = 0;
  let chars = 0;
  const CH = 256 * 1024;
  for (let o = 0; o < buf.length; o += CH) {
    for (const rec of r.push(buf.subarray(o, o + CH))) {
      for (const e of d.push(rec)) {
        if (e.layer === "v2g") n++;
        if (format) chars += formatTimelineLine(e).length;
      }
    }
  }
  for (const e of d.end()) if (e.layer === "v2g") n++;
  return format && chars < 0 ? -1 : n;
}

function measure(name: string, file: string, tls: boolean, format: boolean, minMs = 1500): BenchResult[] {
  const buf = new Uint8Array(readFileSync(file));
  decodeOnce(buf, tls, format); // warm-up
  let iterations = 0;
  let msgs = 0;
  const t0 = performance.now();
  let ms = 0;
  do {
    msgs += decodeOnce(buf, tls, format);
    iterations++;
    ms = performance.now() - t0;
  } while (ms < minMs);
  const s = ms / 1000;
  const detail = {
    file: file.split("/").pop(),
    bytes: buf.length,
    messagesPerFile: msgs / iterations,
    iterations,
  };
  return [
    {
      name: `${name} MB/s`,
      value: Math.round(((buf.length * iterations) / 1e6 / s) * 10) / 10,
      unit: "MB/s",
      detail,
    },
    { name: `${name} messages/s`, value: Math.round(msgs / s), unit: "msg/s", detail },
  ];
}

export async function run(): Promise<BenchResult[]> {
  const big = largest(() => true);
  const bigTls = largest((f) => f.includes("TLS"));
  const out = [
    ...measure("decode (largest capture)", big, false, false),
    ...measure("decode + timeline formatting", big, false, true),
    ...measure("decode with TLS decryption (largest TLS capture)", bigTls, true, false),
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
