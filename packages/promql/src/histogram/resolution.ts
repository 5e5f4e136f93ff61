import { spanBuckets, toSpans } from "./buckets";
import type { IndexedCount } from "./buckets";
import { targetIndex } from "./bounds";
import { HistogramSchemaError } from "./errors";
import type { FloatHistogram, HistogramSpan } from "./types";
import { copyHistogram, isCustomBucketsSchema, usesCustomBuckets } from "./types";

/** Merges the buckets of one side into the buckets of the lower-resolution `targetSchema`. */
export function reduceBucketsResolution(
  spans: readonly HistogramSpan[],
  counts: readonly number[],
  originSchema: number,
  targetSchema: number,
): { spans: HistogramSpan[]; counts: number[] } {
  const merged: IndexedCount[] = [];
  for (const { index, count } of spanBuckets(spans, counts)) {
    const t = targetIndex(index, originSchema, targetSchema);
    const last = merged[merged.length - 1];
    if (last && last.index === t) last.count += count;
    else merged.push({ index: t, count });
  }
  return toSpans(merged, true);
}

/**
 * A copy with the lower resolution `targetSchema` (≤ the histogram's schema), neighbouring buckets merged. Custom
 * buckets cannot change schema.
 */
export function reduceResolution(h: FloatHistogram, targetSchema: number): FloatHistogram {
  if (targetSchema === h.schema) return copyHistogram(h);
  if (usesCustomBuckets(h) || isCustomBucketsSchema(targetSchema)) {
    throw new HistogramSchemaError(`cannot change the schema of custom buckets (${h.schema} to ${targetSchema})`);
  }
  if (targetSchema > h.schema) {
    throw new HistogramSchemaError(`cannot raise the resolution from schema ${h.schema} to ${targetSchema}`);
  }
  const out = copyHistogram(h);
  const pos = reduceBucketsResolution(h.positiveSpans, h.positiveBuckets, h.schema, targetSchema);
  const neg = reduceBucketsResolution(h.negativeSpans, h.negativeBuckets, h.schema, targetSchema);
  out.schema = targetSchema;
  out.positiveSpans = pos.spans;
  out.positiveBuckets = pos.counts;
  out.negativeSpans = neg.spans;
  out.negativeBuckets = neg.counts;
  return out;
}
