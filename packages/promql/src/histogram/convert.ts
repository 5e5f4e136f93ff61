import type { FloatHistogram, HistogramBucket, HistogramSpan } from "./types";
import { allBuckets } from "./buckets";
import { makeHistogram } from "./types";

/** An integer histogram as the exposition formats, remote write and TSDB chunks carry it: bucket counts as deltas. */
export interface IntegerHistogramFields {
  counterResetHint?: FloatHistogram["counterResetHint"];
  schema: number;
  zeroThreshold?: number;
  zeroCount?: number;
  count: number;
  sum: number;
  positiveSpans?: HistogramSpan[];
  /** Each count relative to the previous bucket of the same side (the first is absolute). */
  positiveDeltas?: number[];
  negativeSpans?: HistogramSpan[];
  negativeDeltas?: number[];
  customValues?: readonly number[];
}

/** The float histogram PromQL works with for an integer histogram (deltas summed into absolute counts). */
export function histogramFromDeltas(h: IntegerHistogramFields): FloatHistogram {
  const absolute = (deltas: readonly number[] = []): number[] => {
    let current = 0;
    return deltas.map((d) => (current += d));
  };
  return makeHistogram({
    counterResetHint: h.counterResetHint,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    count: h.count,
    sum: h.sum,
    positiveSpans: h.positiveSpans,
    positiveBuckets: absolute(h.positiveDeltas),
    negativeSpans: h.negativeSpans,
    negativeBuckets: absolute(h.negativeDeltas),
    customValues: h.customValues,
  });
}

/** Absolute counts back to deltas, for encoders that want the integer form. */
export function countsToDeltas(counts: readonly number[]): number[] {
  let previous = 0;
  return counts.map((c) => {
    const d = c - previous;
    previous = c;
    return d;
  });
}

/**
 * The buckets in ascending order with cumulative counts, the way a classic histogram presents them (`le` upper
 * bounds); the last entry has upper bound +Inf only if the histogram has a bucket reaching it. Empty buckets are kept.
 */
export function cumulativeBuckets(h: FloatHistogram): (HistogramBucket & { cumulativeCount: number })[] {
  let running = 0;
  return allBuckets(h).map((b) => ({ ...b, cumulativeCount: (running += b.count) }));
}
