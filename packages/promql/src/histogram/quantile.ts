import { allBuckets } from "./buckets";
import type { FloatHistogram, HistogramBucket } from "./types";
import { usesCustomBuckets } from "./types";

/**
 * NaN observations seen by histogram_quantile. "skewedHigher": the result is in a real bucket but NaNs (counted as
 * +Inf) pushed it up; "resultIsNaN": the quantile lies above every bucket, among the NaNs. PromQL reports them as the
 * infos "input to histogram_quantile has NaN observations, result is skewed higher" / "..., result is NaN".
 */
export type QuantileNaNNote = "skewedHigher" | "resultIsNaN";

export interface HistogramQuantileResult {
  value: number;
  nanObservations?: QuantileNaNNote;
}

const NO_BUCKET: HistogramBucket = {
  lower: 0,
  upper: 0,
  lowerInclusive: false,
  upperInclusive: false,
  count: 0,
  index: 0,
};

/**
 * histogram_quantile for one native histogram: q < 0 → -Inf, q > 1 → +Inf, NaN q or no observations → NaN. The
 * bucket holding the rank is found walking from the nearer end (always from below when NaN observations may exist,
 * i.e. sum is NaN). Within an exponential bucket the value is interpolated exponentially (as if the bucket were split
 * at higher resolution with equal populations); within custom buckets and the zero bucket linearly. A populated zero
 * bucket is taken to hold only positive (negative) values when only positive (negative) buckets exist. For custom
 * buckets, the lowest bucket reaches down to 0 when its upper bound is positive and otherwise yields its upper bound;
 * the overflow bucket yields its lower bound.
 */
export function histogramQuantile(q: number, h: FloatHistogram): HistogramQuantileResult {
  if (q < 0) return { value: -Infinity };
  if (q > 1) return { value: Infinity };
  if (h.count === 0 || Number.isNaN(q)) return { value: NaN };

  const forward = Number.isNaN(h.sum) || q < 0.5;
  const buckets = allBuckets(h);
  if (!forward) buckets.reverse();
  let rank = forward ? q * h.count : (1 - q) * h.count;
  let bucket = NO_BUCKET;
  let count = 0;
  let i = 0;
  for (; i < buckets.length; i++) {
    bucket = buckets[i];
    if (bucket.count === 0) continue;
    count += bucket.count;
    if (count >= rank) break;
  }
  const custom = usesCustomBuckets(h);
  let lower = bucket.lower;
  let upper = bucket.upper;
  if (!custom && lower < 0 && upper > 0) {
    if (h.negativeBuckets.length === 0 && h.positiveBuckets.length > 0) lower = 0;
    else if (h.positiveBuckets.length === 0 && h.negativeBuckets.length > 0) upper = 0;
  } else if (custom) {
    if (lower === -Infinity) {
      if (upper <= 0) return { value: upper };
      lower = 0;
    } else if (upper === Infinity) {
      return { value: lower };
    }
  }
  if (count > h.count) count = h.count;
  if (count < rank) {
    // The buckets ran out before the rank: the rest of the count are NaN observations (or rounding).
    if (Number.isNaN(h.sum)) return { value: NaN, nanObservations: "resultIsNaN" };
    return { value: upper };
  }
  if (forward) rank -= count - bucket.count;
  else rank = count - rank;

  let nanObservations: QuantileNaNNote | undefined;
  if (Number.isNaN(h.sum)) {
    // A NaN sum may also come from observing both +Inf and -Inf; only a bucket total short of the count means NaNs.
    let total = count;
    for (let j = i + 1; j < buckets.length; j++) total += buckets[j].count;
    if (total < h.count) nanObservations = "skewedHigher";
  }
  const fraction = rank / bucket.count;
  let value: number;
  if (custom || (lower <= 0 && upper >= 0)) {
    value = lower + (upper - lower) * fraction;
  } else {
    const logLower = Math.log2(Math.abs(lower));
    const logUpper = Math.log2(Math.abs(upper));
    value =
      lower > 0
        ? 2 ** (logLower + (logUpper - logLower) * fraction)
        : -(2 ** (logUpper + (logLower - logUpper) * (1 - fraction)));
  }
  return nanObservations ? { value, nanObservations } : { value };
}

export interface HistogramFractionResult {
  value: number;
  /**
   * The histogram has NaN observations (sum is NaN and the buckets hold fewer than count); they are outside every
   * range. PromQL's info: "input to histogram_fraction has NaN observations, which are excluded from all fractions".
   */
  nanObservationsExcluded: boolean;
}

/**
 * histogram_fraction(lower, upper) for one native histogram: the estimated share of observations in [lower, upper],
 * with the same interpolation as histogramQuantile. No observations or a NaN bound → NaN; lower ≥ upper → 0.
 */
export function histogramFraction(lower: number, upper: number, h: FloatHistogram): HistogramFractionResult {
  if (h.count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) {
    return { value: NaN, nanObservationsExcluded: false };
  }
  if (lower >= upper) return { value: 0, nanObservationsExcluded: false };
  const custom = usesCustomBuckets(h);
  let count = 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  const buckets = allBuckets(h);
  let i = 0;
  for (; i < buckets.length; i++) {
    const b = buckets[i];
    count += b.count;
    let bLower = b.lower;
    let bUpper = b.upper;
    let zeroBucket = false;
    if (bLower <= 0 && bUpper >= 0) {
      zeroBucket = true;
      if (h.negativeBuckets.length === 0 && h.positiveBuckets.length > 0) bLower = 0;
      else if (h.positiveBuckets.length === 0 && h.negativeBuckets.length > 0) bUpper = 0;
    }
    const interpolate = (v: number): number => {
      if (custom || zeroBucket) {
        if (bLower === -Infinity) return b.count;
        return rank + (b.count * (v - bLower)) / (bUpper - bLower);
      }
      const logLower = Math.log2(Math.abs(bLower));
      const logUpper = Math.log2(Math.abs(bUpper));
      const logV = Math.log2(Math.abs(v));
      const fraction =
        v > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - (logV - logUpper) / (logLower - logUpper);
      return rank + b.count * fraction;
    };
    if (!lowerSet && bLower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && bLower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && bLower < lower && bUpper > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && bLower < upper && bUpper > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += b.count;
  }
  let nanObservationsExcluded = false;
  if (Number.isNaN(h.sum)) {
    for (let j = i + 1; j < buckets.length; j++) count += buckets[j].count;
    nanObservationsExcluded = count < h.count;
  } else {
    count = h.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return { value: (upperRank - lowerRank) / h.count, nanObservationsExcluded };
}
