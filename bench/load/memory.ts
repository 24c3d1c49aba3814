/**
 * Memory of this process after a full garbage collection, for the per-session figures of the benches:
 * V8 heap in use, external memory (Buffers and their backing stores) and the resident set. `gc` is taken
 * from V8 at run time (`--expose-gc` set through `v8.setFlagsFromString`), so the bench needs no Node flag.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null = null;

function collector(): () => void {
  if (gc) return gc;
  setFlagsFromString("--expose-gc");
  gc = runInNewContext("gc") as () => void;
  return gc;
}

/** What a process holds (bytes). */
export interface HeldMemory {
  heapUsed: number;
  external: number;
  rss: number;
}

/** Collect garbage (twice, with a turn of the event loop between) and read what is still held. */
export async function settledMemory(): Promise<HeldMemory> {
  const collect = collector();
  collect();
  await new Promise((r) => setImmediate(r));
  collect();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external + m.arrayBuffers, rss: m.rss };
}

/** Bytes per session between two readings: heap + external (what the sessions hold), and the RSS growth. */
export function perSession(before: HeldMemory, after: HeldMemory, sessions: number) {
  const n = Math.max(1, sessions);
  return {
    heapAndExternalBytes: Math.round(
      (after.heapUsed + after.external - before.heapUsed - before.external) / n,
    ),
    heapBytes: Math.round((after.heapUsed - before.heapUsed) / n),
    rssBytes: Math.round((after.rss - before.rss) / n),
  };
}
