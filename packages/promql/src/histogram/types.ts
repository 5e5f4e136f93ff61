/**
 * The float histogram model PromQL computes with (Prometheus's `FloatHistogram`): every count is an absolute float64,
 * never a delta. Histograms are plain data so that they survive structured cloning (Durable Object RPC) unchanged;
 * every operation is a free function in this folder that returns a new histogram and leaves its inputs alone.
 */

/** Schema number of native histograms with custom bucket boundaries (NHCB). */
export const CUSTOM_BUCKETS_SCHEMA = -53;
/** Lowest and highest standard exponential schema. */
export const EXPONENTIAL_SCHEMA_MIN = -4;
export const EXPONENTIAL_SCHEMA_MAX = 8;

/**
 * Whether a counter reset happened right before this histogram, or that it is a gauge histogram. Prometheus's
 * UnknownCounterReset / CounterReset / NotCounterReset / GaugeType.
 */
export type CounterResetHint = "unknown" | "counterReset" | "notCounterReset" | "gauge";

/**
 * A run of consecutive buckets. The first span's offset is the absolute index of its first bucket; each later offset
 * is the number of buckets skipped after the previous span.
 */
export interface HistogramSpan {
  offset: number;
  length: number;
}

export interface FloatHistogram {
  counterResetHint: CounterResetHint;
  /** -4..8 for exponential buckets (boundaries at powers of 2^(2^-schema)), -53 for custom buckets. */
  schema: number;
  /** Observations in [-zeroThreshold, zeroThreshold] go to the zero bucket. Unused with custom buckets. */
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: HistogramSpan[];
  positiveBuckets: number[];
  /** Unused with custom buckets. */
  negativeSpans: HistogramSpan[];
  negativeBuckets: number[];
  /** Upper bounds of the custom buckets (schema -53 only), ascending; the +Inf bucket is implicit. Shared, never mutated. */
  customValues: readonly number[];
}

/** One bucket with its boundaries, as iteration yields it. */
export interface HistogramBucket {
  lower: number;
  upper: number;
  lowerInclusive: boolean;
  upperInclusive: boolean;
  count: number;
  /** Bucket index in the histogram's schema (meaningless for the zero bucket). */
  index: number;
}

export function isCustomBucketsSchema(schema: number): boolean {
  return schema === CUSTOM_BUCKETS_SCHEMA;
}

export function isExponentialSchema(schema: number): boolean {
  return Number.isInteger(schema) && schema >= EXPONENTIAL_SCHEMA_MIN && schema <= EXPONENTIAL_SCHEMA_MAX;
}

export function isValidSchema(schema: number): boolean {
  return isCustomBucketsSchema(schema) || isExponentialSchema(schema);
}

export function usesCustomBuckets(h: FloatHistogram): boolean {
  return h.schema === CUSTOM_BUCKETS_SCHEMA;
}

/** A new histogram; fields not given are zero / empty, the hint is "unknown". Arrays given are copied. */
export function makeHistogram(init: Partial<FloatHistogram> = {}): FloatHistogram {
  return {
    counterResetHint: init.counterResetHint ?? "unknown",
    schema: init.schema ?? 0,
    zeroThreshold: init.zeroThreshold ?? 0,
    zeroCount: init.zeroCount ?? 0,
    count: init.count ?? 0,
    sum: init.sum ?? 0,
    positiveSpans: (init.positiveSpans ?? []).map((s) => ({ offset: s.offset, length: s.length })),
    positiveBuckets: [...(init.positiveBuckets ?? [])],
    negativeSpans: (init.negativeSpans ?? []).map((s) => ({ offset: s.offset, length: s.length })),
    negativeBuckets: [...(init.negativeBuckets ?? [])],
    customValues: init.customValues ?? [],
  };
}

/** A deep copy (custom values are shared: they are immutable). */
export function copyHistogram(h: FloatHistogram): FloatHistogram {
  return makeHistogram(h);
}
