import { customLowerBound, customUpperBound, exponentialBound } from "./bounds";
import type { FloatHistogram, HistogramBucket, HistogramSpan } from "./types";
import { usesCustomBuckets } from "./types";

/** A bucket index with its count, the form most operations work on. */
export interface IndexedCount {
  index: number;
  count: number;
}

/** The buckets described by spans + counts as absolute indices, ascending. Spans longer than the counts are cut. */
export function spanBuckets(spans: readonly HistogramSpan[], counts: readonly number[]): IndexedCount[] {
  const out: IndexedCount[] = [];
  let index = 0;
  let k = 0;
  for (let s = 0; s < spans.length; s++) {
    index += spans[s].offset;
    for (let j = 0; j < spans[s].length; j++) {
      if (k >= counts.length) return out;
      out.push({ index, count: counts[k++] });
      index++;
    }
  }
  return out;
}

/**
 * Spans and counts for buckets given in ascending index order. Buckets whose count is 0 are dropped unless
 * `keepEmpty`; gaps of at most `maxEmptyBuckets` are filled with explicit empty buckets instead of a new span.
 */
export function toSpans(
  entries: readonly IndexedCount[],
  keepEmpty = true,
  maxEmptyBuckets = 0,
): { spans: HistogramSpan[]; counts: number[] } {
  const spans: HistogramSpan[] = [];
  const counts: number[] = [];
  let last = 0;
  for (const e of entries) {
    if (!keepEmpty && e.count === 0) continue;
    if (spans.length === 0) {
      spans.push({ offset: e.index, length: 1 });
    } else {
      const gap = e.index - last - 1;
      if (gap <= maxEmptyBuckets) {
        const span = spans[spans.length - 1];
        for (let g = 0; g < gap; g++) counts.push(0);
        span.length += gap + 1;
      } else {
        spans.push({ offset: gap, length: 1 });
      }
    }
    counts.push(e.count);
    last = e.index;
  }
  return { spans, counts };
}

/**
 * Positive buckets in ascending order. For custom buckets these are all the buckets (their boundaries may be
 * negative).
 */
export function positiveBuckets(h: FloatHistogram): HistogramBucket[] {
  const out: HistogramBucket[] = [];
  const custom = usesCustomBuckets(h);
  let index = 0;
  let k = 0;
  // Walk the spans directly (no intermediate list): this runs for every quantile and fraction.
  let lowerBound = NaN;
  for (const span of h.positiveSpans) {
    index += span.offset;
    for (let j = 0; j < span.length && k < h.positiveBuckets.length; j++, index++) {
      const count = h.positiveBuckets[k++];
      if (custom) {
        out.push({
          lower: customLowerBound(index, h.customValues),
          upper: customUpperBound(index, h.customValues),
          lowerInclusive: index === 0,
          upperInclusive: true,
          count,
          index,
        });
        continue;
      }
      // Consecutive buckets share a boundary: compute each boundary once.
      const lower = j === 0 || Number.isNaN(lowerBound) ? exponentialBound(index - 1, h.schema) : lowerBound;
      const upper = exponentialBound(index, h.schema);
      lowerBound = upper;
      out.push({ lower, upper, lowerInclusive: false, upperInclusive: true, count, index });
    }
    lowerBound = NaN;
  }
  return out;
}

/** Negative buckets going away from zero (ascending index, descending value). Empty for custom buckets. */
export function negativeBuckets(h: FloatHistogram): HistogramBucket[] {
  if (usesCustomBuckets(h)) return [];
  return spanBuckets(h.negativeSpans, h.negativeBuckets).map(({ index, count }) => ({
    lower: -exponentialBound(index, h.schema),
    upper: -exponentialBound(index - 1, h.schema),
    lowerInclusive: true,
    upperInclusive: false,
    count,
    index,
  }));
}

/** The zero bucket, [-zeroThreshold, zeroThreshold]. */
export function zeroBucket(h: FloatHistogram): HistogramBucket {
  return {
    lower: -h.zeroThreshold,
    upper: h.zeroThreshold,
    lowerInclusive: true,
    upperInclusive: true,
    count: h.zeroCount,
    index: 0,
  };
}

/**
 * Every bucket in ascending order of value: negative buckets, the zero bucket (only if populated, as Prometheus's
 * AllBucketIterator) and positive buckets. Regular buckets that reach into the zero bucket are cut at its threshold.
 */
export function allBuckets(h: FloatHistogram): HistogramBucket[] {
  const out: HistogramBucket[] = [];
  const neg = negativeBuckets(h);
  for (let i = neg.length - 1; i >= 0; i--) out.push(clipToZeroBucket(neg[i], h.zeroThreshold));
  if (h.zeroCount > 0 && !usesCustomBuckets(h)) out.push(zeroBucket(h));
  for (const b of positiveBuckets(h)) out.push(clipToZeroBucket(b, h.zeroThreshold));
  return out;
}

/** allBuckets in descending order of value. */
export function allBucketsReverse(h: FloatHistogram): HistogramBucket[] {
  return allBuckets(h).reverse();
}

function clipToZeroBucket(b: HistogramBucket, threshold: number): HistogramBucket {
  if (b.upper < 0 && b.upper > -threshold) return { ...b, upper: -threshold };
  if (b.lower > 0 && b.lower < threshold) return { ...b, lower: threshold };
  return b;
}

/** A bucket as Prometheus prints it: `(0.5,1]:2`, `[-1,-0.5):3`, zero bucket `[-0.001,0.001]:1`. */
export function formatBucket(b: HistogramBucket, formatNumber: (v: number) => string): string {
  return (
    (b.lowerInclusive ? "[" : "(") +
    formatNumber(b.lower) +
    "," +
    formatNumber(b.upper) +
    (b.upperInclusive ? "]" : ")") +
    ":" +
    formatNumber(b.count)
  );
}
