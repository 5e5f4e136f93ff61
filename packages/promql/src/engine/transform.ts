import type { Call, Expr, VectorSelector } from "../parser/ast";
import { getLabel, isNameLabel, METRIC_NAME, normalizeLabels, type Label } from "../value";
import { EvaluationError } from "./errors";
import type { Evaluator } from "./evaluator";
import { classicHistogramQuantile, nativeHistogramFunction, NATIVE_HISTOGRAM_FUNCTIONS } from "./histogram-functions";
import { evalInfo } from "./info";
import { labelJoin, labelReplace } from "./labels-functions";
import { mergeSeriesPoints } from "./merge-series";
import { naturalLess } from "./natural-sort";
import {
  ABSENT,
  FLOAT,
  newStepSeries,
  type EvalValue,
  type ScalarSteps,
  type StepRange,
  type StepSeries,
} from "./types";
import { upperBound } from "./evaluator";

type FloatFn = (v: number, args: Float64Array) => number;

const TO_DEG = 180 / Math.PI;
const TO_RAD = Math.PI / 180;

/** Element-wise float functions: histograms are skipped, the name is dropped. */
const ELEMENTWISE: Record<string, FloatFn> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (v) => v * TO_DEG,
  rad: (v) => v * TO_RAD,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
  round: (v, a) => {
    const toNearest = a.length > 0 ? a[0] : 1;
    const inv = 1 / toNearest;
    return Math.floor(v * inv + 0.5) / inv;
  },
  clamp: (v, a) => Math.max(a[0], Math.min(a[1], v)),
  clamp_min: (v, a) => Math.max(a[0], v),
  clamp_max: (v, a) => Math.min(a[0], v),
};

/** Go's math.Max/Min propagate NaN like Math.max/min, so the table above matches Prometheus. */

const DATE_FUNCTIONS: Record<string, (d: Date) => number> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => {
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    return Math.floor((d.getTime() - start) / 86400000) + 1;
  },
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

function stepTimes(r: StepRange): Float64Array {
  const out = new Float64Array(r.steps);
  for (let i = 0; i < r.steps; i++) out[i] = r.start + i * r.interval;
  return out;
}

function scalarOf(values: Float64Array): ScalarSteps {
  return { kind: "scalar", values };
}

