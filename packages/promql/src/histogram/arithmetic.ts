import { spanBuckets, toSpans } from "./buckets";
import type { IndexedCount } from "./buckets";
import { exponentialBound } from "./bounds";
import { HistogramSchemaMixError } from "./errors";
import { reduceBucketsResolution } from "./resolution";
import type { CounterResetHint, FloatHistogram, HistogramSpan } from "./types";
import { copyHistogram, usesCustomBuckets } from "./types";
import { widenZeroBucket, zeroCountForLargerThreshold } from "./zero-bucket";

/** The outcome of adding or subtracting two histograms. */
export interface HistogramSumResult {
  histogram: FloatHistogram;
  /**
   * One operand said counterReset and the other notCounterReset. PromQL warns "conflicting counter resets during
   * histogram aggregation" (sum/avg) or "... addition/subtraction".
   */
  counterResetCollision: boolean;
  /**
   * The operands had different custom bucket bounds and were mapped onto the bounds they share. PromQL adds the info
   * "mismatched custom buckets were reconciled during <operation>".
   */
  nhcbBoundsReconciled: boolean;
}

/**
 * a + b: counts, sums and matching buckets added; buckets only one side has are kept. Different exponential schemas
 * meet at the lower resolution, different zero thresholds at the wider zero bucket, different custom bounds at their
 * intersection. The counter-reset hint follows Prometheus: equal hints are kept, a gauge makes a gauge, otherwise
 * unknown. Empty buckets are not removed (call compactHistogram where Prometheus compacts).
 * @throws HistogramSchemaMixError when one operand uses exponential and the other custom buckets.
 */
export function histogramAdd(a: FloatHistogram, b: FloatHistogram): HistogramSumResult {
  return combine(a, b, false);
}

/**
 * a - b, with the same reconciliation as histogramAdd and the same hint rules (so that it also serves incremental
 * means). The PromQL `-` operator must set the result's hint to "gauge" itself.
 * @throws HistogramSchemaMixError when one operand uses exponential and the other custom buckets.
 */
export function histogramSub(a: FloatHistogram, b: FloatHistogram): HistogramSumResult {
  return combine(a, b, true);
}

/** Counts, sum and every bucket times `factor`. A negative factor makes a gauge histogram. */
export function histogramMul(h: FloatHistogram, factor: number): FloatHistogram {
  const out = copyHistogram(h);
  out.zeroCount *= factor;
  out.count *= factor;
  out.sum *= factor;
  for (let i = 0; i < out.positiveBuckets.length; i++) out.positiveBuckets[i] *= factor;
  for (let i = 0; i < out.negativeBuckets.length; i++) out.negativeBuckets[i] *= factor;
  if (factor < 0) out.counterResetHint = "gauge";
  return out;
}

/**
 * Counts, sum and every bucket divided by `divisor`. Division by zero leaves no buckets and sets zero count, count
 * and sum to ±Inf or NaN. A negative divisor makes a gauge histogram.
 */
export function histogramDiv(h: FloatHistogram, divisor: number): FloatHistogram {
  const out = copyHistogram(h);
  out.zeroCount /= divisor;
  out.count /= divisor;
  out.sum /= divisor;
  if (divisor === 0) {
    out.positiveSpans = [];
    out.positiveBuckets = [];
    out.negativeSpans = [];
    out.negativeBuckets = [];
    return out;
  }
  for (let i = 0; i < out.positiveBuckets.length; i++) out.positiveBuckets[i] /= divisor;
  for (let i = 0; i < out.negativeBuckets.length; i++) out.negativeBuckets[i] /= divisor;
  if (divisor < 0) out.counterResetHint = "gauge";
  return out;
}

/** Unary minus: every count and the sum negated; always a gauge histogram. */
export function histogramNeg(h: FloatHistogram): FloatHistogram {
  return histogramMul(h, -1);
}

/** The hint of a + b (or a - b) and whether the operands' hints contradicted each other. */
export function combinedCounterResetHint(
  a: CounterResetHint,
  b: CounterResetHint,
): { hint: CounterResetHint; collision: boolean } {
  if (a === b) return { hint: a, collision: false };
  if (a === "gauge" || b === "gauge") return { hint: "gauge", collision: false };
  if (a === "unknown" || b === "unknown") return { hint: "unknown", collision: false };
  return { hint: "unknown", collision: true };
}

