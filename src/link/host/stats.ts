/**
 * Response-time statistics of a hosted session (session summary, bench): median and 99th percentile of
 * the samples, nearest-rank method (the smallest sample ≥ p % of all samples).
 */

/** Summary of a set of time samples (ms). */
export interface TimeStats {
  count: number;
  median: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile `p` (0–100) of ascending `sorted`; 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Count, median, p99 and max of `samples` (ms). Does not modify `samples`. */
export function timeStats(samples: readonly number[]): TimeStats {
  const s = [...samples].sort((a, b) => a - b);
  return {
    count: s.length,
    median: percentile(s, 50),
    p99: percentile(s, 99),
    max: s.length > 0 ? s[s.length - 1]! : 0,
  };
}

/** Round to microseconds (3 decimals of a millisecond) for reports. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
