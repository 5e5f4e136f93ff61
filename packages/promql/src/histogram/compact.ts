import { spanBuckets, toSpans } from "./buckets";
import type { FloatHistogram } from "./types";
import { copyHistogram } from "./types";

/**
 * A copy without empty buckets and with the fewest spans: gaps of at most `maxEmptyBuckets` empty buckets are kept
 * inside a span instead of starting a new one (Prometheus's Compact). The test runner compares compacted histograms,
 * and PromQL compacts the results of rate, sum and the like; the bucket layout is otherwise not significant.
 */
export function compactHistogram(h: FloatHistogram, maxEmptyBuckets = 0): FloatHistogram {
  const out = copyHistogram(h);
  const pos = toSpans(spanBuckets(h.positiveSpans, h.positiveBuckets), false, maxEmptyBuckets);
  const neg = toSpans(spanBuckets(h.negativeSpans, h.negativeBuckets), false, maxEmptyBuckets);
  out.positiveSpans = pos.spans;
  out.positiveBuckets = pos.counts;
  out.negativeSpans = neg.spans;
  out.negativeBuckets = neg.counts;
  return out;
}
