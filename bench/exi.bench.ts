/**
 * EXI codec throughput (issue 3 acceptance): decode and encode over the DIN + ISO-2 session vectors
 * (mixed corpus, per schema, and CurrentDemandReq/Res). Target on one core: ≥ 1,000,000 decodes/s and
 * ≥ 800,000 encodes/s over the mixed corpus (libcbv2g: ~1.3 M and 0.9–1.0 M here). Rates are per second of
 * process CPU time (one thread runs the codec; on a shared machine wall time measures the scheduler), the
 * median of 7 samples; the sample range and the wall-clock rate are in `detail`.
 */
import { din, iso2 } from "../src/codecs/index.js";
import { fromHex, loadVectors } from "../tools/codegen/vectors.js";
import { type BenchResult, target } from "./types.js";

type Codec = { decodeDocument(b: Uint8Array): unknown; encodeDocument(d: never): Uint8Array };
interface Item {
  codec: Codec;
  bytes: Uint8Array;
  doc: unknown;
}

function corpus(filter?: (message: string) => boolean): { din: Item[]; iso2: Item[] } {
  const mk = (file: string, codec: Codec) =>
    loadVectors(file)
      .filter((v) => !v.trailingZeroBytes && (!filter || filter(v.message)))
      .map((v) => {
        const bytes = fromHex(v.hex);
        return { codec, bytes, doc: codec.decodeDocument(bytes) };
      });
  return { din: mk("din", din as unknown as Codec), iso2: mk("iso2", iso2 as unknown as Codec) };
}

/** Process CPU time in ms (user + system): on a shared machine wall time measures the scheduler, not us. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Rate of `op` over `items`: after a warm-up, `samples` runs of at least `sampleMs` of CPU time each; the
 * median per-sample rate is the figure (robust to preemption and to background GC work of the setup).
 */
function measure(
  items: Item[],
  op: "decode" | "encode",
  samples = 7,
  sampleMs = 120,
  warmMs = 1000,
): { perSec: number; nsPer: number; wallPerSec: number; minPerSec: number; maxPerSec: number } {
  let sink = 0;
  const run = (n: number) => {
    for (let r = 0; r < n; r++)
      for (const it of items) {
        if (op === "decode") sink += (it.codec.decodeDocument(it.bytes) as object) ? 1 : 0;
        else sink += it.codec.encodeDocument(it.doc as never).length;
      }
  };
  // warm-up by time: JIT (TurboFan compiles on background threads, which count as process CPU time) and a
  // settled heap (the corpus decoded just before is promoted)
  const w0 = cpuMs();
  let warmReps = 0;
  while (cpuMs() - w0 < warmMs) {
    run(1);
    warmReps++;
  }
  const reps = Math.max(1, Math.ceil((warmReps * sampleMs) / warmMs));
  const cpuRates: number[] = [];
  const wallRates: number[] = [];
  for (let k = 0; k < samples; k++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    run(reps);
    const ms = cpuMs() - c0;
    const wall = performance.now() - t0;
    cpuRates.push((reps * items.length * 1000) / ms);
    wallRates.push((reps * items.length * 1000) / wall);
  }
  if (sink === 42) process.stderr.write("");
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const perSec = median(cpuRates);
  return {
    perSec: Math.round(perSec),
    nsPer: Math.round(1e9 / perSec),
    wallPerSec: Math.round(median(wallRates)),
    minPerSec: Math.round(Math.min(...cpuRates)),
    maxPerSec: Math.round(Math.max(...cpuRates)),
  };
}

export async function run(): Promise<BenchResult[]> {
  const all = corpus();
  const mixed = [...all.din, ...all.iso2];
  const cd = corpus((m) => m === "CurrentDemandReq" || m === "CurrentDemandRes");
  const out: BenchResult[] = [];
  const add = (name: string, items: Item[], op: "decode" | "encode", goal?: number) => {
    const r = measure(items, op);
    out.push({
      name: `${op} ${name} (${items.length} msgs)`,
      value: r.perSec,
      unit: "msg/s",
      ...(goal ? { target: target(">=", goal, r.perSec) } : {}),
      detail: {
        nsPerMessage: r.nsPer,
        samplesMinPerSec: r.minPerSec,
        samplesMaxPerSec: r.maxPerSec,
        wallClockPerSec: r.wallPerSec,
      },
    });
  };
  add("mixed DIN+ISO-2", mixed, "decode", 1_000_000);
  add("mixed DIN+ISO-2", mixed, "encode", 800_000);
  add("DIN", all.din, "decode");
  add("DIN", all.din, "encode");
  add("ISO-2", all.iso2, "decode");
  add("ISO-2", all.iso2, "encode");
  add("DIN CurrentDemandReq/Res", cd.din, "decode");
  add("DIN CurrentDemandReq/Res", cd.din, "encode");
  add("ISO-2 CurrentDemandReq/Res", cd.iso2, "decode");
  add("ISO-2 CurrentDemandReq/Res", cd.iso2, "encode");
  return out;
}
