/**
 * Seeded pseudo-random numbers for the simulator (`nacs simulate --seed`), so that component tolerance
 * draws and measurement noise are reproducible. mulberry32: 32-bit state, period 2^32, good enough for
 * tolerance draws (not for cryptography).
 */

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
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    tolerance: (nominal, tol) => nominal * (1 + tol * (2 * next() - 1)),
  };
}
