import { histogramNeg } from "../histogram/arithmetic";
import { HistogramSchemaMixError } from "../histogram/errors";
import { histogramInterpolate } from "../histogram/interpolate";
import type { FloatHistogram } from "../histogram/types";
import type {
  AggregateExpr,
  BinaryExpr,
  Call,
  Expr,
  MatrixSelector,
  SubqueryExpr,
  VectorSelector,
} from "../parser/ast";
import type { Series } from "../storage";
import { getLabel, isStaleNaN, METRIC_NAME } from "../value";
import type { Annotations } from "./annotations";
import { evalAggregate } from "./aggregate";
import { evalBinary } from "./binary";
import { EvaluationError, QueryCanceledError, QueryTimeoutError, TooManySamplesError } from "./errors";
import { resolveAt } from "./plan";
import { FLOAT_ROLLUPS, NAME_KEEPING_ROLLUPS, RollupArgumentError, type RollupOutput, type Window } from "./rollup";
import { HISTOGRAM_ROLLUPS } from "./rollup-histogram";
import { resolveHints } from "./stats-decoding";
import { evalInstantFunction } from "./transform";
import {
  FLOAT,
  HIST,
  makeStepRange,
  newStepSeries,
  setHist,
  type EvalValue,
  type MatrixValue,
  type RangeSeries,
  type ScalarSteps,
  type StepRange,
  type StepSeries,
  type VectorSteps,
} from "./types";

export interface EvaluatorConfig {
  readonly query: string;
  readonly lookbackDelta: number;
  readonly queryStart: number;
  readonly queryEnd: number;
  readonly queryStep: number;
  readonly defaultSubqueryStep: number;
  readonly maxSamples: number;
  readonly deadline: number;
  readonly signal?: AbortSignal;
  readonly annotations: Annotations;
  readonly data: ReadonlyMap<VectorSelector, Series[]>;
  readonly enableStartTimestamps: boolean;
  /** Selectors read like Prometheus's HistogramStatsIterator (see stats-decoding.ts). */
  readonly statsDecoding: ReadonlySet<VectorSelector>;
}

/** A range argument prepared for windowing: per step i the window is `(ends[i] - range, ends[i]]`. */
export interface RangeArg {
  series: RangeSeries[];
  range: number;
  ends: Float64Array;
}

/** Evaluates an expression at every step of a StepRange; Prometheus 3 semantics. */
export class Evaluator {
  #samples = 0;
  #subqueryDepth = 0;
  #checks = 0;

  constructor(readonly cfg: EvaluatorConfig) {}

  get annotations(): Annotations {
    return this.cfg.annotations;
  }

