/**
 * Seeded pseudo-random numbers for the simulator (`nacs simulate --seed`), so that component tolerance
 * draws and measurement noise are reproducible. mulberry32: 32-bit state, period 2^32, good enough for
 * tolerance draws (not for cryptography).
 */
import { mulberry32 } from "../prng.js";

/** A reproducible random source. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** `nominal · (1 + u)` with u uniform in [−tol, +tol): a component within ± tol (fraction). */
  tolerance(nominal: number, tol: number): number;
}

/** Create a seeded RNG (mulberry32). Equal seeds give equal sequences. */
export function createRng(seed: number): Rng {
  const u32 = mulberry32(seed);
  const next = (): number => u32() / 4294967296;
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    tolerance: (nominal, tol) => nominal * (1 + tol * (2 * next() - 1)),
  };
}
