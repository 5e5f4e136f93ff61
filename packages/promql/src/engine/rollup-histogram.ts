import { HistogramKahanSum, HistogramMean } from "../histogram/accumulate";
import { combinedCounterResetHint, histogramDiv, histogramMul, histogramSub } from "../histogram/arithmetic";
import { compactHistogram } from "../histogram/compact";
import { histogramsEqual } from "../histogram/compare";
import { HistogramSchemaMixError } from "../histogram/errors";
import { histogramInterpolate } from "../histogram/interpolate";
import { detectCounterReset } from "../histogram/reset";
import { histogramRangeDelta, type HistogramRateNote } from "../histogram/rate";
import { makeHistogram, usesCustomBuckets, type FloatHistogram } from "../histogram/types";
import {
  extrapolationFactor,
  FLOAT_ROLLUPS,
  startResetAt,
  validStart,
  type RollupFn,
  type RollupOutput,
  type Window,
} from "./rollup";
import { ABSENT, FLOAT, HIST } from "./types";

const q = JSON.stringify;

function mixedSchemas(w: Window, out: RollupOutput): number {
  out.warn(
    `vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${q(w.metricName)}`,
  );
  return ABSENT;
}

function mixedTypes(w: Window, out: RollupOutput): number {
  out.warn(`encountered a mix of histograms and floats for metric name ${q(w.metricName)}`);
  return ABSENT;
}

/** Prometheus's histogramRate (last - first, resets added back), through the histogram package. */
function histogramRate(w: Window, out: RollupOutput, isCounter: boolean): FloatHistogram | null {
  const res = histogramRangeDelta(w.hv.slice(w.hlo, w.hhi), isCounter);
  for (const note of res.notes) reportRateNote(w, out, note, "subtraction");
  return res.histogram ?? null;
}

function reportRateNote(w: Window, out: RollupOutput, note: HistogramRateNote, operation: string): void {
  switch (note) {
    case "notCounter":
      out.warn(`this native histogram metric is not a counter: ${q(w.metricName)}`);
      break;
    case "notGauge":
      out.warn(`this native histogram metric is not a gauge: ${q(w.metricName)}`);
      break;
    case "mixedExponentialCustom":
      mixedSchemas(w, out);
      break;
    case "nhcbBoundsReconciled":
      out.info(`mismatched custom buckets were reconciled during ${operation}`);
      break;
  }
}

/** The anchor of an anchored window: the newest sample at or before the range start, within lookback. */
function anchor(w: Window): { f: number; h: number } {
  const f = w.flo > 0 && w.ft[w.flo - 1] > w.rangeStart - w.lookback ? w.flo - 1 : -1;
  const h = w.hlo > 0 && w.ht[w.hlo - 1] > w.rangeStart - w.lookback ? w.hlo - 1 : -1;
  if (f >= 0 && h >= 0) return w.ft[f] > w.ht[h] ? { f, h: -1 } : { f: -1, h };
  return { f, h };
}

function anchoredHistogramRate(w: Window, out: RollupOutput, isCounter: boolean, isRate: boolean): number {
  if (w.fhi > w.flo) return mixedTypes(w, out);
  const a = anchor(w);
  if (a.f >= 0) return mixedTypes(w, out);
  const list = w.hv.slice(a.h >= 0 ? a.h : w.hlo, w.hhi);
  let h: FloatHistogram;
  if (list.length === 1) {
    h = histogramSub(list[0], list[0]).histogram;
    h.counterResetHint = "gauge";
  } else {
    const res = histogramRangeDelta(list, isCounter);
    for (const note of res.notes) reportRateNote(w, out, note, "subtraction");
    if (!res.histogram) return ABSENT;
    h = res.histogram;
  }
  out.h = isRate ? histogramDiv(h, w.range / 1000) : h;
  out.h.counterResetHint = "gauge";
  return HIST;
}

