import type { FloatHistogram } from "../histogram/types";
import { formatGoValue } from "../format";
import { kahanSumInc } from "../kahan";
import { quantile } from "./quantile";
import { anchoredCount, anchoredRate, smoothedRate } from "./rollup-extended";
import { ABSENT, FLOAT, HIST } from "./types";

/**
 * The samples of one series inside one window `(rangeStart, rangeEnd]`: floats are `ft/fv[flo, fhi)`, histograms
 * `ht/hv[hlo, hhi)`. One object is reused for every step of a series, so functions must not keep it.
 */
export interface Window {
  ft: Float64Array;
  fv: Float64Array;
  fst: Float64Array | null;
  flo: number;
  fhi: number;
  ht: Float64Array;
  hv: readonly FloatHistogram[];
  hst: Float64Array | null;
  hlo: number;
  hhi: number;
  rangeStart: number;
  rangeEnd: number;
  /** The selector's range in ms. */
  range: number;
  /** The evaluation time of this step (without offset), which predict_linear extrapolates from. */
  evalTime: number;
  metricName: string;
  /** Indices i where fv[i] < fv[i - 1] (counter resets) over the whole series, or null if not computed. */
  resets: Int32Array | null;
  /** The selector's extended-range modifier, if any. */
  mode: "anchored" | "smoothed" | null;
  lookback: number;
}

/** Where a function writes its result for one step, and how it reports annotations. */
export interface RollupOutput {
  f: number;
  h: FloatHistogram | null;
  warn(text: string): void;
  info(text: string): void;
  /** A warning positioned at the function call rather than its argument. */
  warnAt(text: string): void;
}

/** Extra scalar arguments, evaluated for this step. */
export type RollupFn = (w: Window, out: RollupOutput, args: Float64Array) => number;

const scratchC = new Float64Array(1);

export function kahanSum(fv: Float64Array, lo: number, hi: number): number {
  scratchC[0] = 0;
  let sum = 0;
  for (let i = lo; i < hi; i++) sum = kahanSumInc(fv[i], sum, scratchC);
  if (sum === Infinity || sum === -Infinity) return sum;
  return sum + scratchC[0];
}

function rateFamily(w: Window, out: RollupOutput, isCounter: boolean, isRate: boolean): number {
  if (w.mode === "anchored") return anchoredRate(w, out, isCounter, isRate);
  if (w.mode === "smoothed") return smoothedRate(w, out, isCounter, isRate);
  return extrapolatedRate(w, out, isCounter, isRate);
}