function combine(a: FloatHistogram, b: FloatHistogram, subtract: boolean): HistogramSumResult {
  if (usesCustomBuckets(a) !== usesCustomBuckets(b)) throw new HistogramSchemaMixError();
  const { hint, collision } = combinedCounterResetHint(a.counterResetHint, b.counterResetHint);
  const sign = subtract ? -1 : 1;

  if (sameBucketLayout(a, b)) {
    // The common case (samples of one series, series of one metric): add bucket by bucket.
    const out = copyHistogram(a);
    out.counterResetHint = hint;
    out.count += sign * b.count;
    out.sum += sign * b.sum;
    out.zeroCount += sign * b.zeroCount;
    for (let i = 0; i < out.positiveBuckets.length; i++) out.positiveBuckets[i] += sign * b.positiveBuckets[i];
    for (let i = 0; i < out.negativeBuckets.length; i++) out.negativeBuckets[i] += sign * b.negativeBuckets[i];
    return { histogram: out, counterResetCollision: collision, nhcbBoundsReconciled: false };
  }

  if (usesCustomBuckets(a)) {
    const out = copyHistogram(a);
    out.counterResetHint = hint;
    out.count += sign * b.count;
    out.sum += sign * b.sum;
    if (customBoundsMatch(a.customValues, b.customValues)) {
      const merged = mergeBuckets(
        spanBuckets(a.positiveSpans, a.positiveBuckets),
        spanBuckets(b.positiveSpans, b.positiveBuckets),
        sign,
      );
      setPositive(out, toSpans(merged, true));
      return { histogram: out, counterResetCollision: collision, nhcbBoundsReconciled: false };
    }
    const bounds = intersectCustomBounds(a.customValues, b.customValues);
    const target = new Array<number>(bounds.length + 1).fill(0);
    mapOntoBounds(a, bounds, target, 1);
    mapOntoBounds(b, bounds, target, sign);
    out.customValues = bounds;
    setPositive(
      out,
      toSpans(
        target.map((count, index) => ({ index, count })),
        false,
      ),
    );
    return { histogram: out, counterResetCollision: collision, nhcbBoundsReconciled: true };
  }

  // Exponential buckets: first agree on the zero bucket, then on the schema.
  let out = copyHistogram(a);
  out.counterResetHint = hint;
  let otherZeroCount = b.zeroCount;
  let otherThreshold = b.zeroThreshold;
  while (otherThreshold !== out.zeroThreshold) {
    if (out.zeroThreshold > otherThreshold) {
      ({ count: otherZeroCount, threshold: otherThreshold } = zeroCountForLargerThreshold(b, out.zeroThreshold));
    }
    if (otherThreshold > out.zeroThreshold) {
      const hint = out.counterResetHint;
      out = widenZeroBucket(out, otherThreshold);
      out.counterResetHint = hint;
    }
  }
  out.zeroCount += sign * otherZeroCount;
  out.count += sign * b.count;
  out.sum += sign * b.sum;

  let aPos = { spans: out.positiveSpans, counts: out.positiveBuckets };
  let aNeg = { spans: out.negativeSpans, counts: out.negativeBuckets };
  let bPos: { spans: HistogramSpan[]; counts: number[] } = { spans: b.positiveSpans, counts: b.positiveBuckets };
  let bNeg: { spans: HistogramSpan[]; counts: number[] } = { spans: b.negativeSpans, counts: b.negativeBuckets };
  if (b.schema < out.schema) {
    aPos = reduceBucketsResolution(aPos.spans, aPos.counts, out.schema, b.schema);
    aNeg = reduceBucketsResolution(aNeg.spans, aNeg.counts, out.schema, b.schema);
    out.schema = b.schema;
  } else if (b.schema > out.schema) {
    bPos = reduceBucketsResolution(bPos.spans, bPos.counts, b.schema, out.schema);
    bNeg = reduceBucketsResolution(bNeg.spans, bNeg.counts, b.schema, out.schema);
  }
  const threshold = out.zeroThreshold;
  const schema = out.schema;
  setPositive(
    out,
    toSpans(
      mergeBuckets(
        spanBuckets(aPos.spans, aPos.counts),
        outsideZeroBucket(spanBuckets(bPos.spans, bPos.counts), schema, threshold),
        sign,
      ),
      true,
    ),
  );
  const neg = toSpans(
    mergeBuckets(
      spanBuckets(aNeg.spans, aNeg.counts),
      outsideZeroBucket(spanBuckets(bNeg.spans, bNeg.counts), schema, threshold),
      sign,
    ),
    true,
  );
  out.negativeSpans = neg.spans;
  out.negativeBuckets = neg.counts;
  return { histogram: out, counterResetCollision: collision, nhcbBoundsReconciled: false };
}

