import { allBuckets } from "./buckets";
import { kahanSumInc } from "../kahan";
import type { FloatHistogram, HistogramBucket } from "./types";
import { usesCustomBuckets } from "./types";

/** histogram_avg: the mean observation, sum / count (NaN for an empty histogram). */
export function histogramAvg(h: FloatHistogram): number {
  return h.sum / h.count;
}

/**
 * histogram_stdvar: the estimated variance of the observations, every observation taken at a representative value of
 * its bucket (bucketRepresentative) and deviations measured from sum / count.
 */
export function histogramStdVar(h: FloatHistogram): number {
  const mean = h.sum / h.count;
  let sum = 0;
  const c = new Float64Array(1);
  for (const b of allBuckets(h)) {
    if (b.count === 0) continue;
    const delta = bucketRepresentative(h, b) - mean;
    sum = kahanSumInc(b.count * delta * delta, sum, c);
  }
  return (sum + c[0]) / h.count;
}

/** histogram_stddev: the square root of histogramStdVar. */
export function histogramStdDev(h: FloatHistogram): number {
  return Math.sqrt(histogramStdVar(h));
}

/**
 * The value all observations in a bucket are assumed to have for variance estimates, as Prometheus takes it: the
 * geometric mean of the boundaries for exponential buckets (negated on the negative side), 0 in the zero bucket, the
 * arithmetic mean for custom buckets, which makes a populated open-ended custom bucket (±Inf boundary) give an
 * infinite (or, with both ends open, NaN) variance.
 */
export function bucketRepresentative(h: FloatHistogram, b: HistogramBucket): number {
  if (usesCustomBuckets(h)) return (b.lower + b.upper) / 2;
  if (b.lower <= 0 && b.upper >= 0) return 0;
  const g = Math.sqrt(b.upper * b.lower);
  return b.upper < 0 ? -g : g;
}