/** rate, increase and delta: the change over the window, extrapolated towards the window's edges. */
export function extrapolatedRate(w: Window, out: RollupOutput, isCounter: boolean, isRate: boolean): number {
  const nf = w.fhi - w.flo;
  const nh = w.hhi - w.hlo;
  if (nf > 0 && nh > 0) {
    out.warn(`encountered a mix of histograms and floats for metric name ${JSON.stringify(w.metricName)}`);
    return ABSENT;
  }
  if (w.fst && isCounter) return startTimestampRate(w, out, isRate);
  if (nf < 2) return ABSENT;
  const { ft, fv, flo, fhi } = w;
  const firstT = ft[flo];
  const lastT = ft[fhi - 1];
  let result = fv[fhi - 1] - fv[flo];
  if (isCounter && w.resets !== null && w.resets.length > 0) {
    // Only the precomputed reset positions inside the window matter; adding them in order matches a full scan.
    const resets = w.resets;
    let lo = 0;
    let hi = resets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (resets[mid] <= flo) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < resets.length && resets[k] < fhi; k++) result += fv[resets[k] - 1];
  } else if (isCounter && w.resets === null) {
    let prev = fv[flo];
    for (let i = flo + 1; i < fhi; i++) {
      const cur = fv[i];
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  const factor = extrapolationFactor(w, firstT, lastT, nf - 1, isCounter, result, fv[flo], isRate);
  out.f = result * factor;
  return FLOAT;
}

/** A start timestamp that says when the counter (re)started: known and before its sample. */
export function validStart(st: number, t: number): boolean {
  return st === st && st !== 0 && st < t;
}

/** Whether sample i starts a new counter: its value dropped, or its start timestamp says it restarted. */
export function isStartReset(w: Window, i: number): boolean {
  return startResetAt(w.fst!, w.ft, i);
}

export function startResetAt(st: Float64Array, t: Float64Array, i: number): boolean {
  const s = st[i];
  if (!validStart(s, t[i])) return false;
  const prevT = t[i - 1];
  if (s > prevT) return true;
  // ST == previous T: a delta sample if the previous one had a valid start too, else an unknown-start cumulative.
  return s === prevT && validStart(st[i - 1], prevT);
}

/**
 * rate/increase with start timestamps (Prometheus's UseStartTimestamps): a start timestamp after the previous
 * sample is a reset, and a first sample that started inside the range counts from zero at its start time.
 */
function startTimestampRate(w: Window, out: RollupOutput, isRate: boolean): number {
  const { ft, fv, flo, fhi } = w;
  const fst = w.fst!;
  const nf = fhi - flo;
  if (nf === 0) return ABSENT;
  for (let i = flo + 1; i < fhi; i++) {
    const st = fst[i];
    if (st === st && st !== 0 && st < ft[i - 1] && st !== fst[i - 1]) {
      out.warn(
        `sample has start time that overlaps with previous sample timestamp for metric ${JSON.stringify(w.metricName)}`,
      );
      break;
    }
  }
  const virtualFirst = validStart(fst[flo], ft[flo]) && fst[flo] > w.rangeStart;
  if (nf < 2 && !virtualFirst) return ABSENT;
  let result = fv[fhi - 1] - (virtualFirst ? 0 : fv[flo]);
  for (let i = flo + 1; i < fhi; i++) {
    if (fv[i] < fv[i - 1] || isStartReset(w, i)) result += fv[i - 1];
  }
  const firstT = virtualFirst ? fst[flo] : ft[flo];
  const firstV = virtualFirst ? 0 : fv[flo];
  const intervals = virtualFirst ? nf : nf - 1;
  // The spacing of real samples decides how far to extrapolate, not the distance to the start time.
  if (virtualFirst && nf < 2) {
    // One real sample: nothing tells how far to extrapolate, so the change from the start time is taken as is.
    out.f = isRate ? result / (w.range / 1000) : result;
    return FLOAT;
  }
  const average = virtualFirst ? (ft[fhi - 1] - ft[flo]) / 1000 / (nf - 1) : undefined;
  out.f = result * extrapolationFactor(w, firstT, ft[fhi - 1], intervals, true, result, firstV, isRate, average);
  return FLOAT;
}

/** The factor that scales the observed change to the whole window (shared with histogram rates). */
export function extrapolationFactor(
  w: Window,
  firstT: number,
  lastT: number,
  intervals: number,
  isCounter: boolean,
  change: number,
  firstValue: number,
  isRate: boolean,
  averageOverride?: number,
): number {
  let durationToStart = (firstT - w.rangeStart) / 1000;
  let durationToEnd = (w.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageBetween = averageOverride ?? sampledInterval / intervals;
  const threshold = averageBetween * 1.1;
  if (durationToStart >= threshold) durationToStart = averageBetween / 2;
  if (isCounter) {
    // A counter cannot go below zero: do not extrapolate past the point where it would have been zero.
    let durationToZero = durationToStart;
    if (change > 0 && firstValue >= 0) durationToZero = sampledInterval * (firstValue / change);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageBetween / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= w.range / 1000;
  return factor;
}

/** irate and idelta: from the last two samples. */
function instantValue(w: Window, out: RollupOutput, isRate: boolean): number {
  const nf = w.fhi - w.flo;
  if (nf < 2) return ABSENT;
  const last = w.fv[w.fhi - 1];
  const prev = w.fv[w.fhi - 2];
  let result = last - prev;
  if (isRate && (last < prev || (w.fst !== null && isStartReset(w, w.fhi - 1)))) result = last;
  const interval = w.ft[w.fhi - 1] - w.ft[w.fhi - 2];
  if (interval === 0) return ABSENT;
  if (isRate) result /= interval / 1000;
  out.f = result;
  return FLOAT;
}

function linearRegression(w: Window, interceptTime: number): [number, number] {
  const { ft, fv, flo, fhi } = w;
  let n = 0;
  const cX = new Float64Array(1);
  const cY = new Float64Array(1);
  const cXY = new Float64Array(1);
  const cX2 = new Float64Array(1);
  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumX2 = 0;
  const initY = fv[flo];
  let constY = true;
  for (let i = flo; i < fhi; i++) {
    const y = fv[i];
    if (constY && i > flo && y !== initY) constY = false;
    n += 1;
    const x = (ft[i] - interceptTime) / 1000;
    sumX = kahanSumInc(x, sumX, cX);
    sumY = kahanSumInc(y, sumY, cY);
    sumXY = kahanSumInc(x * y, sumXY, cXY);
    sumX2 = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX[0];
  sumY += cY[0];
  sumXY += cXY[0];
  sumX2 += cX2[0];
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

/** Float-only functions ignore histograms; Prometheus reports that as an info when both kinds are present. */
function floatsOnly(w: Window, out: RollupOutput, fnName: string): boolean {
  if (w.fhi === w.flo) return false;
  if (w.hhi > w.hlo) {
    out.info(
      `ignored histograms in a range containing both floats and histograms for metric name ${JSON.stringify(w.metricName)}`,
    );
    void fnName;
  }
  return true;
}

function avgFloats(fv: Float64Array, lo: number, hi: number): number {
  let sum = fv[lo];
  let count = 1;
  let mean = 0;
  const c = new Float64Array(1);
  let incremental = false;
  for (let i = lo + 1; i < hi; i++) {
    count = i - lo + 1;
    if (!incremental) {
      const prevC = c[0];
      const newSum = kahanSumInc(fv[i], sum, c);
      if (newSum !== Infinity && newSum !== -Infinity) {
        sum = newSum;
        continue;
      }
      // The running sum would overflow: continue with the incremental mean.
      c[0] = prevC;
      incremental = true;
      mean = sum / (count - 1);
      c[0] /= count - 1;
    }
    const q = (count - 1) / count;
    c[0] *= q;
    mean = kahanSumInc(fv[i] / count, q * mean, c);
  }
  if (incremental) return mean + c[0];
  return sum / count + c[0] / count;
}

function stdvarFloats(fv: Float64Array, lo: number, hi: number): number {
  let count = 0;
  let mean = 0;
  let aux = 0;
  const cMean = new Float64Array(1);
  const cAux = new Float64Array(1);
  for (let i = lo; i < hi; i++) {
    count++;
    const f = fv[i];
    const delta = f - (mean + cMean[0]);
    mean = kahanSumInc(delta / count, mean, cMean);
    aux = kahanSumInc(delta * (f - (mean + cMean[0])), aux, cAux);
  }
  return (aux + cAux[0]) / count;
}

/** Range-vector functions that read float samples only (histogram-aware ones are added by the evaluator). */
export const FLOAT_ROLLUPS: Record<string, RollupFn> = {
  rate: (w, out) => rateFamily(w, out, true, true),
  increase: (w, out) => rateFamily(w, out, true, false),
  delta: (w, out) => rateFamily(w, out, false, false),
  irate: (w, out) => instantValue(w, out, true),
  idelta: (w, out) => instantValue(w, out, false),
  sum_over_time: (w, out) => {
    if (!floatsOnly(w, out, "sum_over_time")) return ABSENT;
    out.f = kahanSum(w.fv, w.flo, w.fhi);
    return FLOAT;
  },
  avg_over_time: (w, out) => {
    if (!floatsOnly(w, out, "avg_over_time")) return ABSENT;
    out.f = avgFloats(w.fv, w.flo, w.fhi);
    return FLOAT;
  },
  count_over_time: (w, out) => {
    const n = w.fhi - w.flo + (w.hhi - w.hlo);
    if (n === 0) return ABSENT;
    out.f = n;
    return FLOAT;
  },
  min_over_time: (w, out) => {
    if (!floatsOnly(w, out, "min_over_time")) return ABSENT;
    let m = w.fv[w.flo];
    for (let i = w.flo + 1; i < w.fhi; i++) if (w.fv[i] < m || Number.isNaN(m)) m = w.fv[i];
    out.f = m;
    return FLOAT;
  },
  max_over_time: (w, out) => {
    if (!floatsOnly(w, out, "max_over_time")) return ABSENT;
    let m = w.fv[w.flo];
    for (let i = w.flo + 1; i < w.fhi; i++) if (w.fv[i] > m || Number.isNaN(m)) m = w.fv[i];
    out.f = m;
    return FLOAT;
  },
  stddev_over_time: (w, out) => {
    if (!floatsOnly(w, out, "stddev_over_time")) return ABSENT;
    out.f = Math.sqrt(stdvarFloats(w.fv, w.flo, w.fhi));
    return FLOAT;
  },
  stdvar_over_time: (w, out) => {
    if (!floatsOnly(w, out, "stdvar_over_time")) return ABSENT;
    out.f = stdvarFloats(w.fv, w.flo, w.fhi);
    return FLOAT;
  },
  mad_over_time: (w, out) => {
    if (!floatsOnly(w, out, "mad_over_time")) return ABSENT;
    const vals = w.fv.slice(w.flo, w.fhi);
    if (vals.some(Number.isNaN)) {
      out.f = NaN;
      return FLOAT;
    }
    const median = quantile(0.5, vals);
    const dev = new Float64Array(vals.length);
    for (let i = 0; i < vals.length; i++) dev[i] = Math.abs(vals[i] - median);
    out.f = quantile(0.5, dev);
    return FLOAT;
  },
  quantile_over_time: (w, out, args) => {
    const q = args[0];
    if (Number.isNaN(q) || q < 0 || q > 1)
      out.warn(`quantile value should be between 0 and 1, got ${formatGoValue(q)}`);
    if (!floatsOnly(w, out, "quantile_over_time")) return ABSENT;
    out.f = quantile(q, w.fv.slice(w.flo, w.fhi));
    return FLOAT;
  },
  changes: (w, out) => {
    if (w.mode === "anchored") return anchoredCount(w, out, false);
    if (w.fhi === w.flo) return ABSENT;
    let changes = 0;
    let prev = w.fv[w.flo];
    for (let i = w.flo + 1; i < w.fhi; i++) {
      const cur = w.fv[i];
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
      prev = cur;
    }
    out.f = changes;
    return FLOAT;
  },
  resets: (w, out) => {
    if (w.mode === "anchored") return anchoredCount(w, out, true);
    if (w.fhi === w.flo) return ABSENT;
    let resets = 0;
    let prev = w.fv[w.flo];
    for (let i = w.flo + 1; i < w.fhi; i++) {
      const cur = w.fv[i];
      if (cur < prev || (w.fst !== null && isStartReset(w, i))) resets++;
      prev = cur;
    }
    out.f = resets;
    return FLOAT;
  },
  deriv: (w, out) => {
    if (w.fhi - w.flo < 2) return ABSENT;
    floatsOnly(w, out, "deriv");
    out.f = linearRegression(w, w.ft[w.flo])[0];
    return FLOAT;
  },
  predict_linear: (w, out, args) => {
    if (w.fhi - w.flo < 2) return ABSENT;
    floatsOnly(w, out, "predict_linear");
    const [slope, intercept] = linearRegression(w, w.evalTime);
    out.f = slope * args[0] + intercept;
    return FLOAT;
  },
  double_exponential_smoothing: (w, out, args) => {
    const sf = args[0];
    const tf = args[1];
    if (!(sf > 0 && sf < 1))
      throw new RollupArgumentError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf.toFixed(6)}`);
    if (!(tf > 0 && tf < 1))
      throw new RollupArgumentError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf.toFixed(6)}`);
    const n = w.fhi - w.flo;
    if (n < 2) return ABSENT;
    floatsOnly(w, out, "double_exponential_smoothing");
    const fv = w.fv;
    let s0 = 0;
    let s1 = fv[w.flo];
    let b = fv[w.flo + 1] - fv[w.flo];
    for (let i = 1; i < n; i++) {
      const x = sf * fv[w.flo + i];
      if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    out.f = s1;
    return FLOAT;
  },
  present_over_time: (w, out) => {
    if (w.fhi === w.flo && w.hhi === w.hlo) return ABSENT;
    out.f = 1;
    return FLOAT;
  },
  last_over_time: (w, out) => {
    const lf = w.fhi > w.flo ? w.ft[w.fhi - 1] : -Infinity;
    const lh = w.hhi > w.hlo ? w.ht[w.hhi - 1] : -Infinity;
    if (lf === -Infinity && lh === -Infinity) return ABSENT;
    if (lh > lf) {
      out.h = w.hv[w.hhi - 1];
      return HIST;
    }
    out.f = w.fv[w.fhi - 1];
    return FLOAT;
  },
  first_over_time: (w, out) => {
    const ff = w.fhi > w.flo ? w.ft[w.flo] : Infinity;
    const fh = w.hhi > w.hlo ? w.ht[w.hlo] : Infinity;
    if (ff === Infinity && fh === Infinity) return ABSENT;
    if (fh < ff) {
      out.h = w.hv[w.hlo];
      return HIST;
    }
    out.f = w.fv[w.flo];
    return FLOAT;
  },
  ts_of_first_over_time: (w, out) => {
    const t = Math.min(w.fhi > w.flo ? w.ft[w.flo] : Infinity, w.hhi > w.hlo ? w.ht[w.hlo] : Infinity);
    if (t === Infinity) return ABSENT;
    out.f = t / 1000;
    return FLOAT;
  },
  ts_of_last_over_time: (w, out) => {
    const t = Math.max(w.fhi > w.flo ? w.ft[w.fhi - 1] : -Infinity, w.hhi > w.hlo ? w.ht[w.hhi - 1] : -Infinity);
    if (t === -Infinity) return ABSENT;
    out.f = t / 1000;
    return FLOAT;
  },
  ts_of_min_over_time: (w, out) => {
    if (!floatsOnly(w, out, "ts_of_min_over_time")) return ABSENT;
    let m = w.fv[w.flo];
    let t = w.ft[w.flo];
    for (let i = w.flo + 1; i < w.fhi; i++) {
      if (w.fv[i] <= m || Number.isNaN(m)) {
        m = w.fv[i];
        t = w.ft[i];
      }
    }
    out.f = t / 1000;
    return FLOAT;
  },
  ts_of_max_over_time: (w, out) => {
    if (!floatsOnly(w, out, "ts_of_max_over_time")) return ABSENT;
    let m = w.fv[w.flo];
    let t = w.ft[w.flo];
    for (let i = w.flo + 1; i < w.fhi; i++) {
      if (w.fv[i] >= m || Number.isNaN(m)) {
        m = w.fv[i];
        t = w.ft[i];
      }
    }
    out.f = t / 1000;
    return FLOAT;
  },
};

/** Rollups whose result keeps the input's metric name. */
export const NAME_KEEPING_ROLLUPS = new Set(["last_over_time", "first_over_time"]);

export class RollupArgumentError extends Error {
  override readonly name = "RollupArgumentError";
}
