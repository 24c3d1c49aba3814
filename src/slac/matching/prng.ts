/**
 * Seeded pseudo-random numbers for reproducible in-memory runs (mulberry32, 32-bit state). Not for keys
 * on a real charger: production code injects a cryptographic {@link RandomSource}.
 */
import { mulberry32 } from "../../prng.js";
import type { RandomSource } from "../keys.js";

/** A seeded generator: `float()` in [0, 1), `bytes(n)` usable as a {@link RandomSource}. */
export interface Prng {
  float(): number;
  bytes: RandomSource;
}

/** mulberry32 seeded with the low 32 bits of `seed`. */
export function seededPrng(seed: number): Prng {
  const next = mulberry32(seed);
  return {
    float: () => next() / 4294967296,
    bytes: (n: number) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}