  /** Counts samples held in memory; fails like Prometheus past the per-query limit. */
  addSamples(n: number): void {
    this.#samples += n;
    if (this.#samples > this.cfg.maxSamples) throw new TooManySamplesError();
  }

  releaseSamples(n: number): void {
    this.#samples -= n;
  }

  checkInterrupt(where: string): void {
    if (++this.#checks % 64 !== 0) return;
    if (this.cfg.signal?.aborted) throw new QueryCanceledError(where);
    if (Date.now() > this.cfg.deadline) throw new QueryTimeoutError(where);
  }

  eval(expr: Expr, r: StepRange): EvalValue {
    this.checkInterrupt("expression evaluation");
    switch (expr.type) {
      case "NumberLiteral":
        return { kind: "scalar", values: new Float64Array(r.steps).fill(expr.value) };
      case "StringLiteral":
        return { kind: "string", value: expr.value };
      case "ParenExpr":
        return this.eval(expr.expr, r);
      case "UnaryExpr":
        return this.evalUnary(expr.op, this.eval(expr.expr, r));
      case "VectorSelector":
        return this.evalVectorSelector(expr, r, null);
      case "MatrixSelector":
      case "SubqueryExpr":
        return this.evalMatrixAt(expr, r);
      case "BinaryExpr":
        return this.evalBinaryExpr(expr, r);
      case "AggregateExpr":
        return this.evalAggregateExpr(expr, r);
      case "Call":
        return this.evalCall(expr, r);
    }
  }

  evalVector(expr: Expr, r: StepRange): VectorSteps {
    const v = this.eval(expr, r);
    if (v.kind !== "vector") throw new EvaluationError(`expected instant vector, got ${v.kind}`);
    return v;
  }

  evalScalar(expr: Expr, r: StepRange): ScalarSteps {
    const v = this.eval(expr, r);
    if (v.kind !== "scalar") throw new EvaluationError(`expected scalar, got ${v.kind}`);
    return v;
  }

  stepTime(r: StepRange, i: number): number {
    return r.start + i * r.interval;
  }

  private evalUnary(op: "-" | "+", v: EvalValue): EvalValue {
    if (op === "+") return v;
    if (v.kind === "scalar") {
      const out = new Float64Array(v.values.length);
      for (let i = 0; i < out.length; i++) out[i] = -v.values[i];
      return { kind: "scalar", values: out };
    }
    if (v.kind !== "vector") throw new EvaluationError("unary minus on a non-numeric value");
    for (const s of v.series) {
      for (let i = 0; i < s.kinds.length; i++) {
        if (s.kinds[i] === FLOAT) s.floats[i] = -s.floats[i];
        else if (s.kinds[i] === HIST) s.hists![i] = histogramNeg(s.hists![i]!);
      }
      s.dropName = true;
    }
    return v;
  }

  /**
   * An instant vector selector: at each step the newest sample in `(t - lookback, t]`, unless that is a stale
   * marker. `timestamps`, when given, receives each point's sample timestamp (for `timestamp()`).
   */
  evalVectorSelector(
    vs: VectorSelector,
    r: StepRange,
    timestamps: Float64Array[] | null,
    startTimes: Float64Array[] | null = null,
  ): VectorSteps {
    const data = this.seriesOf(vs);
    const at = resolveAt(vs.at, this.cfg.queryStart, this.cfg.queryEnd);
    const lookback = this.cfg.lookbackDelta;
    const out: StepSeries[] = [];
    for (const s of data) {
      this.checkInterrupt("vector selector evaluation");
      const { t: ft, v: fv } = s.floats;
      const ht = s.histograms?.t;
      const hv = s.histograms?.h;
      const fn = ft.length;
      const hn = ht ? ht.length : 0;
      const series = newStepSeries(s.labels, r.steps, false);
      const ts = timestamps ? new Float64Array(r.steps) : null;
      const sts = startTimes ? new Float64Array(r.steps) : null;
      const fst = s.floats.st;
      const hst = s.histograms?.st;
      let fi = 0;
      let hi = 0;
      let any = false;
      for (let i = 0; i < r.steps; i++) {
        const t = (at ?? r.start + i * r.interval) - vs.offset;
        while (fi < fn && ft[fi] <= t) fi++;
        while (hi < hn && ht![hi] <= t) hi++;
        const tf = fi > 0 ? ft[fi - 1] : -Infinity;
        const th = hi > 0 ? ht![hi - 1] : -Infinity;
        const nextF = fi < fn ? ft[fi] : Infinity;
        const nextH = hi < hn ? ht![hi] : Infinity;
        const prevIsFloat = tf >= th;
        const crossesKinds =
          (tf > t - lookback && th > t - lookback) ||
          (prevIsFloat
            ? nextH < nextF && nextH - t <= lookback && tf < t
            : nextF < nextH && nextF - t <= lookback && th < t);
        if (vs.smoothed && Math.max(tf, th) > t - lookback && crossesKinds) {
          this.cfg.annotations.warn(
            `encountered a mix of histograms and floats for metric name ${JSON.stringify(getLabel(s.labels, METRIC_NAME))}`,
            vs.pos,
          );
          continue;
        }
        if (vs.smoothed && tf >= th) {
          // Interpolate between the samples around t; hold the last value flat after the data.
          if (tf <= t - lookback) continue;
          const v0 = fv[fi - 1];
          if (v0 !== v0 && isStaleNaN(v0)) continue;
          let v = v0;
          if (tf < t && fi < fn && ft[fi] - t <= lookback && !isStaleNaN(fv[fi])) {
            v = v0 + ((fv[fi] - v0) * (t - tf)) / (ft[fi] - tf);
          }
          series.kinds[i] = FLOAT;
          series.floats[i] = v;
          if (ts) ts[i] = t;
          any = true;
          continue;
        }
        if (tf >= th) {
          if (tf <= t - lookback) continue;
          const v = fv[fi - 1];
          if (v !== v && isStaleNaN(v)) continue;
          series.kinds[i] = FLOAT;
          series.floats[i] = v;
          if (ts) ts[i] = tf;
          if (sts) sts[i] = fst ? fst[fi - 1] : NaN;
        } else if (vs.smoothed) {
          if (th <= t - lookback) continue;
          let h = hv![hi - 1];
          if (th < t && hi < hn && ht![hi] - t <= lookback && !(fi < fn && ft[fi] < ht![hi])) {
            try {
              h = histogramInterpolate(h, hv![hi], (t - th) / (ht![hi] - th)).histogram;
            } catch (err) {
              if (!(err instanceof HistogramSchemaMixError)) throw err;
              this.cfg.annotations.warn(
                `vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${JSON.stringify(getLabel(s.labels, METRIC_NAME))}`,
                vs.pos,
              );
              continue;
            }
          }
          setHist(series, i, h);
          if (ts) ts[i] = t;
        } else {
          if (th <= t - lookback) continue;
          // "Not a counter reset" describes the step from the stored predecessor, which need not be the previous
          // point of this result (subqueries, sparse steps): Prometheus turns it into "unknown" here.
          const h = hv![hi - 1];
          const forget = this.#subqueryDepth > 0 && h.counterResetHint === "notCounterReset";
          setHist(series, i, forget ? { ...h, counterResetHint: "unknown" } : h);
          if (ts) ts[i] = th;
          if (sts) sts[i] = hst ? hst[hi - 1] : NaN;
        }
        any = true;
      }
      if (any) {
        out.push(series);
        timestamps?.push(ts!);
        startTimes?.push(sts!);
        this.addSamples(r.steps);
      }
    }
    return { kind: "vector", series: out };
  }

  private seriesOf(vs: VectorSelector): Series[] {
    const data = this.cfg.data.get(vs) ?? [];
    if (!this.cfg.statsDecoding.has(vs)) return data;
    return data.map((s) =>
      s.histograms ? { ...s, histograms: { ...s.histograms, h: resolveHints(s.histograms.h) } } : s,
    );
  }

  /** The raw samples of a matrix selector as range series (stale markers removed). */
  private rangeSeriesOf(ms: MatrixSelector): RangeSeries[] {
    const data = this.seriesOf(ms.vectorSelector);
    const out: RangeSeries[] = [];
    for (const s of data) {
      let { t: ft, v: fv } = s.floats;
      let fst = s.floats.st ?? null;
      let stale = 0;
      for (let i = 0; i < fv.length; i++) if (fv[i] !== fv[i] && isStaleNaN(fv[i])) stale++;
      if (stale > 0) {
        const n = fv.length - stale;
        const nt = new Float64Array(n);
        const nv = new Float64Array(n);
        const nst = fst ? new Float64Array(n) : null;
        let k = 0;
        for (let i = 0; i < fv.length; i++) {
          if (fv[i] !== fv[i] && isStaleNaN(fv[i])) continue;
          nt[k] = ft[i];
          nv[k] = fv[i];
          if (nst) nst[k] = fst![i];
          k++;
        }
        ft = nt;
        fv = nv;
        fst = nst;
      }
      out.push({
        labels: s.labels,
        ft,
        fv,
        fst: this.cfg.enableStartTimestamps ? fst : null,
        hst: this.cfg.enableStartTimestamps ? (s.histograms?.st ?? null) : null,
        ht: s.histograms?.t ?? EMPTY_F64,
        hv: s.histograms?.h ?? [],
        dropName: false,
      });
    }
    return out;
  }

  /** A matrix selector or subquery as the argument of a function evaluated over `r`. */
  evalRangeArg(node: Expr, r: StepRange): RangeArg {
    while (node.type === "ParenExpr") node = node.expr;
    if (node.type === "MatrixSelector") {
      const vs = node.vectorSelector;
      const at = resolveAt(vs.at, this.cfg.queryStart, this.cfg.queryEnd);
      const ends = new Float64Array(r.steps);
      for (let i = 0; i < r.steps; i++) ends[i] = (at ?? r.start + i * r.interval) - vs.offset;
      return { series: this.rangeSeriesOf(node), range: node.range, ends };
    }
    if (node.type === "SubqueryExpr") return this.evalSubquery(node, r);
    throw new EvaluationError(`expected range vector, got ${node.type}`);
  }

  private evalSubquery(sq: SubqueryExpr, r: StepRange): RangeArg {
    const at = resolveAt(sq.at, this.cfg.queryStart, this.cfg.queryEnd);
    const step = sq.step > 0 ? sq.step : this.cfg.defaultSubqueryStep;
    const outerStart = at ?? r.start;
    const outerEnd = at ?? this.stepTime(r, r.steps - 1);
    const first = outerStart - sq.offset - sq.range;
    // Go's integer division truncates towards zero; the first step is the first multiple of step after `first`.
    let innerStart = step * Math.trunc(first / step);
    if (innerStart <= first) innerStart += step;
    const innerEnd = outerEnd - sq.offset;
    const ends = new Float64Array(r.steps);
    for (let i = 0; i < r.steps; i++) ends[i] = (at ?? r.start + i * r.interval) - sq.offset;
    if (innerEnd < innerStart) return { series: [], range: sq.range, ends };
    const inner = makeStepRange(innerStart, innerEnd, step);
    this.#subqueryDepth++;
    let v: EvalValue;
    try {
      v = this.eval(sq.expr, inner);
    } finally {
      this.#subqueryDepth--;
    }
    const series: RangeSeries[] = [];
    if (v.kind === "vector") {
      for (const s of v.series) series.push(stepSeriesToRange(s, inner));
    } else if (v.kind === "scalar") {
      series.push(
        stepSeriesToRange(
          {
            labels: [],
            kinds: new Uint8Array(inner.steps).fill(FLOAT),
            floats: v.values,
            hists: null,
            dropName: false,
          },
          inner,
        ),
      );
    }
    return { series, range: sq.range, ends };
  }

  /** A range vector as a query result (instant queries only): the window at the single step. */
  private evalMatrixAt(node: MatrixSelector | SubqueryExpr, r: StepRange): MatrixValue {
    const arg = this.evalRangeArg(node, r);
    const end = arg.ends[0];
    const start = end - arg.range;
    const out: RangeSeries[] = [];
    for (const s of arg.series) {
      const flo = upperBound(s.ft, start);
      const fhi = upperBound(s.ft, end);
      const hlo = upperBound(s.ht, start);
      const hhi = upperBound(s.ht, end);
      if (fhi === flo && hhi === hlo) continue;
      out.push({
        labels: s.labels,
        ft: s.ft.slice(flo, fhi),
        fv: s.fv.slice(flo, fhi),
        fst: null,
        ht: s.ht.slice(hlo, hhi),
        hv: s.hv.slice(hlo, hhi),
        dropName: s.dropName,
      });
    }
    return { kind: "matrix", series: out };
  }

  private evalBinaryExpr(e: BinaryExpr, r: StepRange): EvalValue {
    const lhs = this.eval(e.lhs, r);
    const rhs = this.eval(e.rhs, r);
    return evalBinary(this, e, lhs, rhs, r);
  }

  private evalAggregateExpr(e: AggregateExpr, r: StepRange): EvalValue {
    return evalAggregate(this, e, r);
  }

  private evalCall(e: Call, r: StepRange): EvalValue {
    const name = e.func.name;
    const matrixIndex = e.func.argTypes.indexOf("matrix");
    if (matrixIndex >= 0 && name !== "absent_over_time") return this.evalRollup(e, matrixIndex, r);
    return evalInstantFunction(this, e, r);
  }

  /** A function over a range vector: slides the window over each series, one result per step. */
  private evalRollup(e: Call, matrixIndex: number, r: StepRange): VectorSteps {
    const name = e.func.name;
    const floatFn = FLOAT_ROLLUPS[name];
    const histFn = HISTOGRAM_ROLLUPS[name];
    if (!floatFn) throw new EvaluationError(`function ${name} is not implemented`);
    const scalarArgs: ScalarSteps[] = [];
    for (let k = 0; k < e.args.length; k++) if (k !== matrixIndex) scalarArgs.push(this.evalScalar(e.args[k], r));
    const arg = this.evalRangeArg(e.args[matrixIndex], r);
    const argPos = e.args[matrixIndex].pos;
    const keepName = NAME_KEEPING_ROLLUPS.has(name);
    const anns = this.cfg.annotations;
    const w: Window = {
      ft: EMPTY_F64,
      fv: EMPTY_F64,
      fst: null,
      hst: null,
      flo: 0,
      fhi: 0,
      ht: EMPTY_F64,
      hv: [],
      hlo: 0,
      hhi: 0,
      rangeStart: 0,
      rangeEnd: 0,
      range: arg.range,
      evalTime: 0,
      metricName: "",
      mode: null,
      resets: null,
      lookback: this.cfg.lookbackDelta,
    };
    let rangeNode = e.args[matrixIndex];
    while (rangeNode.type === "ParenExpr") rangeNode = rangeNode.expr;
    if (rangeNode.type === "MatrixSelector") {
      const vs = rangeNode.vectorSelector;
      w.mode = vs.anchored ? "anchored" : vs.smoothed ? "smoothed" : null;
    }
    const res: RollupOutput = {
      f: 0,
      h: null,
      warn: (text) => anns.warn(text, argPos),
      info: (text) => anns.info(text, argPos),
      warnAt: (text) => anns.warn(text, e.pos),
    };
    const argValues = new Float64Array(scalarArgs.length);
    const countsResets = (name === "rate" || name === "increase") && arg.range > 0;
    const out: StepSeries[] = [];
    for (const s of arg.series) {
      this.checkInterrupt("range function evaluation");
      w.ft = s.ft;
      w.fv = s.fv;
      w.fst = s.fst;
      w.hst = s.hst ?? null;
      w.ht = s.ht;
      w.hv = s.hv;
      w.metricName = getLabel(s.labels, METRIC_NAME);
      w.resets = countsResets ? resetPositions(s.fv) : null;
      const series = newStepSeries(s.labels, r.steps, !keepName || s.dropName);
      let flo = 0;
      let fhi = 0;
      let hlo = 0;
      let hhi = 0;
      const fn = s.ft.length;
      const hn = s.ht.length;
      let anyFloat = false;
      let any = false;
      let windowSamples = 0;
      for (let i = 0; i < r.steps; i++) {
        const end = arg.ends[i];
        const start = end - arg.range;
        while (fhi < fn && s.ft[fhi] <= end) fhi++;
        while (flo < fhi && s.ft[flo] <= start) flo++;
        while (hhi < hn && s.ht[hhi] <= end) hhi++;
        while (hlo < hhi && s.ht[hlo] <= start) hlo++;
        if (flo === fhi && hlo === hhi && w.mode !== "smoothed") continue;
        const n = fhi - flo + (hhi - hlo);
        if (n > windowSamples) {
          this.addSamples(n - windowSamples);
          windowSamples = n;
        }
        w.flo = flo;
        w.fhi = fhi;
        w.hlo = hlo;
        w.hhi = hhi;
        w.rangeStart = start;
        w.rangeEnd = end;
        w.evalTime = r.start + i * r.interval;
        for (let k = 0; k < scalarArgs.length; k++) argValues[k] = scalarArgs[k].values[i];
        let kind: number;
        try {
          // An anchored window also reads the histogram just before it.
          const hasHist =
            hhi > hlo ||
            (w.mode === "anchored" && hlo > 0 && s.ht[hlo - 1] > start - w.lookback) ||
            (w.mode === "smoothed" && hlo > 0 && (flo === 0 || s.ht[hlo - 1] > s.ft[flo - 1]));
          kind = hasHist && histFn ? histFn(w, res, argValues) : floatFn(w, res, argValues);
        } catch (err) {
          if (err instanceof RollupArgumentError) throw new EvaluationError(err.message);
          throw err;
        }
        if (kind === FLOAT) {
          series.kinds[i] = FLOAT;
          series.floats[i] = res.f;
          anyFloat = true;
          any = true;
        } else if (kind === HIST) {
          setHist(series, i, res.h!);
          any = true;
        }
      }
      this.releaseSamples(windowSamples);
      if (!any) continue;
      this.addSamples(r.steps);
      if ((name === "rate" || name === "increase") && anyFloat) {
        const metric = w.metricName;
        if (metric !== "" && !/(_total|_sum|_count|_bucket)$/.test(metric)) {
          anns.info(
            `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(metric)}`,
            argPos,
          );
        }
      }
      out.push(series);
    }
    return { kind: "vector", series: out };
  }
}

const EMPTY_F64 = new Float64Array(0);

/** Positions where a float series decreases (counter resets), so rate windows need not rescan their samples. */
function resetPositions(fv: Float64Array): Int32Array {
  let n = 0;
  for (let k = 1; k < fv.length; k++) if (fv[k] < fv[k - 1]) n++;
  const out = new Int32Array(n);
  n = 0;
  for (let k = 1; k < fv.length; k++) if (fv[k] < fv[k - 1]) out[n++] = k;
  return out;
}

/** The present points of a step series as a range series. */
export function stepSeriesToRange(s: StepSeries, r: StepRange): RangeSeries {
  let nf = 0;
  let nh = 0;
  for (let i = 0; i < s.kinds.length; i++) {
    if (s.kinds[i] === FLOAT) nf++;
    else if (s.kinds[i] === HIST) nh++;
  }
  const ft = new Float64Array(nf);
  const fv = new Float64Array(nf);
  const ht = new Float64Array(nh);
  const hv: FloatHistogram[] = [];
  let f = 0;
  let h = 0;
  for (let i = 0; i < s.kinds.length; i++) {
    if (s.kinds[i] === FLOAT) {
      ft[f] = r.start + i * r.interval;
      fv[f++] = s.floats[i];
    } else if (s.kinds[i] === HIST) {
      ht[h++] = r.start + i * r.interval;
      hv.push(s.hists![i]!);
    }
  }
  return { labels: s.labels, ft, fv, fst: null, ht, hv, dropName: s.dropName };
}

/** First index whose value is greater than x. */
export function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
