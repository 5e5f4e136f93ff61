import { almostEqual } from "./compare";

/** One bucket of a classic histogram: a float series with an `le` label. `count` is cumulative. */
export interface ClassicBucket {
  upperBound: number;
  count: number;
}

/**
 * What bucketQuantile had to repair. `forcedMonotonic`: some cumulative count was lower than the one before it and
 * was raised (PromQL's info "input to histogram_quantile needed to be fixed for monotonicity"); `minBucket` /
 * `maxBucket` are the lowest and highest upper bounds raised and `maxDiff` the largest amount. `fixedPrecision`:
 * differences of relative size ≤ 1e-12 were ignored as floating-point noise (silently).
 */
export interface MonotonicityFix {
  forcedMonotonic: boolean;
  fixedPrecision: boolean;
  minBucket: number;
  maxBucket: number;
  maxDiff: number;
}

export interface BucketQuantileResult extends MonotonicityFix {
  value: number;
}

/** Relative differences between neighbouring cumulative counts at most this large are floating-point noise. */
export const SMALL_DELTA_TOLERANCE = 1e-12;

/**
 * histogram_quantile over the `le` buckets of one classic histogram (`buckets` is sorted in place). q < 0 → -Inf,
 * q > 1 → +Inf, NaN q → NaN; no +Inf bucket, fewer than two buckets or no observations → NaN. Buckets with the same
 * bound are merged, tiny non-monotonic noise ignored and real decreases flattened (reported). The value is
 * interpolated linearly; in the +Inf bucket the second-highest bound is returned; the lowest bucket reaches down to 0
 * if its bound is positive and otherwise yields its bound.
 */
export function bucketQuantile(q: number, buckets: ClassicBucket[]): BucketQuantileResult {
  const noFix: MonotonicityFix = {
    forcedMonotonic: false,
    fixedPrecision: false,
    minBucket: 0,
    maxBucket: 0,
    maxDiff: 0,
  };
  if (Number.isNaN(q)) return { value: NaN, ...noFix };
  if (q < 0) return { value: -Infinity, ...noFix };
  if (q > 1) return { value: Infinity, ...noFix };
  if (buckets.length === 0) return { value: NaN, ...noFix };
  buckets.sort((a, b) => a.upperBound - b.upperBound);
  if (buckets[buckets.length - 1].upperBound !== Infinity) return { value: NaN, ...noFix };
  const merged = coalesceBuckets(buckets);
  const fix = ensureMonotonicAndIgnoreSmallDeltas(merged, SMALL_DELTA_TOLERANCE);
  if (merged.length < 2) return { value: NaN, ...fix };
  const observations = merged[merged.length - 1].count;
  if (observations === 0) return { value: NaN, ...fix };
  let rank = q * observations;
  // First bucket (excluding +Inf) whose cumulative count reaches the rank.
  let b = 0;
  let hi = merged.length - 1;
  while (b < hi) {
    const mid = (b + hi) >> 1;
    if (merged[mid].count >= rank) hi = mid;
    else b = mid + 1;
  }
  if (b === merged.length - 1) return { value: merged[merged.length - 2].upperBound, ...fix };
  if (b === 0 && merged[0].upperBound <= 0) return { value: merged[0].upperBound, ...fix };
  let start = 0;
  const end = merged[b].upperBound;
  let count = merged[b].count;
  if (b > 0) {
    start = merged[b - 1].upperBound;
    count -= merged[b - 1].count;
    rank -= merged[b - 1].count;
  }
  return { value: start + (end - start) * (rank / count), ...fix };
}

/**
 * histogram_fraction(lower, upper) over the `le` buckets of one classic histogram (sorted in place), interpolating
 * linearly; the lowest bucket reaches down to 0 if its bound is positive, otherwise to -Inf (and then counts fully).
 */
export function bucketFraction(lower: number, upper: number, buckets: ClassicBucket[]): number {
  if (buckets.length === 0) return NaN;
  buckets.sort((a, b) => a.upperBound - b.upperBound);
  if (buckets[buckets.length - 1].upperBound !== Infinity) return NaN;
  const merged = coalesceBuckets(buckets);
  const count = merged[merged.length - 1].count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let lowerBound = merged[0].upperBound <= 0 ? -Infinity : 0;
  for (let i = 0; i < merged.length; i++) {
    const b = merged[i];
    if (i > 0) lowerBound = merged[i - 1].upperBound;
    const upperBound = b.upperBound;
    const interpolate = (v: number): number =>
      lowerBound === -Infinity ? b.count : rank + ((b.count - rank) * (v - lowerBound)) / (upperBound - lowerBound);
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

/** Sorted buckets with equal bounds merged (their counts added). */
function coalesceBuckets(sorted: readonly ClassicBucket[]): ClassicBucket[] {
  const out: ClassicBucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else out.push({ upperBound: b.upperBound, count: b.count });
  }
  return out;
}

/**
 * Ignores differences between neighbouring counts that are within `tolerance` (relative), in either direction, then
 * raises any count below the last accepted one to it. The last accepted count is not moved by either repair.
 */
function ensureMonotonicAndIgnoreSmallDeltas(buckets: ClassicBucket[], tolerance: number): MonotonicityFix {
  const fix: MonotonicityFix = {
    forcedMonotonic: false,
    fixedPrecision: false,
    minBucket: Infinity,
    maxBucket: -Infinity,
    maxDiff: 0,
  };
  let prev = buckets[0].count;
  for (let i = 1; i < buckets.length; i++) {
    const curr = buckets[i].count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, tolerance)) {
      buckets[i].count = prev;
      fix.fixedPrecision = true;
      continue;
    }
    if (curr < prev) {
      buckets[i].count = prev;
      fix.forcedMonotonic = true;
      fix.minBucket = Math.min(fix.minBucket, buckets[i].upperBound);
      fix.maxBucket = Math.max(fix.maxBucket, buckets[i].upperBound);
      fix.maxDiff = Math.max(fix.maxDiff, prev - curr);
      continue;
    }
    prev = curr;
  }
  return fix;
}
