import { histogramAdd, histogramSub } from "./arithmetic";
import { compactHistogram } from "./compact";
import { HistogramSchemaMixError } from "./errors";
import { histogramInterpolate } from "./interpolate";
import type { HistogramRateNote, HistogramRateResult } from "./rate";
import { detectCounterReset } from "./reset";
import type { FloatHistogram } from "./types";
import { usesCustomBuckets } from "./types";

/** A histogram sample. */
export interface HistogramPoint {
  t: number;
  h: FloatHistogram;
}

/**
 * rate/increase/delta over an `anchored` or `smoothed` range (Prometheus's extendedHistogramRate), without the
 * division by the range's seconds that rate adds. `points` are the series' histogram samples the selector yields
 * (for these modifiers: the last sample at or before `rangeStart` and, when smoothed, the first one after
 * `rangeEnd`, besides the samples in the range), oldest first; `rangeStart` is exclusive.
 *
 * The left value is the last sample at or before the start (smoothed: interpolated at the start), the right value the
 * last sample (smoothed: interpolated at the end); the result is right − left, for counters plus the histogram before
 * each reset in between. Absent when the range holds no sample or the samples mix exponential and custom buckets.
 */
export function histogramExtendedDelta(
  points: readonly HistogramPoint[],
  rangeStart: number,
  rangeEnd: number,
  smoothed: boolean,
  isCounter: boolean,
): HistogramRateResult {
  const notes: HistogramRateNote[] = [];
  const note = (n: HistogramRateNote): void => {
    if (!notes.includes(n)) notes.push(n);
  };
  if (points.length === 0) return { notes };
  let last = points.length - 1;
  const first = Math.max(0, searchFirst(last, (i) => points[i].t > rangeStart) - 1);
  if (smoothed) last = searchFirst(last, (i) => points[i].t >= rangeEnd);
  if (points[last].t <= rangeStart) return { notes };
  if (smoothed && points[first].t > rangeEnd) return { notes };

  const custom = usesCustomBuckets(points[first].h);
  for (let i = first; i <= last; i++) {
    if (usesCustomBuckets(points[i].h) !== custom) return { notes: [...notes, "mixedExponentialCustom"] };
    if (isCounter && points[i].h.counterResetHint === "gauge") note("notCounter");
  }
  const at = (a: HistogramPoint, b: HistogramPoint, t: number): FloatHistogram => {
    const r = histogramInterpolate(a.h, b.h, (t - a.t) / (b.t - a.t), isCounter);
    if (r.nhcbReconciledSubtraction) note("nhcbBoundsReconciled");
    if (r.nhcbReconciledAddition) note("nhcbBoundsReconciledAddition");
    return r.histogram;
  };
  try {
    const left =
      smoothed && points[first].t < rangeStart ? at(points[first], points[first + 1], rangeStart) : points[first].h;
    const right =
      smoothed && last > 0 && points[last].t > rangeEnd ? at(points[last - 1], points[last], rangeEnd) : points[last].h;
    if (!isCounter && (left.counterResetHint !== "gauge" || right.counterResetHint !== "gauge")) note("notGauge");
    const diff = histogramSub(right, left);
    if (diff.nhcbBoundsReconciled) note("nhcbBoundsReconciled");
    let result = diff.histogram;
    if (isCounter) {
      const correction = resetCorrection(points, first, last, left, right, rangeStart, smoothed, note);
      if (correction) {
        const sum = histogramAdd(result, correction);
        if (sum.nhcbBoundsReconciled) note("nhcbBoundsReconciledAddition");
        result = sum.histogram;
      }
    }
    const out = compactHistogram(result, 0);
    out.counterResetHint = "gauge";
    return { histogram: out, notes };
  } catch (e) {
    if (e instanceof HistogramSchemaMixError) return { notes: [...notes, "mixedExponentialCustom"] };
    throw e;
  }
}

/**
 * The sum of the histograms just before each counter reset strictly inside the range, and at its right end. The
 * last sample is never compared with itself (right is it or interpolated from it); a reset already bridged by the
 * smoothed left interpolation is not counted again.
 */
function resetCorrection(
  points: readonly HistogramPoint[],
  firstIndex: number,
  lastIndex: number,
  left: FloatHistogram,
  right: FloatHistogram,
  rangeStart: number,
  smoothed: boolean,
  note: (n: HistogramRateNote) => void,
): FloatHistogram | undefined {
  let first = firstIndex + 1;
  let prev = left;
  if (
    smoothed &&
    points[firstIndex].t < rangeStart &&
    detectCounterReset(points[firstIndex + 1].h, points[firstIndex].h)
  ) {
    prev = points[firstIndex + 1].h;
    first++;
  }
  const last = lastIndex - 1;
  if (first > last + 1) return undefined;
  let correction: FloatHistogram | undefined;
  const add = (h: FloatHistogram): void => {
    if (!correction) {
      correction = h;
      return;
    }
    const sum = histogramAdd(correction, h);
    if (sum.nhcbBoundsReconciled) note("nhcbBoundsReconciledAddition");
    correction = sum.histogram;
  };
  for (let i = first; i <= last; i++) {
    if (detectCounterReset(points[i].h, prev)) add(prev);
    prev = points[i].h;
  }
  if (detectCounterReset(right, prev)) add(prev);
  return correction;
}

/** The smallest index in [0, n) for which `pred` holds (pred false then true), or n (Go's sort.Search). */
function searchFirst(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
