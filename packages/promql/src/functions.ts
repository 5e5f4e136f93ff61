/**
 * The PromQL function table as data: one record per function of Prometheus 3.x. The parser checks calls against it,
 * the engine attaches implementations to the same names, and the UI can offer them for completion. A test checks
 * that the engine implements exactly these names.
 *
 * Argument rules follow Prometheus: with `variadic == 0` a call takes exactly `argTypes.length` arguments; with
 * `variadic > 0` it takes from `argTypes.length - 1` up to `argTypes.length - 1 + variadic`; with `variadic == -1`
 * at least `argTypes.length - 1` and no upper bound. Arguments beyond `argTypes` have the type of its last entry.
 */

import type { ValueType } from "./parser/ast";

export interface PromqlFunction {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  readonly variadic: number;
  readonly returnType: ValueType;
  /** Behind Prometheus's `promql-experimental-functions` feature flag. */
  readonly experimental: boolean;
}

type FunctionShape = [argTypes: readonly ValueType[], returnType: ValueType, variadic?: number, experimental?: "exp"];

const V: ValueType = "vector";
const M: ValueType = "matrix";
const S: ValueType = "scalar";
const STR: ValueType = "string";

/** vector -> vector, the shape of most element-wise functions. */
const ELEMENTWISE: FunctionShape = [[V], V];
/** range vector -> vector, the shape of the `*_over_time` family and rate-like functions. */
const OVER_TIME: FunctionShape = [[M], V];
/** Date functions take an optional vector and default to `vector(time())`. */
const DATE: FunctionShape = [[V], V, 1];

const SHAPES: Record<string, FunctionShape> = {
  abs: ELEMENTWISE,
  absent: ELEMENTWISE,
  absent_over_time: OVER_TIME,
  acos: ELEMENTWISE,
  acosh: ELEMENTWISE,
  asin: ELEMENTWISE,
  asinh: ELEMENTWISE,
  atan: ELEMENTWISE,
  atanh: ELEMENTWISE,
  avg_over_time: OVER_TIME,
  ceil: ELEMENTWISE,
  changes: OVER_TIME,
  clamp: [[V, S, S], V],
  clamp_max: [[V, S], V],
  clamp_min: [[V, S], V],
  cos: ELEMENTWISE,
  cosh: ELEMENTWISE,
  count_over_time: OVER_TIME,
  day_of_month: DATE,
  day_of_week: DATE,
  day_of_year: DATE,
  days_in_month: DATE,
  deg: ELEMENTWISE,
  delta: OVER_TIME,
  deriv: OVER_TIME,
  double_exponential_smoothing: [[M, S, S], V, 0, "exp"],
  end: [[], S, 0, "exp"],
  exp: ELEMENTWISE,
  first_over_time: OVER_TIME,
  floor: ELEMENTWISE,
  histogram_avg: ELEMENTWISE,
  histogram_count: ELEMENTWISE,
  histogram_fraction: [[S, S, V], V],
  histogram_quantile: [[S, V], V],
  histogram_quantiles: [[V, STR, S, S], V, 9, "exp"],
  histogram_stddev: ELEMENTWISE,
  histogram_stdvar: ELEMENTWISE,
  histogram_sum: ELEMENTWISE,
  hour: DATE,
  idelta: OVER_TIME,
  increase: OVER_TIME,
  info: [[V, V], V, 1, "exp"],
  irate: OVER_TIME,
  label_join: [[V, STR, STR, STR], V, -1],
  label_replace: [[V, STR, STR, STR, STR], V],
  last_over_time: OVER_TIME,
  ln: ELEMENTWISE,
  log10: ELEMENTWISE,
  log2: ELEMENTWISE,
  mad_over_time: [[M], V, 0, "exp"],
  max_of: [[S, S], S, 0, "exp"],
  max_over_time: OVER_TIME,
  min_of: [[S, S], S, 0, "exp"],
  min_over_time: OVER_TIME,
  minute: DATE,
  month: DATE,
  pi: [[], S],
  predict_linear: [[M, S], V],
  present_over_time: OVER_TIME,
  quantile_over_time: [[S, M], V],
  rad: ELEMENTWISE,
  range: [[], S, 0, "exp"],
  rate: OVER_TIME,
  resets: OVER_TIME,
  round: [[V, S], V, 1],
  scalar: [[V], S],
  sgn: ELEMENTWISE,
  sin: ELEMENTWISE,
  sinh: ELEMENTWISE,
  sort: ELEMENTWISE,
  sort_by_label: [[V, STR], V, -1, "exp"],
  sort_by_label_desc: [[V, STR], V, -1, "exp"],
  sort_desc: ELEMENTWISE,
  sqrt: ELEMENTWISE,
  start: [[], S, 0, "exp"],
  start_timestamp: ELEMENTWISE,
  stddev_over_time: OVER_TIME,
  stdvar_over_time: OVER_TIME,
  step: [[], S, 0, "exp"],
  sum_over_time: OVER_TIME,
  tan: ELEMENTWISE,
  tanh: ELEMENTWISE,
  time: [[], S],
  timestamp: ELEMENTWISE,
  ts_of_first_over_time: [[M], V, 0, "exp"],
  ts_of_last_over_time: [[M], V, 0, "exp"],
  ts_of_max_over_time: [[M], V, 0, "exp"],
  ts_of_min_over_time: [[M], V, 0, "exp"],
  vector: [[S], V],
  year: DATE,
};

/** Every PromQL function by name. */
export const FUNCTIONS: ReadonlyMap<string, PromqlFunction> = new Map(
  Object.entries(SHAPES).map(([name, [argTypes, returnType, variadic = 0, experimental]]) => [
    name,
    Object.freeze({ name, argTypes, variadic, returnType, experimental: experimental === "exp" }),
  ]),
);

export function getFunction(name: string): PromqlFunction | undefined {
  return FUNCTIONS.get(name);
}

/** Aggregation operators behind the experimental-functions flag (they are operators, not functions). */
export const EXPERIMENTAL_AGGREGATIONS: readonly string[] = ["limitk", "limit_ratio"];

/** Functions whose value depends on the evaluation time itself; the `@`-rewrite test variant skips them. */
export const TIME_DEPENDENT_FUNCTIONS: readonly string[] = [
  "time",
  "timestamp",
  "day_of_month",
  "day_of_week",
  "day_of_year",
  "days_in_month",
  "hour",
  "minute",
  "month",
  "year",
  "predict_linear",
  "start",
  "end",
  "range",
  "step",
];
