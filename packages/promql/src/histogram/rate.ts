import { histogramSub, histogramAdd } from "./arithmetic";
import { compactHistogram } from "./compact";
import { HistogramSchemaMixError } from "./errors";
import { reduceResolution } from "./resolution";
import { detectCounterReset } from "./reset";
import type { FloatHistogram } from "./types";
import { makeHistogram, usesCustomBuckets } from "./types";

/**
 * What the histogram part of rate/increase/delta/irate/idelta found, for the engine to turn into annotations (it
 * knows the metric name and position):
 * - "notCounter": warn "this native histogram metric is not a counter" (rate, increase, irate on a gauge histogram);
 * - "notGauge": warn "this native histogram metric is not a gauge" (delta, idelta on a counter histogram);
 * - "mixedExponentialCustom": warn "vector contains a mix of histograms with exponential and custom buckets
 *   schemas" (no result);
 * - "nhcbBoundsReconciled": info "mismatched custom buckets were reconciled during subtraction";
 * - "nhcbBoundsReconciledAddition": info "mismatched custom buckets were reconciled during addition" (adding back
 *   the histogram before a counter reset).
 */
export type HistogramRateNote =
  "notCounter" | "notGauge" | "mixedExponentialCustom" | "nhcbBoundsReconciled" | "nhcbBoundsReconciledAddition";

export interface HistogramRateResult {
  /** The raw difference (last − first, counter resets added back), a compact gauge histogram; absent on failure. */
  histogram?: FloatHistogram;
  notes: HistogramRateNote[];
}

/**
 * The un-extrapolated difference over a range of histogram samples (all histograms, oldest first, at least two), the
 * core of rate/increase (`isCounter`) and delta. The engine scales it with histogramMul by its extrapolation factor
 * (for counters, the zero-point limit uses `histograms[0].count` and the result's count) and by 1/seconds for rate.
 *
 * For counters, the first sample is dropped (replaced by an empty histogram of the second's schema) when a reset
 * separates it from the second, so that its bucket layout does not matter; every later reset adds the pre-reset
 * histogram back. All samples meet at the lowest schema in the range. `startTimestampResets[i]` (i ≥ 1), when
 * given, marks a reset between samples i-1 and i that the start timestamps show (Prometheus's
 * isStartTimestampReset), in addition to the ones the histograms themselves show.
 */
export function histogramRangeDelta(
  histograms: readonly FloatHistogram[],
  isCounter: boolean,
  startTimestampResets: readonly boolean[] = [],
): HistogramRateResult {
  const notes: HistogramRateNote[] = [];
  const note = (n: HistogramRateNote): void => {
    if (!notes.includes(n)) notes.push(n);
  };
  let prev = histograms[0];
  const last = histograms[histograms.length - 1];
  let customBuckets = usesCustomBuckets(prev);
  if (isCounter && (prev.counterResetHint === "gauge" || last.counterResetHint === "gauge")) note("notCounter");
  if (isCounter && histograms.length > 1) {
    const second = histograms[1];
    if (startTimestampResets[1] || detectCounterReset(second, prev)) {
      prev = makeHistogram({ schema: second.schema, customValues: second.customValues });
      customBuckets = usesCustomBuckets(second);
    }
  }
  if (usesCustomBuckets(last) !== customBuckets) return { notes: [...notes, "mixedExponentialCustom"] };
  let minSchema = Math.min(prev.schema, last.schema);
  for (let i = 1; i < histograms.length - 1; i++) {
    const curr = histograms[i];
    if (!isCounter) continue;
    if (curr.counterResetHint === "gauge") note("notCounter");
    if (curr.schema < minSchema) minSchema = curr.schema;
    if (usesCustomBuckets(curr) !== customBuckets) return { notes: ["mixedExponentialCustom"] };
  }
  try {
    let h = customBuckets ? last : reduceResolution(last, minSchema);
    const diff = histogramSub(h, prev);
    h = diff.histogram;
    if (diff.nhcbBoundsReconciled) note("nhcbBoundsReconciled");
    if (isCounter) {
      let before = prev;
      for (let i = 1; i < histograms.length; i++) {
        const curr = histograms[i];
        if (startTimestampResets[i] || detectCounterReset(curr, before)) {
          const sum = histogramAdd(h, before);
          h = sum.histogram;
          if (sum.nhcbBoundsReconciled) note("nhcbBoundsReconciledAddition");
        }
        before = curr;
      }
    } else if (histograms[0].counterResetHint !== "gauge" || last.counterResetHint !== "gauge") {
      note("notGauge");
    }
    h.counterResetHint = "gauge";
    return { histogram: compactHistogram(h, 0), notes };
  } catch (e) {
    // As Prometheus: this warning replaces the notes gathered so far.
    if (e instanceof HistogramSchemaMixError) return { notes: ["mixedExponentialCustom"] };
    throw e;
  }
}

/**
 * The difference between the last two samples, for irate (`isRate`) and idelta. For irate a counter reset between
 * them makes the result the last histogram itself. The engine divides by the seconds between the samples for irate.
 */
export function histogramInstantDelta(
  previous: FloatHistogram,
  last: FloatHistogram,
  isRate: boolean,
): HistogramRateResult {
  const notes: HistogramRateNote[] = [];
  if (isRate && (last.counterResetHint === "gauge" || previous.counterResetHint === "gauge")) notes.push("notCounter");
  if (!isRate && (last.counterResetHint !== "gauge" || previous.counterResetHint !== "gauge")) notes.push("notGauge");
  let h = last;
  if (!isRate || !detectCounterReset(last, previous)) {
    try {
      const diff = histogramSub(last, previous);
      h = diff.histogram;
      if (diff.nhcbBoundsReconciled) notes.push("nhcbBoundsReconciled");
    } catch (e) {
      if (e instanceof HistogramSchemaMixError) return { notes: [...notes, "mixedExponentialCustom"] };
      throw e;
    }
  }
  const out = compactHistogram(h, 0);
  out.counterResetHint = "gauge";
  return { histogram: out, notes };
}
