import { histogramAdd, histogramMul, histogramSub } from "./arithmetic";
import { HistogramSchemaMixError } from "./errors";
import { detectCounterReset } from "./reset";
import type { FloatHistogram } from "./types";
import { copyHistogram, usesCustomBuckets } from "./types";

export interface InterpolationResult {
  histogram: FloatHistogram;
  /** Custom bounds were reconciled in the subtraction / addition (PromQL infos "… during subtraction/addition"). */
  nhcbReconciledSubtraction: boolean;
  nhcbReconciledAddition: boolean;
}

/**
 * The histogram at `fraction` (0..1) of the way from `previous` to `next` (Prometheus's interpolateHistograms, used
 * by `smoothed` selectors and range boundaries): previous + (next − previous) · fraction. For a counter
 * (`isCounter`, by default: next is not a gauge) that reset in between, the counter restarts from empty: next ·
 * fraction. Fractions 0 and 1 give copies of the end points.
 * @throws HistogramSchemaMixError when one is exponential and the other uses custom buckets.
 */
export function histogramInterpolate(
  previous: FloatHistogram,
  next: FloatHistogram,
  fraction: number,
  isCounter = next.counterResetHint !== "gauge",
): InterpolationResult {
  const plain = (histogram: FloatHistogram): InterpolationResult => ({
    histogram,
    nhcbReconciledSubtraction: false,
    nhcbReconciledAddition: false,
  });
  if (fraction === 0) return plain(copyHistogram(previous));
  if (fraction === 1) return plain(copyHistogram(next));
  if (usesCustomBuckets(previous) !== usesCustomBuckets(next)) throw new HistogramSchemaMixError();
  if (isCounter && detectCounterReset(next, previous)) return plain(histogramMul(next, fraction));
  const diff = histogramSub(next, previous);
  const sum = histogramAdd(histogramMul(diff.histogram, fraction), previous);
  return {
    histogram: sum.histogram,
    nhcbReconciledSubtraction: diff.nhcbBoundsReconciled,
    nhcbReconciledAddition: sum.nhcbBoundsReconciled,
  };
}
