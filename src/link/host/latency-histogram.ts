/**
 * A mergeable histogram of latency samples (or any non-negative figure) with a bounded relative error, so
 * that the percentiles of several fleet processes (`--shard K/S`) can be combined exactly: merging two
 * histograms gives the histogram of the concatenated samples. Platform-neutral and pure apart from
 * {@link histogramAdd}, which adds in place (the hot path of a worker).
 *
 * Design choice — log-linear buckets, as HdrHistogram: every octave [2^e, 2^(e+1)) of the positive doubles
 * is cut into S equal sub-buckets, S = ceil(1 / (2 · relErr)) (relErr 0.01 → S = 50). A value is reported
 * as the middle of its bucket, which is within half a bucket width of it: |reported − v| / v ≤ 1 / (2S) ≤
 * relErr (up to floating-point rounding at a bucket edge, ~1e-15). 0 has a bucket of its own and is exact;
 * every positive finite double up to Number.MAX_VALUE has a bucket (octaves −1074 … 1023); the bound holds
 * for the normal doubles (≥ 2^−1022 ≈ 2.2e−308: below, the doubles themselves are coarser). Negative
 * values, NaN and ±Infinity are refused (RangeError): a latency is never one.
 *
 * Quantiles are nearest-rank, as `dist()` of the fleet summary (`percentile` of stats.ts): the q-quantile
 * of n samples is the sample of rank max(1, ceil(q · n)) in ascending order. The histogram returns the middle
 * of the bucket that sample lies in, clamped to the exact [min, max] kept beside the buckets, so it is
 * within relErr of the exact nearest-rank quantile; the top rank (q = 1, and p99 of fewer than 100 samples)
 * is the exact max.
 */

/**
 * Percentiles of a set of samples (ms), nearest rank (the sample of rank max(1, ceil(p/100 · n)) in
 * ascending order, as the histograms' quantiles), with count and max; zeros when empty. A fleet summary's
 * figures.
 */