function smoothedHistogramRate(w: Window, out: RollupOutput, isCounter: boolean, isRate: boolean): number {
  if (w.fhi > w.flo) return mixedTypes(w, out);
  const { ht, hv } = w;
  const before = w.hlo > 0 && ht[w.hlo - 1] > w.rangeStart - w.lookback ? w.hlo - 1 : -1;
  const after = w.hhi < ht.length && ht[w.hhi] - w.rangeEnd <= w.lookback ? w.hhi : -1;
  if (w.hhi === w.hlo && (before < 0 || after < 0)) return ABSENT;
  try {
    const at = (i: number, t: number): FloatHistogram => {
      const res = histogramInterpolate(hv[i], hv[i + 1], (t - ht[i]) / (ht[i + 1] - ht[i]), isCounter);
      if (res.nhcbReconciledSubtraction) out.info("mismatched custom buckets were reconciled during subtraction");
      if (res.nhcbReconciledAddition) out.info("mismatched custom buckets were reconciled during addition");
      return res.histogram;
    };
    const notReset = (h: FloatHistogram): FloatHistogram => ({ ...h, counterResetHint: "notCounterReset" });
    // A left boundary interpolated across a reset already starts from the restarted counter: the sample after it
    // (or the right boundary, when it interpolates across the same pair) must not count that reset again.
    const leftCrossesReset = isCounter && before >= 0 && detectCounterReset(hv[before + 1], hv[before]);
    const list: FloatHistogram[] = [];
    list.push(before >= 0 ? at(before, w.rangeStart) : hv[w.hlo]);
    for (let i = w.hlo; i < w.hhi; i++) list.push(leftCrossesReset && i === before + 1 ? notReset(hv[i]) : hv[i]);
    if (after >= 0) {
      const end = at(after - 1, w.rangeEnd);
      list.push(leftCrossesReset && after === before + 1 ? notReset(end) : end);
    } else {
      list.push(hv[w.hhi - 1]);
    }
    const res = histogramRangeDelta(list, isCounter);
    for (const note of res.notes) reportRateNote(w, out, note, "subtraction");
    if (!res.histogram) return ABSENT;
    const h = isRate ? histogramDiv(res.histogram, w.range / 1000) : res.histogram;
    h.counterResetHint = "gauge";
    out.h = h;
    return HIST;
  } catch (e) {
    if (e instanceof HistogramSchemaMixError) return mixedSchemas(w, out);
    throw e;
  }
}

/** rate/increase over histograms with start timestamps: ST resets are marked as resets, and a first sample that
 * started inside the range counts from an empty histogram at its start time. */
function startTimestampHistogramRate(w: Window, out: RollupOutput, isRate: boolean): number {
  if (w.fhi > w.flo) return mixedTypes(w, out);
  const { ht, hv, hlo, hhi } = w;
  const hst = w.hst!;
  const n = hhi - hlo;
  if (n === 0) return ABSENT;
  const list: FloatHistogram[] = [];
  const virtualFirst = validStart(hst[hlo], ht[hlo]) && hst[hlo] > w.rangeStart;
  if (virtualFirst) list.push(makeHistogram({ schema: hv[hlo].schema, customValues: hv[hlo].customValues }));
  for (let i = hlo; i < hhi; i++) {
    const reset = i > hlo && startResetAt(hst, ht, i);
    list.push(reset ? { ...hv[i], counterResetHint: "counterReset" } : hv[i]);
  }
  if (list.length < 2) return ABSENT;
  const res = histogramRangeDelta(list, true);
  for (const note of res.notes) reportRateNote(w, out, note, "subtraction");
  if (!res.histogram) return ABSENT;
  const firstT = virtualFirst ? hst[hlo] : ht[hlo];
  const firstCount = virtualFirst ? 0 : hv[hlo].count;
  if (virtualFirst && n < 2) {
    const h = isRate ? histogramDiv(res.histogram, w.range / 1000) : res.histogram;
    h.counterResetHint = "gauge";
    out.h = h;
    return HIST;
  }
  const average = virtualFirst ? (ht[hhi - 1] - ht[hlo]) / 1000 / (n - 1) : undefined;
  const factor = extrapolationFactor(
    w,
    firstT,
    ht[hhi - 1],
    list.length - 1,
    true,
    res.histogram.count,
    firstCount,
    isRate,
    average,
  );
  const h = histogramMul(res.histogram, factor);
  h.counterResetHint = "gauge";
  out.h = h;
  return HIST;
}

