import type { FloatHistogram } from "../histogram/types";
import type { Labels } from "../value";

/** Sample kind per step in a `StepSeries`: nothing, a float, or a histogram. */
export const ABSENT = 0;
export const FLOAT = 1;
export const HIST = 2;

/**
 * One series of an instant-vector expression evaluated at every step of an evaluation context. Values live in
 * typed arrays indexed by step, so a range evaluation allocates once per series, never per sample.
 */
export interface StepSeries {
  labels: Labels;
  /** Per step: ABSENT, FLOAT or HIST. */
  kinds: Uint8Array;
  floats: Float64Array;
  /** Histogram values per step, allocated only when the series has any. */
  hists: (FloatHistogram | undefined)[] | null;
  /** Prometheus 3's delayed `__name__` removal: the name is dropped when the query's result is produced. */
  dropName: boolean;
}

export interface VectorSteps {
  readonly kind: "vector";
  series: StepSeries[];
}

export interface ScalarSteps {
  readonly kind: "scalar";
  values: Float64Array;
}

export interface StringValue {
  readonly kind: "string";
  value: string;
}

/**
 * A range vector: per series, its samples in time order (floats and histograms apart), stale markers removed.
 * Functions over range vectors slide a window over these arrays.
 */
export interface RangeSeries {
  labels: Labels;
  ft: Float64Array;
  fv: Float64Array;
  /** Start timestamps of float samples, when storage knows them (NaN = unknown). */
  fst: Float64Array | null;
  ht: Float64Array;
  hv: readonly FloatHistogram[];
  /** Start timestamps of histogram samples, when storage knows them (NaN = unknown). */
  hst?: Float64Array | null;
  dropName: boolean;
}

export interface MatrixValue {
  readonly kind: "matrix";
  series: RangeSeries[];
}

export type EvalValue = VectorSteps | ScalarSteps | StringValue | MatrixValue;

/** The times an expression is evaluated at: start, start + interval, ..., up to end. */
export interface StepRange {
  readonly start: number;
  readonly end: number;
  readonly interval: number;
  readonly steps: number;
}

export function makeStepRange(start: number, end: number, interval: number): StepRange {
  const steps = interval > 0 ? Math.floor((end - start) / interval) + 1 : 1;
  return { start, end, interval: interval > 0 ? interval : 1, steps: Math.max(steps, 0) };
}

export function newStepSeries(labels: Labels, steps: number, dropName: boolean): StepSeries {
  return { labels, kinds: new Uint8Array(steps), floats: new Float64Array(steps), hists: null, dropName };
}

export function setHist(s: StepSeries, i: number, h: FloatHistogram): void {
  if (!s.hists) s.hists = new Array<FloatHistogram | undefined>(s.kinds.length);
  s.kinds[i] = HIST;
  s.hists[i] = h;
}
