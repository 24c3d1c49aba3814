/**
 * mulberry32: a small seeded 32-bit generator for reproducible simulations and tests (equal seeds give
 * equal sequences). Not for keys on a real charger: production code injects a cryptographic source.
 */

/** A generator of uint32 values seeded with the low 32 bits of `seed`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