export function evalInstantFunction(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  const name = e.func.name;
  const elementwise = ELEMENTWISE[name];
  if (elementwise) {
    const v = ev.evalVector(e.args[0], r);
    const args = e.args.slice(1).map((a) => ev.evalScalar(a, r).values);
    const argv = new Float64Array(args.length);
    const out: StepSeries[] = [];
    for (const s of v.series) {
      const o = newStepSeries(s.labels, r.steps, true);
      let any = false;
      for (let i = 0; i < r.steps; i++) {
        if (s.kinds[i] !== FLOAT) continue;
        for (let k = 0; k < args.length; k++) argv[k] = args[k][i];
        if (name === "clamp" && argv[1] < argv[0]) continue;
        o.kinds[i] = FLOAT;
        o.floats[i] = elementwise(s.floats[i], argv);
        any = true;
      }
      if (any) out.push(o);
    }
    return { kind: "vector", series: out };
  }
  const date = DATE_FUNCTIONS[name];
  if (date) {
    const series: StepSeries[] =
      e.args.length === 0
        ? [
            {
              labels: [],
              kinds: new Uint8Array(r.steps).fill(FLOAT),
              floats: secondsOf(stepTimes(r)),
              hists: null,
              dropName: false,
            },
          ]
        : ev.evalVector(e.args[0], r).series;
    const out: StepSeries[] = [];
    for (const s of series) {
      const o = newStepSeries(s.labels, r.steps, true);
      let any = false;
      for (let i = 0; i < r.steps; i++) {
        if (s.kinds[i] !== FLOAT) continue;
        o.kinds[i] = FLOAT;
        o.floats[i] = date(new Date(Math.trunc(s.floats[i]) * 1000));
        any = true;
      }
      if (any) out.push(o);
    }
    return { kind: "vector", series: out };
  }
  switch (name) {
    case "time":
      return scalarOf(secondsOf(stepTimes(r)));
    case "pi":
      return scalarOf(new Float64Array(r.steps).fill(Math.PI));
    case "start":
      return scalarOf(new Float64Array(r.steps).fill(ev.cfg.queryStart / 1000));
    case "end":
      return scalarOf(new Float64Array(r.steps).fill(ev.cfg.queryEnd / 1000));
    case "range":
      return scalarOf(new Float64Array(r.steps).fill((ev.cfg.queryEnd - ev.cfg.queryStart) / 1000));
    case "step":
      return scalarOf(new Float64Array(r.steps).fill(ev.cfg.queryStep / 1000));
    case "min_of":
    case "max_of": {
      const a = ev.evalScalar(e.args[0], r).values;
      const b = ev.evalScalar(e.args[1], r).values;
      const out = new Float64Array(r.steps);
      for (let i = 0; i < r.steps; i++) out[i] = name === "min_of" ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
      return scalarOf(out);
    }
    case "vector": {
      const s = ev.evalScalar(e.args[0], r).values;
      return {
        kind: "vector",
        series: [{ labels: [], kinds: new Uint8Array(r.steps).fill(FLOAT), floats: s, hists: null, dropName: false }],
      };
    }
    case "scalar": {
      const v = ev.evalVector(e.args[0], r);
      const out = new Float64Array(r.steps);
      for (let i = 0; i < r.steps; i++) {
        let found = 0;
        let value = NaN;
        for (const s of v.series) {
          if (s.kinds[i] !== FLOAT) continue;
          found++;
          value = s.floats[i];
        }
        out[i] = found === 1 ? value : NaN;
      }
      return scalarOf(out);
    }
    case "absent":
    case "absent_over_time":
      return absent(ev, e, r);
    case "timestamp":
      return timestamp(ev, e, r);
    case "start_timestamp":
      return startTimestamp(ev, e, r);
    case "label_replace": {
      const v = ev.evalVector(e.args[0], r);
      const [dst, repl, src, regex] = e.args.slice(1).map((a) => stringArg(ev, a, r));
      return { kind: "vector", series: mergeSameLabels(labelReplace(v.series, dst, repl, src, regex)) };
    }
    case "label_join": {
      const v = ev.evalVector(e.args[0], r);
      const [dst, sep, ...srcs] = e.args.slice(1).map((a) => stringArg(ev, a, r));
      return { kind: "vector", series: mergeSameLabels(labelJoin(v.series, dst, sep, srcs)) };
    }
    case "sort":
    case "sort_desc":
    case "sort_by_label":
    case "sort_by_label_desc":
      return sortFunction(ev, e, r);
    case "info":
      return evalInfo(ev, e, r);
    case "histogram_quantile":
    case "histogram_quantiles":
      return classicHistogramQuantile(ev, e, r);
    default:
      if (NATIVE_HISTOGRAM_FUNCTIONS.has(name)) return nativeHistogramFunction(ev, e, r);
      throw new EvaluationError(`function ${name} is not implemented`);
  }
}

function secondsOf(ms: Float64Array): Float64Array {
  for (let i = 0; i < ms.length; i++) ms[i] /= 1000;
  return ms;
}

export function stringArg(ev: Evaluator, a: Expr, r: StepRange): string {
  const v = ev.eval(a, r);
  if (v.kind !== "string") throw new EvaluationError("expected string argument");
  return v.value;
}

/** After relabelling, series that now share a label set merge; overlapping points are an error. */
export function mergeSameLabels(series: StepSeries[]): StepSeries[] {
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const s of series) {
    let key = "";
    for (const l of s.labels) if (!(s.dropName && isNameLabel(l.name))) key += l.name + "\xfe" + l.value + "\xff";
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, s);
      out.push(s);
      continue;
    }
    mergeSeriesPoints(prev, s);
  }
  return out;
}

function absentLabels(arg: Expr): Label[] {
  let node = arg;
  while (node.type === "ParenExpr") node = node.expr;
  let vs: VectorSelector | null = null;
  if (node.type === "VectorSelector") vs = node;
  else if (node.type === "MatrixSelector") vs = node.vectorSelector;
  if (!vs) return [];
  const seen = new Map<string, number>();
  const out: Label[] = [];
  for (const m of vs.matchers) {
    if (m.name === METRIC_NAME) continue;
    seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
    if (m.type === "=") out.push({ name: m.name, value: m.value });
  }
  // A label matched by equality more than once is ambiguous and left out.
  return normalizeLabels(out.filter((l) => seen.get(l.name) === 1));
}

