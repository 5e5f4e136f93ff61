import { bucketFraction, bucketQuantile, type ClassicBucket } from "../histogram/classic-quantile";
import { histogramFraction, histogramQuantile } from "../histogram/quantile";
import { histogramStdDev, histogramStdVar } from "../histogram/statistics";
import type { FloatHistogram } from "../histogram/types";
import type { Call } from "../parser/ast";
import { getLabel, METRIC_NAME, normalizeLabels, type Labels } from "../value";
import { formatFloat, formatGoValue } from "../format";
import { stringArg } from "./transform";
import { EvaluationError } from "./errors";
import type { Evaluator } from "./evaluator";
import { ABSENT, FLOAT, HIST, newStepSeries, type EvalValue, type StepRange, type StepSeries } from "./types";

export const NATIVE_HISTOGRAM_FUNCTIONS = new Set([
  "histogram_count",
  "histogram_sum",
  "histogram_avg",
  "histogram_stddev",
  "histogram_stdvar",
  "histogram_fraction",
]);

const SIMPLE: Record<string, (h: FloatHistogram) => number> = {
  histogram_count: (h) => h.count,
  histogram_sum: (h) => h.sum,
  histogram_avg: (h) => h.sum / h.count,
  histogram_stddev: histogramStdDev,
  histogram_stdvar: histogramStdVar,
};

function parseLe(value: string): number {
  const t = value.trim();
  if (t === "") return NaN;
  const lower = t.toLowerCase();
  if (lower === "+inf" || lower === "inf") return Infinity;
  if (lower === "-inf") return -Infinity;
  if (lower === "nan") return NaN;
  const v = Number(t);
  return t === "" || (Number.isNaN(v) && lower !== "nan") ? NaN : v;
}

function isValidLe(value: string): boolean {
  const t = value.toLowerCase();
  if (t === "nan" || t === "+inf" || t === "-inf" || t === "inf") return true;
  return (value !== "" && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value)) || /^0x[0-9a-f]+$/i.test(value);
}

interface ClassicGroup {
  labels: Labels;
  buckets: ClassicBucket[];
}

/** What a series contributes as a classic bucket, worked out once per query rather than at every step. */
interface BucketSeriesInfo {
  le: string;
  valid: boolean;
  upperBound: number;
  /** Labels without `le`, and their key: the group the bucket belongs to. */
  labels: Labels;
  groupKey: string;
  /** The key of all labels, to find a native histogram with the same label set. */
  fullKey: string;
}

/** Per-series bucket facts, shared by every step of one evaluation. */
type BucketInfoCache = Map<StepSeries, BucketSeriesInfo>;

function bucketInfo(cache: BucketInfoCache, s: StepSeries): BucketSeriesInfo {
  let info = cache.get(s);
  if (info) return info;
  const le = getLabel(s.labels, "le");
  const labels = s.labels.filter((l) => l.name !== "le");
  let groupKey = "";
  for (const l of labels) groupKey += l.name + "\xfe" + l.value + "\xff";
  let fullKey = "";
  for (const l of s.labels) fullKey += l.name + "\xfe" + l.value + "\xff";
  const valid = isValidLe(le);
  info = { le, valid, upperBound: valid ? parseLe(le) : NaN, labels, groupKey, fullKey };
  cache.set(s, info);
  return info;
}

/**
 * Splits one step's input into native histograms and classic bucket groups (keyed by labels without `le`), dropping
 * both where a native histogram and classic buckets share a label set, as Prometheus does.
 */
function splitStep(ev: Evaluator, e: Call, series: StepSeries[], i: number, argIndex: number, cache: BucketInfoCache) {
  const pos = e.args[argIndex].pos;
  const groups = new Map<string, ClassicGroup>();
  const natives: { s: StepSeries; h: FloatHistogram }[] = [];
  for (const s of series) {
    const kind = s.kinds[i];
    if (kind === ABSENT) continue;
    if (kind === HIST) {
      natives.push({ s, h: s.hists![i]! });
      continue;
    }
    const info = bucketInfo(cache, s);
    if (!info.valid) {
      ev.annotations.warn(
        `bucket label "le" is missing or has a malformed value of ${JSON.stringify(info.le)} for metric name ${JSON.stringify(getLabel(s.labels, METRIC_NAME))}`,
        pos,
      );
      continue;
    }
    let g = groups.get(info.groupKey);
    if (!g) groups.set(info.groupKey, (g = { labels: info.labels, buckets: [] }));
    g.buckets.push({ upperBound: info.upperBound, count: s.floats[i] });
  }
  const keptNatives: { s: StepSeries; h: FloatHistogram }[] = [];
  for (const n of natives) {
    const key = bucketInfo(cache, n.s).fullKey;
    const g = groups.get(key);
    if (g && g.buckets.length > 0) {
      ev.annotations.warn(
        `vector contains a mix of classic and native histograms for metric name ${JSON.stringify(getLabel(n.s.labels, METRIC_NAME))}`,
        pos,
      );
      groups.delete(key);
      continue;
    }
    keptNatives.push(n);
  }
  return { groups, natives: keptNatives };
}

