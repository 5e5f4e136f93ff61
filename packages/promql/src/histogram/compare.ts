import { customBoundsMatch } from "./arithmetic";
import { compactHistogram } from "./compact";
import type { FloatHistogram, HistogramSpan } from "./types";
import { usesCustomBuckets } from "./types";

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Float equality with relative tolerance, as Prometheus's util/almost.Equal: NaN equals NaN, exact matches (±Inf
 * included) are equal, values at or next to zero must match to within epsilon·MIN_NORMAL, others to within epsilon
 * relative to the sum of their magnitudes. Stale markers are the caller's business (they are NaNs here).
 */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || Math.abs(a) + Math.abs(b) < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(Math.abs(a) + Math.abs(b), Number.MAX_VALUE) < epsilon;
}

/** Spans describing the same layout, ignoring empty spans (whose offsets carry over to the next span). */
export function spansMatch(a: readonly HistogramSpan[], b: readonly HistogramSpan[]): boolean {
  const na = normalizeSpans(a);
  const nb = normalizeSpans(b);
  if (na.length !== nb.length) return false;
  for (let i = 0; i < na.length; i++) {
    if (na[i].offset !== nb[i].offset || na[i].length !== nb[i].length) return false;
  }
  return true;
}

function normalizeSpans(spans: readonly HistogramSpan[]): HistogramSpan[] {
  const out: HistogramSpan[] = [];
  let carry = 0;
  for (const s of spans) {
    if (s.length === 0) {
      carry += s.offset;
      continue;
    }
    const last = out[out.length - 1];
    if (last && s.offset + carry === 0) last.length += s.length;
    else out.push({ offset: s.offset + carry, length: s.length });
    carry = 0;
  }
  return out;
}

function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Exact equality as PromQL's `==` and `!=` between histograms use it: schema, custom bounds, zero threshold, counts,
 * sum and every bucket equal, with the same bucket layout (empty buckets count as layout). The counter-reset hint is
 * ignored. NaNs are equal to each other, as the comparison is of data, not of numbers.
 */
export function histogramsEqual(a: FloatHistogram, b: FloatHistogram): boolean {
  if (a.schema !== b.schema || !sameBits(a.count, b.count) || !sameBits(a.sum, b.sum)) return false;
  if (usesCustomBuckets(a) && !customBoundsMatch(a.customValues, b.customValues)) return false;
  if (a.zeroThreshold !== b.zeroThreshold || !sameBits(a.zeroCount, b.zeroCount)) return false;
  if (!spansMatch(a.negativeSpans, b.negativeSpans) || !spansMatch(a.positiveSpans, b.positiveSpans)) return false;
  return (
    bucketsMatch(a.negativeBuckets, b.negativeBuckets, sameBits) &&
    bucketsMatch(a.positiveBuckets, b.positiveBuckets, sameBits)
  );
}

function bucketsMatch(a: readonly number[], b: readonly number[], eq: (x: number, y: number) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
  return true;
}

export interface HistogramMatchOptions {
  /** Relative tolerance for counts, sum and buckets (the test runner uses 1e-6). */
  epsilon?: number;
  /** Compare the counter-reset hint too (the test runner does when the expectation wrote one). */
  compareCounterResetHint?: boolean;
}

/**
 * Whether `actual` matches `expected` the way Prometheus's test runner compares them: both compacted first (so empty
 * buckets and span layout do not matter), schema and zero threshold exact, custom bounds equal when `expected` uses
 * custom buckets, counts, sum and buckets within epsilon.
 */
export function histogramsMatch(
  expected: FloatHistogram,
  actual: FloatHistogram,
  options: HistogramMatchOptions = {},
): boolean {
  const epsilon = options.epsilon ?? 1e-6;
  const exp = compactHistogram(expected, 0);
  const act = compactHistogram(actual, 0);
  const eq = (x: number, y: number): boolean => almostEqual(x, y, epsilon);
  if (exp.schema !== act.schema || !eq(exp.count, act.count) || !eq(exp.sum, act.sum)) return false;
  if (usesCustomBuckets(exp) && !customBoundsMatch(exp.customValues, act.customValues)) return false;
  if (exp.zeroThreshold !== act.zeroThreshold || !eq(exp.zeroCount, act.zeroCount)) return false;
  if (!spansMatch(exp.negativeSpans, act.negativeSpans) || !spansMatch(exp.positiveSpans, act.positiveSpans))
    return false;
  if (!bucketsMatch(exp.negativeBuckets, act.negativeBuckets, eq)) return false;
  if (!bucketsMatch(exp.positiveBuckets, act.positiveBuckets, eq)) return false;
  return !options.compareCounterResetHint || exp.counterResetHint === act.counterResetHint;
}