function extrapolatedHistogramRate(w: Window, out: RollupOutput, isCounter: boolean, isRate: boolean): number {
  if (w.mode === "anchored") return anchoredHistogramRate(w, out, isCounter, isRate);
  if (w.mode === "smoothed") return smoothedHistogramRate(w, out, isCounter, isRate);
  if (w.hst && isCounter) return startTimestampHistogramRate(w, out, isRate);
  if (w.fhi > w.flo) return mixedTypes(w, out);
  const n = w.hhi - w.hlo;
  if (n < 2) return ABSENT;
  const h = histogramRate(w, out, isCounter);
  if (!h) return ABSENT;
  const first = w.hv[w.hlo];
  const factor = extrapolationFactor(w, w.ht[w.hlo], w.ht[w.hhi - 1], n - 1, isCounter, h.count, first.count, isRate);
  const res = histogramMul(h, factor);
  res.counterResetHint = "gauge";
  out.h = res;
  return HIST;
}

/** irate/idelta over the last two samples, floats and histograms interleaved. */
function instantValueMixed(w: Window, out: RollupOutput, isRate: boolean): number {
  type S = { t: number; f: number; h: FloatHistogram | null };
  const ss: S[] = [];
  for (let i = Math.max(w.flo, w.fhi - 2); i < w.fhi; i++) ss.push({ t: w.ft[i], f: w.fv[i], h: null });
  for (let i = Math.max(w.hlo, w.hhi - 2); i < w.hhi; i++) {
    const s = { t: w.ht[i], f: 0, h: w.hv[i] };
    if (ss.length === 0) ss.push(s);
    else if (ss.length === 1) {
      if (s.t < ss[0].t) ss.unshift(s);
      else ss.push(s);
    } else if (s.t < ss[0].t) {
      // Older than both: irrelevant.
    } else if (s.t > ss[1].t) {
      ss[0] = ss[1];
      ss[1] = s;
    } else {
      ss[0] = s;
    }
  }
  if (ss.length < 2) return ABSENT;
  const [prev, last] = ss;
  const interval = last.t - prev.t;
  if (!last.h && !prev.h) {
    out.f = isRate && last.f < prev.f ? last.f : last.f - prev.f;
    if (interval === 0) return ABSENT;
    if (isRate) out.f /= interval / 1000;
    return FLOAT;
  }
  if (!last.h || !prev.h) return mixedTypes(w, out);
  let h: FloatHistogram;
  const stReset =
    w.hst !== null &&
    w.hhi - w.hlo >= 2 &&
    last.t === w.ht[w.hhi - 1] &&
    prev.t === w.ht[w.hhi - 2] &&
    startResetAt(w.hst, w.ht, w.hhi - 1);
  if (isRate && (stReset || detectCounterReset(last.h, prev.h))) {
    h = last.h;
  } else {
    // A switch between exponential and custom buckets is a counter reset for irate; otherwise it cannot be subtracted.
    if (usesCustomBuckets(last.h) !== usesCustomBuckets(prev.h)) return mixedSchemas(w, out);
    if (isRate && (last.h.counterResetHint === "gauge" || prev.h.counterResetHint === "gauge")) {
      out.warn(`this native histogram metric is not a counter: ${q(w.metricName)}`);
    }
    if (!isRate && (last.h.counterResetHint !== "gauge" || prev.h.counterResetHint !== "gauge")) {
      out.warn(`this native histogram metric is not a gauge: ${q(w.metricName)}`);
    }
    try {
      const diff = histogramSub(last.h, prev.h);
      if (diff.nhcbBoundsReconciled) out.info("mismatched custom buckets were reconciled during subtraction");
      h = diff.histogram;
    } catch (e) {
      if (e instanceof HistogramSchemaMixError) return mixedSchemas(w, out);
      throw e;
    }
  }
  if (interval === 0) return ABSENT;
  if (isRate) h = histogramDiv(h, interval / 1000);
  else h = { ...h };
  h.counterResetHint = "gauge";
  out.h = compactHistogram(h);
  return HIST;
}

