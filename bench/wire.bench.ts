/**
 * Wire-format throughput: V2GTP stream deframing (MB/s and messages/s over 1460-byte TCP-sized chunks) and
 * SLAC frame decode rate (frames/s over a mix of the MMEs of one SLAC session).
 */
import {
  decodeSlacFrame,
  encodeSlacFrame,
  MME_SCHEMAS,
  type Mme,
  type SlacFrame,
} from "../src/slac/index.js";
import { createV2gtpDeframer, encodeV2gtpMessage } from "../src/v2g/index.js";
import { type BenchResult, target } from "./types.js";

function time(fn: () => void, minMs = 400): { iterations: number; ms: number } {
  let iterations = 0;
  const t0 = performance.now();
  let ms = 0;
  do {
    fn();
    iterations++;
    ms = performance.now() - t0;
  } while (ms < minMs);
  return { iterations, ms };
}

function deframeBench(): BenchResult[] {
  // 2000 messages of 20..400 bytes (typical DIN/ISO-2 EXI sizes), cut into 1460-byte chunks.
  const msgs: Uint8Array[] = [];
  let seed = 1;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let i = 0; i < 2000; i++) msgs.push(encodeV2gtpMessage(0x8001, new Uint8Array(20 + (rnd() % 381))));
  const total = msgs.reduce((n, m) => n + m.length, 0);
  const stream = new Uint8Array(total);
  let o = 0;
  for (const m of msgs) {
    stream.set(m, o);
    o += m.length;
  }
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += 1460) chunks.push(stream.subarray(i, i + 1460));
  let count = 0;
  const { iterations, ms } = time(() => {
    const d = createV2gtpDeframer();
    for (const c of chunks) count += d.push(c).length;
  });
  if (count !== iterations * msgs.length) throw new Error("deframe bench lost messages");
  const mbps = (total * iterations) / 1e6 / (ms / 1000);
  const mps = (msgs.length * iterations) / (ms / 1000);
  return [
    {
      name: "v2gtp deframe throughput",
      value: Math.round(mbps),
      unit: "MB/s",
      target: target(">=", 50, mbps),
    },
    {
      name: "v2gtp deframe messages",
      value: Math.round(mps),
      unit: "msg/s",
      target: target(">=", 200_000, mps),
    },
  ];
}

function slacBench(): BenchResult[] {
  const mac = new Uint8Array([0, 1, 2, 3, 4, 5]);
  const filled = (n: number, v = 0x11) => new Uint8Array(n).fill(v);
  const mmes: Mme[] = (Object.keys(MME_SCHEMAS) as (keyof typeof MME_SCHEMAS)[]).map((kind) => {
    const o: Record<string, unknown> = { kind };
    for (const [name, fk] of MME_SCHEMAS[kind].fields) {
      if (typeof fk === "string") o[name] = 1;
      else if ("bytes" in fk) o[name] = filled(fk.bytes);
      else o[name] = filled(0);
    }
    if (kind === "CM_ATTEN_PROFILE.IND" || kind === "CM_ATTEN_CHAR.IND") {
      o.numGroups = 58;
      o.aag = filled(58, 0x20);
    }
    if (kind === "CM_AMP_MAP.REQ") {
      o.amlen = 0;
    }
    return o as unknown as Mme;
  });
  const frames = mmes.map((mme) => encodeSlacFrame({ dst: mac, src: mac, mme } satisfies SlacFrame));
  let n = 0;
  const { iterations, ms } = time(() => {
    for (const f of frames) n += decodeSlacFrame(f).mme.kind.length > 0 ? 1 : 0;
  });
  const fps = (frames.length * iterations) / (ms / 1000);
  const enc = time(() => {
    for (const mme of mmes) encodeSlacFrame({ dst: mac, src: mac, mme });
  });
  const eps = (mmes.length * enc.iterations) / (enc.ms / 1000);
  if (n !== frames.length * iterations) throw new Error("slac bench miscounted");
  return [
    {
      name: "slac frame decode",
      value: Math.round(fps),
      unit: "frames/s",
      target: target(">=", 100_000, fps),
    },
    { name: "slac frame encode", value: Math.round(eps), unit: "frames/s" },
  ];
}

export async function run(): Promise<BenchResult[]> {
  return [...deframeBench(), ...slacBench()];
}