/** Collects per-step results into output series keyed by labels. */
class OutputCollector {
  readonly byKey = new Map<string, StepSeries>();
  /**
   * With `stableLabels`, callers pass the same label set object at every step (a group's labels, a series' labels):
   * it is found by identity without building its key again. Off where labels are built per step.
   */
  readonly #byObject: Map<Labels, StepSeries> | null;
  readonly out: StepSeries[] = [];
  constructor(
    private readonly steps: number,
    stableLabels: boolean,
  ) {
    this.#byObject = stableLabels ? new Map() : null;
  }
  set(labels: Labels, i: number, f: number): void {
    let o = this.#byObject?.get(labels);
    if (!o) {
      let key = "";
      for (const l of labels) key += l.name + "\xfe" + l.value + "\xff";
      o = this.byKey.get(key);
      if (!o) {
        o = newStepSeries(labels, this.steps, true);
        this.byKey.set(key, o);
        this.out.push(o);
      }
      this.#byObject?.set(labels, o);
    }
    if (o.kinds[i] !== ABSENT) throw new EvaluationError("vector cannot contain metrics with the same labelset");
    o.kinds[i] = FLOAT;
    o.floats[i] = f;
  }
}

/** histogram_quantile(q, v) and the experimental histogram_quantiles(v, "label", q1, q2, ...). */
export function classicHistogramQuantile(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  const multi = e.func.name === "histogram_quantiles";
  const vectorIndex = multi ? 0 : 1;
  const v = ev.evalVector(e.args[vectorIndex], r);
  const qArgs = multi ? e.args.slice(2) : [e.args[0]];
  const qs = qArgs.map((a) => ev.evalScalar(a, r).values);
  const labelName = multi ? stringArg(ev, e.args[1], r) : "";
  const out = new OutputCollector(r.steps, !multi);
  const infoCache: BucketInfoCache = new Map();
  const vpos = e.args[vectorIndex].pos;
  const withQuantile = (labels: Labels, q: number): Labels =>
    multi
      ? normalizeLabels([...labels.filter((l) => l.name !== labelName), { name: labelName, value: quantileLabel(q) }])
      : labels;
  for (let i = 0; i < r.steps; i++) {
    qs.forEach((q, k) => {
      const qi = q[i];
      if (Number.isNaN(qi) || qi < 0 || qi > 1) {
        ev.annotations.warn(`quantile value should be between 0 and 1, got ${formatGoValue(qi)}`, qArgs[k].pos);
      }
    });
    const { groups, natives } = splitStep(ev, e, v.series, i, vectorIndex, infoCache);
    for (const { s, h } of natives) {
      const name = JSON.stringify(getLabel(s.labels, METRIC_NAME));
      for (const q of qs) {
        const res = histogramQuantile(q[i], h);
        if (res.nanObservations === "skewedHigher") {
          ev.annotations.info(
            `input to histogram_quantile has NaN observations, result is skewed higher for metric name ${name}`,
            vpos,
          );
        } else if (res.nanObservations === "resultIsNaN") {
          ev.annotations.info(
            `input to histogram_quantile has NaN observations, result is NaN for metric name ${name}`,
            vpos,
          );
        }
        out.set(withQuantile(s.labels, q[i]), i, res.value);
      }
    }
    for (const g of groups.values()) {
      if (g.buckets.length === 0) continue;
      for (const q of qs) {
        // bucketQuantile only sorts the list in place (it merges and repairs copies), so every q can share it.
        const res = bucketQuantile(q[i], g.buckets);
        if (res.forcedMonotonic) {
          ev.annotations.info(
            `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name ${JSON.stringify(getLabel(g.labels, METRIC_NAME))}`,
            vpos,
          );
        }
        out.set(withQuantile(g.labels, q[i]), i, res.value);
      }
    }
  }
  return { kind: "vector", series: out.out };
}

/** The label value of a quantile in histogram_quantiles' output: always with a decimal point ("0.0", "0.25"). */
function quantileLabel(q: number): string {
  const text = formatFloat(q);
  return /^-?\d+$/.test(text) ? text + ".0" : text;
}

export function nativeHistogramFunction(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  const name = e.func.name;
  if (name === "histogram_fraction") {
    const lower = ev.evalScalar(e.args[0], r).values;
    const upper = ev.evalScalar(e.args[1], r).values;
    const v = ev.evalVector(e.args[2], r);
    const out = new OutputCollector(r.steps, true);
    const infoCache: BucketInfoCache = new Map();
    for (let i = 0; i < r.steps; i++) {
      const { groups, natives } = splitStep(ev, e, v.series, i, 2, infoCache);
      for (const { s, h } of natives) {
        const res = histogramFraction(lower[i], upper[i], h);
        if (res.nanObservationsExcluded) {
          ev.annotations.info(
            `input to histogram_fraction has NaN observations, which are excluded from all fractions for metric name ${JSON.stringify(getLabel(s.labels, METRIC_NAME))}`,
            e.args[2].pos,
          );
        }
        out.set(s.labels, i, res.value);
      }
      for (const g of groups.values()) {
        if (g.buckets.length === 0) continue;
        out.set(g.labels, i, bucketFraction(lower[i], upper[i], g.buckets));
      }
    }
    return { kind: "vector", series: out.out };
  }
  const fn = SIMPLE[name];
  const v = ev.evalVector(e.args[0], r);
  const out: StepSeries[] = [];
  for (const s of v.series) {
    const o = newStepSeries(s.labels, r.steps, true);
    let any = false;
    for (let i = 0; i < r.steps; i++) {
      if (s.kinds[i] !== HIST) continue;
      o.kinds[i] = FLOAT;
      o.floats[i] = fn(s.hists![i]!);
      any = true;
    }
    if (any) out.push(o);
  }
  return { kind: "vector", series: out };
}