function sumHistograms(w: Window, out: RollupOutput, average: boolean): number {
  if (w.fhi > w.flo) return mixedTypes(w, out);
  const acc = average ? new HistogramMean() : new HistogramKahanSum();
  let hint = w.hv[w.hlo].counterResetHint;
  try {
    for (let i = w.hlo; i < w.hhi; i++) {
      if (i > w.hlo) hint = combinedCounterResetHint(hint, w.hv[i].counterResetHint).hint;
      const notes = acc.add(w.hv[i]);
      if (notes.counterResetCollision) out.warn("conflicting counter resets during histogram aggregation");
      if (notes.nhcbBoundsReconciled) out.info("mismatched custom buckets were reconciled during aggregation");
    }
  } catch (e) {
    if (e instanceof HistogramSchemaMixError) return mixedSchemas(w, out);
    throw e;
  }
  out.h = compactHistogram(acc.result()!);
  out.h.counterResetHint = hint;
  return HIST;
}

/** Walks floats and histograms of the window in time order, comparing each sample with the one before. */
function countTransitions(w: Window, out: RollupOutput, isReset: boolean): number {
  let fi = w.flo;
  let hi = w.hlo;
  if (w.mode === "anchored") {
    const a = anchor(w);
    if (a.f >= 0) fi = a.f;
    if (a.h >= 0) hi = a.h;
  }
  let prevF = 0;
  let prevH: FloatHistogram | null = null;
  let n = 0;
  let count = 0;
  while (fi < w.fhi || hi < w.hhi) {
    let curF = 0;
    let curH: FloatHistogram | null = null;
    if (hi >= w.hhi || (fi < w.fhi && w.ft[fi] < w.ht[hi])) curF = w.fv[fi++];
    else curH = w.hv[hi++];
    if (n++ > 0) {
      if (!prevH && !curH) {
        if (isReset ? curF < prevF : curF !== prevF && !(Number.isNaN(curF) && Number.isNaN(prevF))) count++;
      } else if (!prevH || !curH) {
        count++;
      } else if (
        isReset
          ? detectCounterReset(curH, prevH) || (w.hst !== null && startResetAt(w.hst, w.ht, hi - 1))
          : !histogramsEqual(curH, prevH)
      ) {
        count++;
      }
    }
    prevF = curF;
    prevH = curH;
  }
  out.f = count;
  return FLOAT;
}

/**
 * Range-vector functions applied when the window holds native histograms (alone or mixed with floats). Functions
 * not listed here read floats only (and note ignored histograms).
 */
export const HISTOGRAM_ROLLUPS: Record<string, RollupFn> = {
  rate: (w, out) => extrapolatedHistogramRate(w, out, true, true),
  increase: (w, out) => extrapolatedHistogramRate(w, out, true, false),
  delta: (w, out) => extrapolatedHistogramRate(w, out, false, false),
  irate: (w, out) => instantValueMixed(w, out, true),
  idelta: (w, out) => instantValueMixed(w, out, false),
  sum_over_time: (w, out) => sumHistograms(w, out, false),
  avg_over_time: (w, out) => sumHistograms(w, out, true),
  changes: (w, out) => countTransitions(w, out, false),
  resets: (w, out) => countTransitions(w, out, true),
  count_over_time: FLOAT_ROLLUPS.count_over_time,
  present_over_time: FLOAT_ROLLUPS.present_over_time,
  last_over_time: FLOAT_ROLLUPS.last_over_time,
  first_over_time: FLOAT_ROLLUPS.first_over_time,
  ts_of_first_over_time: FLOAT_ROLLUPS.ts_of_first_over_time,
  ts_of_last_over_time: FLOAT_ROLLUPS.ts_of_last_over_time,
};
