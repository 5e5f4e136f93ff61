import type { BucketSpan, NativeHistogram } from "../remotewrite/model";

/** Prometheus's exponential schemas run from -4 to 8; -53 is custom buckets, which cannot be coarsened. */
const MIN_EXPONENTIAL_SCHEMA = -4;
const MAX_EXPONENTIAL_SCHEMA = 8;

export const BUCKET_LIMIT_ERROR = "histogram bucket limit exceeded";

const isExponential = (schema: number) => schema >= MIN_EXPONENTIAL_SCHEMA && schema <= MAX_EXPONENTIAL_SCHEMA;

/** The highest schema whose growth factor is at least `factor` (Prometheus's pickSchema). */
export function maxSchemaForBucketFactor(factor: number): number {
  const effective = factor <= 1 ? 1.00271 : factor;
  const floor = Math.floor(-Math.log2(Math.log2(effective))) | 0; // `| 0` turns -0 into 0
  return Math.max(MIN_EXPONENTIAL_SCHEMA, Math.min(MAX_EXPONENTIAL_SCHEMA, floor));
}

/**
 * Merges buckets into a coarser schema: bucket i of schema s lands in bucket ((i - 1) >> (s - t)) + 1 of schema t.
 * Counts are absolute, so merging adds them.
 */
export function reduceResolution(histogram: NativeHistogram, targetSchema: number): NativeHistogram {
  const delta = histogram.schema - targetSchema;
  if (delta <= 0) return histogram;
  const positive = rebucket(histogram.positiveSpans, histogram.positiveBuckets, delta);
  const negative = rebucket(histogram.negativeSpans, histogram.negativeBuckets, delta);
  return {
    ...histogram,
    schema: targetSchema,
    positiveSpans: positive.spans,
    positiveBuckets: positive.buckets,
    negativeSpans: negative.spans,
    negativeBuckets: negative.buckets,
  };
}

function rebucket(spans: readonly BucketSpan[], counts: readonly number[], delta: number) {
  const outSpans: BucketSpan[] = [];
  const outCounts: number[] = [];
  let index = 0;
  let k = 0;
  let lastTarget: number | undefined;
  for (const span of spans) {
    index += span.offset;
    for (let j = 0; j < span.length; j++, index++, k++) {
      const target = ((index - 1) >> delta) + 1;
      if (lastTarget === target) {
        outCounts[outCounts.length - 1] += counts[k];
        continue;
      }
      if (lastTarget !== undefined && target === lastTarget + 1) {
        outSpans[outSpans.length - 1] = {
          ...outSpans[outSpans.length - 1],
          length: outSpans[outSpans.length - 1].length + 1,
        };
      } else {
        outSpans.push({ offset: lastTarget === undefined ? target : target - lastTarget - 1, length: 1 });
      }
      outCounts.push(counts[k]);
      lastTarget = target;
    }
  }
  return { spans: outSpans, buckets: outCounts };
}

/** Limits on scraped native histograms (0 = none), from the scrape config. */
export interface NativeHistogramLimits {
  readonly nativeHistogramBucketLimit: number;
  readonly nativeHistogramMinBucketFactor: number;
}

/**
 * Applies Prometheus's limits to a scraped native histogram: first coarsen to the schema the minimum bucket factor
 * allows, then keep coarsening while there are more buckets than the limit. Returns an error when the limit cannot
 * be met (custom buckets, or schema -4 reached), which fails the scrape as in Prometheus.
 */
export function limitNativeHistogram(
  histogram: NativeHistogram,
  limits: NativeHistogramLimits,
): NativeHistogram | { error: string } {
  let h = histogram;
  if (limits.nativeHistogramMinBucketFactor > 0) {
    const maxSchema = maxSchemaForBucketFactor(limits.nativeHistogramMinBucketFactor);
    if (isExponential(h.schema) && h.schema > maxSchema) h = reduceResolution(h, maxSchema);
  }
  const limit = limits.nativeHistogramBucketLimit;
  if (limit > 0) {
    const buckets = () => h.positiveBuckets.length + h.negativeBuckets.length;
    if (buckets() > limit && !isExponential(h.schema)) return { error: BUCKET_LIMIT_ERROR };
    while (buckets() > limit) {
      if (h.schema <= MIN_EXPONENTIAL_SCHEMA) return { error: BUCKET_LIMIT_ERROR };
      h = reduceResolution(h, h.schema - 1);
    }
  }
  return h;
}