export interface Dist {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The default bound of the relative error: 1 %. */
export const HISTOGRAM_REL_ERR = 0.01;

/** The compact JSON form: sparse buckets `[index, count]` in ascending index order. */
export interface HistogramJson {
  /** What the values are: "ms", "Wh". */
  unit: string;
  /** The bound of the relative error of every quantile. */
  relErr: number;
  /** Samples in all (zeros included). */
  count: number;
  /** Samples equal to 0. */
  zeros: number;
  /** The exact smallest and largest samples (0 when empty). */
  min: number;
  max: number;
  /** Bucket index = e · S + k for the k-th of S sub-buckets of the octave [2^e, 2^(e+1)). */
  buckets: [number, number][];
}

/** A histogram being filled (see {@link histogramAdd}). */
export interface LatencyHistogram {
  readonly unit: string;
  readonly relErr: number;
  /** Sub-buckets per octave. */
  readonly sub: number;
  count: number;
  zeros: number;
  min: number;
  max: number;
  readonly buckets: Map<number, number>;
}

/** An empty histogram of `unit` with relative error `relErr` (0 < relErr < 0.5). */
export function createLatencyHistogram(unit = "ms", relErr = HISTOGRAM_REL_ERR): LatencyHistogram {
  if (!(relErr > 0 && relErr < 0.5)) throw new RangeError(`histogram relErr must be in (0, 0.5): ${relErr}`);
  return {
    unit,
    relErr,
    sub: Math.ceil(1 / (2 * relErr)),
    count: 0,
    zeros: 0,
    min: 0,
    max: 0,
    buckets: new Map(),
  };
}

/** The bucket index of `v` > 0 with `sub` sub-buckets per octave. */
export function bucketIndex(v: number, sub: number): number {
  let e = Math.floor(Math.log2(v));
  // Math.log2 may round across an octave edge: bring 2^e ≤ v < 2^(e+1) back
  if (2 ** e > v) e--;
  else if (2 ** (e + 1) <= v) e++;
  const k = Math.min(sub - 1, Math.max(0, Math.floor((v / 2 ** e - 1) * sub)));
  return e * sub + k;
}

/** The middle of bucket `index` (the value a quantile in it reports). */
export function bucketMiddle(index: number, sub: number): number {
  const e = Math.floor(index / sub);
  const k = index - e * sub;
  return 2 ** e * (1 + (k + 0.5) / sub);
}

/** Add one sample (in place; returns `h`). Negative, NaN and infinite values are refused. */
export function histogramAdd(h: LatencyHistogram, v: number): LatencyHistogram {
  if (!(v >= 0 && v < Number.POSITIVE_INFINITY))
    throw new RangeError(`histogram sample must be finite and ≥ 0: ${v}`);
  if (h.count === 0 || v < h.min) h.min = v;
  if (h.count === 0 || v > h.max) h.max = v;
  h.count++;
  if (v === 0) h.zeros++;
  else {
    const i = bucketIndex(v, h.sub);
    h.buckets.set(i, (h.buckets.get(i) ?? 0) + 1);
  }
  return h;
}

/** A histogram of `xs`. */
export function histogramOf(xs: Iterable<number>, unit = "ms", relErr = HISTOGRAM_REL_ERR): LatencyHistogram {
  const h = createLatencyHistogram(unit, relErr);
  for (const v of xs) histogramAdd(h, v);
  return h;
}

/** The histogram of both sample sets (new; `a` and `b` unchanged). Same unit and relErr required. */
export function mergeHistograms(a: LatencyHistogram, b: LatencyHistogram): LatencyHistogram {
  if (a.unit !== b.unit) throw new RangeError(`cannot merge histograms of ${a.unit} and ${b.unit}`);
  if (a.relErr !== b.relErr)
    throw new RangeError(`cannot merge histograms of relErr ${a.relErr} and ${b.relErr}`);
  const m = createLatencyHistogram(a.unit, a.relErr);
  for (const h of [a, b]) {
    if (h.count === 0) continue;
    m.min = m.count === 0 ? h.min : Math.min(m.min, h.min);
    m.max = m.count === 0 ? h.max : Math.max(m.max, h.max);
    m.count += h.count;
    m.zeros += h.zeros;
    for (const [i, c] of h.buckets) m.buckets.set(i, (m.buckets.get(i) ?? 0) + c);
  }
  return m;
}

/** The nearest-rank q-quantile (0 ≤ q ≤ 1), within relErr of the exact one; 0 when empty. */
export function histogramQuantile(h: LatencyHistogram, q: number): number {
  if (h.count === 0) return 0;
  const rank = Math.min(h.count, Math.max(1, Math.ceil(q * h.count)));
  if (rank <= h.zeros) return 0;
  if (rank === h.count) return h.max;
  let seen = h.zeros;
  for (const i of [...h.buckets.keys()].sort((x, y) => x - y)) {
    seen += h.buckets.get(i)!;
    if (seen >= rank) return Math.min(h.max, Math.max(h.min, bucketMiddle(i, h.sub)));
  }
  return h.max;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Count, p50, p90, p99 (nearest rank, within relErr) and the exact max, rounded as the fleet summary's
 * `dist`.
 */
export function histogramDist(h: LatencyHistogram): Dist {
  const at = (q: number) => r3(histogramQuantile(h, q));
  return { count: h.count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: r3(h.max) };
}

/** The compact JSON form. */
export function histogramToJson(h: LatencyHistogram): HistogramJson {
  return {
    unit: h.unit,
    relErr: h.relErr,
    count: h.count,
    zeros: h.zeros,
    min: h.min,
    max: h.max,
    buckets: [...h.buckets].sort((x, y) => x[0] - y[0]),
  };
}

const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * A histogram from its JSON form (`x` as parsed); throws a RangeError naming `field` and what is wrong
 * (e.g. `rttHistogram.buckets[3]: expected [index, count]`).
 */
export function histogramFromJson(x: unknown, field: string): LatencyHistogram {
  const bad = (what: string) => new RangeError(`${field}: ${what}`);
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw bad("expected a histogram object");
  const o = x as Record<string, unknown>;
  if (typeof o.unit !== "string") throw bad("unit: expected a text value");
  if (typeof o.relErr !== "number" || !(o.relErr > 0 && o.relErr < 0.5))
    throw bad("relErr: expected a number in (0, 0.5)");
  for (const k of ["count", "zeros"] as const) if (!isCount(o[k])) throw bad(`${k}: expected a count`);
  for (const k of ["min", "max"] as const)
    if (typeof o[k] !== "number" || !((o[k] as number) >= 0 && Number.isFinite(o[k])))
      throw bad(`${k}: expected a finite number ≥ 0`);
  if (!Array.isArray(o.buckets)) throw bad("buckets: expected an array of [index, count]");
  const h = createLatencyHistogram(o.unit, o.relErr);
  let n = o.zeros as number;
  const lo = -1074 * h.sub;
  const hi = 1024 * h.sub - 1;
  o.buckets.forEach((b: unknown, j) => {
    if (!Array.isArray(b) || b.length !== 2 || !Number.isSafeInteger(b[0]) || !isCount(b[1]))
      throw bad(`buckets[${j}]: expected [index, count]`);
    if (b[0] < lo || b[0] > hi) throw bad(`buckets[${j}]: index ${b[0]} is outside ${lo} … ${hi}`);
    h.buckets.set(b[0], (h.buckets.get(b[0]) ?? 0) + b[1]);
    n += b[1];
  });
  if ((o.min as number) > (o.max as number)) throw bad(`min: ${o.min} is above max ${o.max}`);
  if (n !== o.count) throw bad(`count: ${o.count} is not zeros + the bucket counts (${n})`);
  h.count = n;
  h.zeros = o.zeros as number;
  h.min = o.min as number;
  h.max = o.max as number;
  return h;
}
