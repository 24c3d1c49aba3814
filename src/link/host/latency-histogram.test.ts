/**
 * The mergeable latency histogram: merge is associative and commutative and equals the histogram of the
 * concatenated samples; every nearest-rank quantile is within relErr of the exact one; 0 and the largest
 * doubles work; negative, NaN and infinite samples are refused; the JSON form round-trips and a bad one is
 * refused naming the field.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  bucketIndex,
  bucketMiddle,
  createLatencyHistogram,
  HISTOGRAM_REL_ERR,
  histogramAdd,
  histogramDist,
  histogramFromJson,
  histogramOf,
  histogramQuantile,
  histogramToJson,
  mergeHistograms,
} from "./latency-histogram.js";

/** Zero, typical latencies (µs … 10 s) and the whole range of normal doubles. */
const sample = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0.001, max: 10_000, noNaN: true }),
  fc.double({ min: 2.3e-308, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }),
);
const samples = fc.array(sample, { maxLength: 200 });
const quantile = fc.double({ min: 0, max: 1, noNaN: true });

/** The exact nearest-rank quantile: the sample of rank max(1, ceil(q · n)) in ascending order. */
const exact = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1]! : 0;
};
const within = (got: number, want: number, relErr: number) =>
  Math.abs(got - want) <= relErr * want * (1 + 1e-12);

test("merge is commutative and associative", () => {
  fc.assert(
    fc.property(samples, samples, samples, (a, b, c) => {
      const [ha, hb, hc] = [histogramOf(a), histogramOf(b), histogramOf(c)];
      assert.deepEqual(histogramToJson(mergeHistograms(ha, hb)), histogramToJson(mergeHistograms(hb, ha)));
      assert.deepEqual(
        histogramToJson(mergeHistograms(mergeHistograms(ha, hb), hc)),
        histogramToJson(mergeHistograms(ha, mergeHistograms(hb, hc))),
      );
    }),
  );
});

test("the merged histogram is the histogram of the concatenated samples, quantile for quantile", () => {
  fc.assert(
    fc.property(samples, samples, quantile, (a, b, q) => {
      const merged = mergeHistograms(histogramOf(a), histogramOf(b));
      const whole = histogramOf([...a, ...b]);
      assert.deepEqual(histogramToJson(merged), histogramToJson(whole));
      assert.equal(histogramQuantile(merged, q), histogramQuantile(whole, q));
    }),
  );
});

test("every quantile is within relErr of the exact nearest-rank quantile (1 %, and 5 %)", () => {
  fc.assert(
    fc.property(samples, quantile, fc.constantFrom(HISTOGRAM_REL_ERR, 0.05), (xs, q, relErr) => {
      const got = histogramQuantile(histogramOf(xs, "ms", relErr), q);
      const want = exact(xs, q);
      assert.ok(within(got, want, relErr), `q ${q}: ${got} vs exact ${want}`);
    }),
  );
});

test("a bucket holds its values: middle within 1 / (2S) of every value in it, octave edges exact", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 2.3e-308, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }),
      (v) => {
        const m = bucketMiddle(bucketIndex(v, 50), 50);
        assert.ok(within(m, v, 0.01), `${v} → ${m}`);
      },
    ),
  );
  assert.equal(bucketIndex(1, 50), 0);
  assert.equal(bucketIndex(2, 50), 50);
  assert.equal(bucketIndex(0.5, 50), -50);
  assert.equal(bucketIndex(1.999_999_999, 50), 49);
});

test("0 and the largest double work; negative, NaN and infinite samples are refused", () => {
  const h = histogramOf([0, 0, Number.MAX_VALUE, 5]);
  assert.equal(histogramQuantile(h, 0.5), 0);
  assert.equal(histogramQuantile(h, 1), Number.MAX_VALUE);
  assert.ok(within(histogramQuantile(h, 0.75), 5, 0.01));
  assert.deepEqual(histogramDist(createLatencyHistogram()), { count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  for (const v of [-1, -Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY])
    assert.throws(() => histogramAdd(createLatencyHistogram(), v), /must be finite and ≥ 0/);
  assert.throws(
    () => mergeHistograms(createLatencyHistogram("ms"), createLatencyHistogram("Wh")),
    /ms and Wh/,
  );
});

test("JSON: sparse, round-trips through JSON.stringify; a bad one is refused naming the field", () => {
  fc.assert(
    fc.property(samples, (xs) => {
      const j = histogramToJson(histogramOf(xs));
      const back = histogramFromJson(JSON.parse(JSON.stringify(j)), "rttHistogram");
      assert.deepEqual(histogramToJson(back), j);
    }),
  );
  const j = histogramToJson(histogramOf([0, 1, 1, 1.005, 250]));
  assert.deepEqual(j, {
    unit: "ms",
    relErr: 0.01,
    count: 5,
    zeros: 1,
    min: 0,
    max: 250,
    buckets: [
      [0, 3],
      [397, 1],
    ],
  });
  const bad = (x: unknown, re: RegExp) => assert.throws(() => histogramFromJson(x, "rttHistogram"), re);
  bad(null, /^RangeError: rttHistogram: expected a histogram object/);
  bad({ ...j, count: 6 }, /rttHistogram: count: 6 is not zeros \+ the bucket counts \(5\)/);
  bad({ ...j, buckets: [[0, 3], [1]] }, /rttHistogram: buckets\[1\]: expected \[index, count\]/);
  bad({ ...j, buckets: [[1e9, 4]] }, /rttHistogram: buckets\[0\]: index 1000000000 is outside/);
  bad({ ...j, relErr: 0 }, /rttHistogram: relErr/);
  bad({ ...j, min: 300 }, /rttHistogram: min: 300 is above max 250/);
});
