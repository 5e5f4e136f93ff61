/**
 * Native histograms, Prometheus's model (`model/histogram`). Integer histograms keep buckets delta-encoded (the first
 * bucket of each sign absolute, then the difference to the previous bucket), float histograms keep absolute counts.
 */

/** A run of `length` consecutive buckets, starting `offset` buckets after the previous span's end (first: index). */
export interface Span {
  offset: number;
  length: number;
}

export type CounterResetHint = "unknown" | "counterReset" | "notCounterReset" | "gauge";

/** Schema -53: custom bucket boundaries (NHCB), listed in `customValues`. */
export const CUSTOM_BUCKETS_SCHEMA = -53;

export function isCustomBucketsSchema(schema: number): boolean {
  return schema === CUSTOM_BUCKETS_SCHEMA;
}

interface HistogramCommon {
  counterResetHint: CounterResetHint;
  schema: number;
  zeroThreshold: number;
  sum: number;
  positiveSpans: Span[];
  negativeSpans: Span[];
  /** Upper bounds of the custom buckets (schema -53 only), ascending. */
  customValues?: number[];
}

/** Integer histogram: counts are non-negative integers; bucket arrays are deltas. */
export interface Histogram extends HistogramCommon {
  count: number;
  zeroCount: number;
  positiveBuckets: number[];
  negativeBuckets: number[];
}

/** Float histogram: counts are floats; bucket arrays are absolute. */
export interface FloatHistogram extends HistogramCommon {
  count: number;
  zeroCount: number;
  positiveBuckets: number[];
  negativeBuckets: number[];
}

/** Number of buckets the spans describe. */
export function countSpans(spans: readonly Span[]): number {
  let n = 0;
  for (const s of spans) n += s.length;
  return n;
}

/** The bucket index of every bucket the spans describe, in order. */
export function bucketIndexes(spans: readonly Span[]): number[] {
  const out: number[] = [];
  let idx = 0;
  for (let i = 0; i < spans.length; i++) {
    idx += spans[i].offset;
    for (let j = 0; j < spans[i].length; j++) out.push(idx++);
  }
  return out;
}

/** Absolute counts from delta-encoded buckets. */
export function absoluteBuckets(deltas: readonly number[]): number[] {
  const out: number[] = new Array<number>(deltas.length);
  let current = 0;
  for (let i = 0; i < deltas.length; i++) {
    current += deltas[i];
    out[i] = current;
  }
  return out;
}

/** Delta-encoded buckets from absolute counts. */
export function deltaBuckets(absolute: readonly number[]): number[] {
  const out: number[] = new Array<number>(absolute.length);
  let previous = 0;
  for (let i = 0; i < absolute.length; i++) {
    out[i] = absolute[i] - previous;
    previous = absolute[i];
  }
  return out;
}

/** The float histogram an integer histogram stands for (Prometheus's `ToFloat`). */
export function histogramToFloat(h: Histogram): FloatHistogram {
  const out: FloatHistogram = {
    counterResetHint: h.counterResetHint,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    count: h.count,
    sum: h.sum,
    positiveSpans: h.positiveSpans.map((s) => ({ ...s })),
    negativeSpans: h.negativeSpans.map((s) => ({ ...s })),
    positiveBuckets: absoluteBuckets(h.positiveBuckets),
    negativeBuckets: absoluteBuckets(h.negativeBuckets),
  };
  if (h.customValues !== undefined) out.customValues = h.customValues.slice();
  return out;
}

export function spansEqual(a: readonly Span[], b: readonly Span[]): boolean {
  // Prometheus compares spans after dropping empty ones and merging adjacent ones; we compare the bucket indexes.
  const ia = bucketIndexes(a);
  const ib = bucketIndexes(b);
  if (ia.length !== ib.length) return false;
  for (let i = 0; i < ia.length; i++) if (ia[i] !== ib[i]) return false;
  return true;
}

export function customValuesEqual(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