/**
 * Whether a and b have the same schema, zero threshold, custom bounds and bucket layout, with no bucket inside the
 * zero bucket: then adding them is adding their arrays.
 */
export function sameBucketLayout(a: FloatHistogram, b: FloatHistogram): boolean {
  if (a.schema !== b.schema || a.zeroThreshold !== b.zeroThreshold) return false;
  if (usesCustomBuckets(a)) {
    if (!customBoundsMatch(a.customValues, b.customValues)) return false;
  } else if (a.zeroThreshold > 0) {
    const firstAbove = (spans: HistogramSpan[]): boolean =>
      spans.length === 0 || exponentialBound(spans[0].offset, a.schema) > a.zeroThreshold;
    if (!firstAbove(a.positiveSpans) || !firstAbove(a.negativeSpans)) return false;
  }
  return (
    identicalSpans(a.positiveSpans, b.positiveSpans) &&
    identicalSpans(a.negativeSpans, b.negativeSpans) &&
    a.positiveBuckets.length === b.positiveBuckets.length &&
    a.negativeBuckets.length === b.negativeBuckets.length
  );
}

function identicalSpans(a: readonly HistogramSpan[], b: readonly HistogramSpan[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].offset !== b[i].offset || a[i].length !== b[i].length) return false;
  return true;
}

/** Drops the leading buckets whose upper boundary is inside the zero bucket: their counts are in the zero count. */
function outsideZeroBucket(entries: IndexedCount[], schema: number, threshold: number): IndexedCount[] {
  let i = 0;
  while (i < entries.length && exponentialBound(entries[i].index, schema) <= threshold) i++;
  return i === 0 ? entries : entries.slice(i);
}

/** Union of two ascending bucket lists, adding `sign` times the counts of the second to the first. */
function mergeBuckets(a: IndexedCount[], b: IndexedCount[], sign: number): IndexedCount[] {
  const out: IndexedCount[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].index < b[j].index)) {
      out.push({ index: a[i].index, count: a[i].count });
      i++;
    } else if (i >= a.length || b[j].index < a[i].index) {
      out.push({ index: b[j].index, count: sign * b[j].count });
      j++;
    } else {
      out.push({ index: a[i].index, count: a[i].count + sign * b[j].count });
      i++;
      j++;
    }
  }
  return out;
}

function setPositive(h: FloatHistogram, side: { spans: HistogramSpan[]; counts: number[] }): void {
  h.positiveSpans = side.spans;
  h.positiveBuckets = side.counts;
}

/** Whether two custom bound lists are the same (the same array is the common, cheap case). */
export function customBoundsMatch(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The custom bounds present in both lists (both ascending). */
export function intersectCustomBounds(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}

/**
 * Adds `sign` times each custom bucket of h into `target`, the buckets of the coarser `bounds` (a subset of h's
 * bounds): each bucket goes to the first coarse bucket whose upper bound is ≥ its own.
 */
export function mapOntoBounds(h: FloatHistogram, bounds: readonly number[], target: number[], sign: number): void {
  let k = 0;
  for (const { index, count } of spanBuckets(h.positiveSpans, h.positiveBuckets)) {
    let t = bounds.length;
    if (index < h.customValues.length) {
      const upper = h.customValues[index];
      while (k < bounds.length && bounds[k] < upper) k++;
      t = k;
    }
    target[t] += sign * count;
  }
}
