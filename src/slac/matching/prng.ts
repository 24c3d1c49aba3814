/**
 * Seeded pseudo-random numbers for reproducible in-memory runs (mulberry32, 32-bit state). Not for keys
 * on a real charger: production code injects a cryptographic {@link RandomSource}.
 */
import type { RandomSource } from "../keys.js";

/** A seeded generator: `float()` in [0, 1), `bytes(n)` usable as a {@link RandomSource}. */
export interface Prng {
  float(): number;
  bytes: RandomSource;
}

/** mulberry32 seeded with the low 32 bits of `seed`. */
export function seededPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    float: () => next() / 4294967296,
    bytes: (n: number) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}
