/**
 * Operations per second of process CPU time: the median (and extremes) of 7 samples of ≥ 200 ms after a
 * 500 ms warm-up. `batch` operations run between two clock reads (for fast operations).
 */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Rate of `op` per CPU second. */
export function cpuRate(op: () => void, batch = 1): { median: number; min: number; max: number } {
  const w0 = cpuMs();
  while (cpuMs() - w0 < 500) op();
  const rates: number[] = [];
  for (let s = 0; s < 7; s++) {
    const t0 = cpuMs();
    let n = 0;
    while (cpuMs() - t0 < 200) {
      for (let i = 0; i < batch; i++) op();
      n += batch;
    }
    rates.push((n * 1000) / (cpuMs() - t0));
  }
  rates.sort((a, b) => a - b);
  return { median: Math.round(rates[3]!), min: Math.round(rates[0]!), max: Math.round(rates[6]!) };
}