function absent(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  const present = new Uint8Array(r.steps);
  if (e.func.name === "absent") {
    const v = ev.evalVector(e.args[0], r);
    for (const s of v.series) for (let i = 0; i < r.steps; i++) if (s.kinds[i] !== ABSENT) present[i] = 1;
  } else {
    const arg = ev.evalRangeArg(e.args[0], r);
    for (const s of arg.series) {
      for (let i = 0; i < r.steps; i++) {
        if (present[i]) continue;
        const end = arg.ends[i];
        const start = end - arg.range;
        const f = upperBound(s.ft, start);
        const h = upperBound(s.ht, start);
        if ((f < s.ft.length && s.ft[f] <= end) || (h < s.ht.length && s.ht[h] <= end)) present[i] = 1;
      }
    }
  }
  const o = newStepSeries(absentLabels(e.args[0]), r.steps, false);
  let any = false;
  for (let i = 0; i < r.steps; i++) {
    if (present[i]) continue;
    o.kinds[i] = FLOAT;
    o.floats[i] = 1;
    any = true;
  }
  return { kind: "vector", series: any ? [o] : [] };
}

function timestamp(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  let arg = e.args[0];
  while (arg.type === "ParenExpr") arg = arg.expr;
  if (arg.type === "VectorSelector") {
    const ts: Float64Array[] = [];
    const v = ev.evalVectorSelector(arg, r, ts);
    v.series.forEach((s, k) => {
      for (let i = 0; i < r.steps; i++) {
        if (s.kinds[i] === ABSENT) continue;
        s.kinds[i] = FLOAT;
        s.floats[i] = ts[k][i] / 1000;
      }
      s.dropName = true;
    });
    return v;
  }
  const v = ev.evalVector(e.args[0], r);
  for (const s of v.series) {
    for (let i = 0; i < r.steps; i++) {
      if (s.kinds[i] === ABSENT) continue;
      s.kinds[i] = FLOAT;
      s.floats[i] = (r.start + i * r.interval) / 1000;
    }
    s.dropName = true;
  }
  return v;
}

/** start_timestamp(v): the start time of each selected sample (0 where unknown); only for a plain selector. */
function startTimestamp(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  let arg = e.args[0];
  while (arg.type === "ParenExpr") arg = arg.expr;
  if (arg.type !== "VectorSelector") {
    ev.evalVector(e.args[0], r);
    return { kind: "vector", series: [] };
  }
  const starts: Float64Array[] = [];
  const v = ev.evalVectorSelector(arg, r, null, starts);
  v.series.forEach((s, k) => {
    for (let i = 0; i < r.steps; i++) {
      if (s.kinds[i] === ABSENT) continue;
      const st = starts[k][i];
      s.kinds[i] = FLOAT;
      s.floats[i] = st === st ? st / 1000 : 0;
    }
    s.dropName = true;
  });
  return v;
}

function sortFunction(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  const name = e.func.name;
  const v = ev.evalVector(e.args[0], r);
  if (ev.cfg.queryStep > 0) {
    ev.annotations.warn("sort is ineffective for range queries since results are always ordered by labels", e.pos);
    return v;
  }
  if (name === "sort" || name === "sort_desc") {
    const desc = name === "sort_desc";
    const floats = v.series.filter((s) => s.kinds[0] === FLOAT);
    floats.sort((a, b) => {
      const x = a.floats[0];
      const y = b.floats[0];
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
      if (Number.isNaN(y)) return -1;
      return desc ? y - x : x - y;
    });
    return { kind: "vector", series: floats };
  }
  const names = e.args.slice(1).map((a) => stringArg(ev, a, r));
  const desc = name === "sort_by_label_desc";
  const series = [...v.series];
  series.sort((a, b) => {
    for (const n of names) {
      const x = getLabel(a.labels, n);
      const y = getLabel(b.labels, n);
      if (x === y) continue;
      const c = naturalLess(x, y) ? -1 : 1;
      return desc ? -c : c;
    }
    const c = compareLabelSets(a.labels, b.labels);
    return desc ? -c : c;
  });
  return { kind: "vector", series };
}

function compareLabelSets(a: readonly Label[], b: readonly Label[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i].name !== b[i].name) return a[i].name < b[i].name ? -1 : 1;
    if (a[i].value !== b[i].value) return a[i].value < b[i].value ? -1 : 1;
  }
  return a.length - b.length;
}
