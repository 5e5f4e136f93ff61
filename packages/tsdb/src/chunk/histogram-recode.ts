import { bucketIndexes, type Span } from "./histogram-types";

/**
 * Bucket-layout arithmetic for appending a histogram whose buckets differ from the open chunk's (Prometheus's
 * forward/backward inserts, `expandSpansBothWays`): the chunk takes the union of both layouts, earlier samples are
 * re-coded with zero counts in the new buckets, and the new sample gets zeros for chunk buckets it lacks.
 */
export interface LayoutUnion {
  /** Spans of the union layout. */
  spans: Span[];
  indexes: number[];
  /** True when the chunk's samples need re-coding (the union has buckets the chunk lacks). */
  grows: boolean;
}

export function unionLayout(chunkSpans: readonly Span[], sampleSpans: readonly Span[]): LayoutUnion {
  const a = bucketIndexes(chunkSpans);
  const b = bucketIndexes(sampleSpans);
  const union: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) union.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) union.push(b[j++]);
    else {
      union.push(a[i++]);
      j++;
    }
  }
  const grows = union.length > a.length;
  // Keep the spans as written when one side already is the union (as Prometheus does), else build canonical ones.
  let spans: Span[];
  if (union.length === b.length) spans = sampleSpans.map((s) => ({ ...s }));
  else if (!grows) spans = chunkSpans.map((s) => ({ ...s }));
  else spans = spansFromIndexes(union);
  return { spans, indexes: union, grows };
}

/** Canonical spans for ascending bucket indexes: gaps become offsets, runs become lengths. */
export function spansFromIndexes(indexes: readonly number[]): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (let k = 0; k < indexes.length; k++) {
    const idx = indexes[k];
    if (spans.length > 0 && idx === last + 1) spans[spans.length - 1].length++;
    else spans.push({ offset: spans.length === 0 ? idx : idx - last - 1, length: 1 });
    last = idx;
  }
  return spans;
}

/** Absolute counts placed on a wider layout, zero where the original had no bucket. */
export function expandAbsolute(values: readonly number[], from: readonly Span[], to: readonly number[]): number[] {
  const byIndex = new Map<number, number>();
  bucketIndexes(from).forEach((idx, k) => byIndex.set(idx, values[k]));
  return to.map((idx) => byIndex.get(idx) ?? 0);
}
