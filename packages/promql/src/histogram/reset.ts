import { customBoundsMatch, intersectCustomBounds, mapOntoBounds, sameBucketLayout } from "./arithmetic";
import { spanBuckets } from "./buckets";
import type { IndexedCount } from "./buckets";
import { exponentialBound } from "./bounds";
import { reduceBucketsResolution } from "./resolution";
import type { FloatHistogram, HistogramSpan } from "./types";
import { usesCustomBuckets } from "./types";
import { zeroCountForLargerThreshold } from "./zero-bucket";

/**
 * Whether there was a counter reset between `previous` and `current` (Prometheus's DetectReset). An explicit hint on
 * `current` decides (counterReset → true, notCounterReset → false); otherwise (unknown, and gauge, which PromQL then
 * treats as a counter) it is a reset when the count drops, or any bucket (the zero bucket included) drops or vanishes
 * while populated. The sum is not looked at: negative observations may lower it. A higher resolution, a narrower zero
 * bucket, a wider zero bucket that cuts through a populated bucket, or a switch to custom buckets can only come from a
 * reset. A lower resolution or wider zero bucket is reconciled first; custom buckets with different bounds are
 * compared on the bounds they share.
 */
export function detectCounterReset(current: FloatHistogram, previous: FloatHistogram): boolean {
  if (current.counterResetHint === "counterReset") return true;
  if (current.counterResetHint === "notCounterReset") return false;
  if (current.count < previous.count) return true;
  if (sameBucketLayout(current, previous)) {
    // Same layout (consecutive samples of a series, nearly always): compare element by element.
    if (current.zeroCount < previous.zeroCount) return true;
    for (let i = 0; i < current.positiveBuckets.length; i++) {
      if (current.positiveBuckets[i] < previous.positiveBuckets[i]) return true;
    }
    for (let i = 0; i < current.negativeBuckets.length; i++) {
      if (current.negativeBuckets[i] < previous.negativeBuckets[i]) return true;
    }
    return false;
  }
  if (usesCustomBuckets(current)) {
    if (!usesCustomBuckets(previous)) return true;
    if (!customBoundsMatch(current.customValues, previous.customValues)) {
      const bounds = intersectCustomBounds(current.customValues, previous.customValues);
      const curr = new Array<number>(bounds.length + 1).fill(0);
      const prev = new Array<number>(bounds.length + 1).fill(0);
      mapOntoBounds(current, bounds, curr, 1);
      mapOntoBounds(previous, bounds, prev, 1);
      return curr.some((c, i) => c < prev[i]);
    }
    return sideReset(
      spanBuckets(current.positiveSpans, current.positiveBuckets),
      spanBuckets(previous.positiveSpans, previous.positiveBuckets),
    );
  }
  if (usesCustomBuckets(previous)) return true;
  if (current.schema > previous.schema) return true;
  if (current.zeroThreshold < previous.zeroThreshold) return true;
  const prevZero = zeroCountForLargerThreshold(previous, current.zeroThreshold);
  if (prevZero.threshold !== current.zeroThreshold) return true;
  if (current.zeroCount < prevZero.count) return true;
  const side = (
    currSpans: HistogramSpan[],
    currCounts: number[],
    prevSpans: HistogramSpan[],
    prevCounts: number[],
  ): boolean => {
    const prev =
      previous.schema === current.schema
        ? { spans: prevSpans, counts: prevCounts }
        : reduceBucketsResolution(prevSpans, prevCounts, previous.schema, current.schema);
    return sideReset(
      aboveThreshold(spanBuckets(currSpans, currCounts), current.schema, current.zeroThreshold),
      aboveThreshold(spanBuckets(prev.spans, prev.counts), current.schema, current.zeroThreshold),
    );
  };
  return (
    side(current.positiveSpans, current.positiveBuckets, previous.positiveSpans, previous.positiveBuckets) ||
    side(current.negativeSpans, current.negativeBuckets, previous.negativeSpans, previous.negativeBuckets)
  );
}

function aboveThreshold(entries: IndexedCount[], schema: number, threshold: number): IndexedCount[] {
  if (threshold === 0) return entries;
  let i = 0;
  while (i < entries.length && exponentialBound(entries[i].index, schema) <= threshold) i++;
  return entries.slice(i);
}

/** A populated previous bucket that is missing now, or any bucket whose count dropped. */
function sideReset(current: IndexedCount[], previous: IndexedCount[]): boolean {
  const byIndex = new Map<number, number>();
  for (const b of current) byIndex.set(b.index, b.count);
  for (const p of previous) {
    const c = byIndex.get(p.index);
    if (c === undefined ? p.count !== 0 : c < p.count) return true;
  }
  return false;
}
