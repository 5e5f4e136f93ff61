import { HistogramKahanSum, HistogramMean } from "../histogram/accumulate";
import { combinedCounterResetHint } from "../histogram/arithmetic";
import { histogramString } from "../histogram/histogram-string";
import { compactHistogram } from "../histogram/compact";
import { HistogramSchemaMixError } from "../histogram/errors";
import type { CounterResetHint } from "../histogram/types";
import type { AggregateExpr } from "../parser/ast";
import { METRIC_NAME, normalizeLabels, type Label, type Labels } from "../value";
import { EvaluationError } from "./errors";
import { firstInOrder } from "./first-in-order";
import type { Evaluator } from "./evaluator";
import { formatFloat, formatGoValue } from "../format";
import { kahanSumInc } from "../kahan";
import { labelNameError } from "./label-names";
import { labelsHashFraction } from "./labels-hash";
import { quantile } from "./quantile";
import { ABSENT, FLOAT, HIST, newStepSeries, setHist, type EvalValue, type StepRange, type StepSeries } from "./types";

interface Grouping {
  /** Group index of each input series. */
  groupOf: Int32Array;
  /** Output labels of each group. */
  labels: Labels[];
  /** Whether any member of a group drops its name (only matters when the name is grouped on). */
  dropName: boolean[];
}

function groupSeries(e: AggregateExpr, series: StepSeries[]): Grouping {
  const names = new Set(e.grouping);
  const index = new Map<string, number>();
  const groupOf = new Int32Array(series.length);
  const labels: Labels[] = [];
  const dropName: boolean[] = [];
  for (let k = 0; k < series.length; k++) {
    const s = series[k];
    const out: Label[] = [];
    for (const l of s.labels) {
      if (e.without ? !names.has(l.name) && l.name !== METRIC_NAME : names.has(l.name)) out.push(l);
    }
    let key = "";
    for (const l of out) key += l.name + "\xfe" + l.value + "\xff";
    let g = index.get(key);
    if (g === undefined) {
      g = labels.length;
      index.set(key, g);
      labels.push(out);
      dropName.push(false);
    }
    if (s.dropName) dropName[g] = true;
    groupOf[k] = g;
  }
  return { groupOf, labels, dropName };
}

export function evalAggregate(ev: Evaluator, e: AggregateExpr, r: StepRange): EvalValue {
  let param: Float64Array | null = null;
  let stringParam = "";
  if (e.param) {
    const p = ev.eval(e.param, r);
    if (p.kind === "scalar") param = p.values;
    else if (p.kind === "string") stringParam = p.value;
  }
  const input = ev.evalVector(e.expr, r);
  const series = input.series;
  switch (e.op) {
    case "topk":
    case "bottomk":
    case "limitk":
    case "limit_ratio":
      return { kind: "vector", series: selectK(ev, e, series, param!, r) };
    case "count_values":
      return { kind: "vector", series: countValues(e, series, stringParam, r) };
    case "quantile":
      return { kind: "vector", series: quantileAgg(ev, e, series, param!, r) };
    default:
      return { kind: "vector", series: simpleAgg(ev, e, series, r) };
  }
}

function simpleAgg(ev: Evaluator, e: AggregateExpr, series: StepSeries[], r: StepRange): StepSeries[] {
  const { groupOf, labels, dropName } = groupSeries(e, series);
  const steps = r.steps;
  const ng = labels.length;
  const size = ng * steps;
  const op = e.op;
  // Per (group, step): value, compensation, count, mean, and what kinds were seen.
  const value = new Float64Array(size);
  const comp = new Float64Array(size);
  const count = new Float64Array(size);
  const mean = new Float64Array(size);
  const seenFloat = new Uint8Array(size);
  const incremental = op === "avg" ? new Uint8Array(size) : null;
  let hists: (HistogramKahanSum | HistogramMean | undefined)[] | null = null;
  let seenHist: Uint8Array | null = null;
  let badHist: Uint8Array | null = null;
  let hints: (CounterResetHint | undefined)[] | null = null;
  const c = new Float64Array(1);
  const pos = e.expr.pos;
  const anns = ev.annotations;
  for (let k = 0; k < series.length; k++) {
    const s = series[k];
    const base = groupOf[k] * steps;
    const kinds = s.kinds;
    const floats = s.floats;
    for (let i = 0; i < steps; i++) {
      const kind = kinds[i];
      if (kind === ABSENT) continue;
      const at = base + i;
      if (kind === HIST) {
        const h = s.hists![i]!;
        if (op === "count") {
          count[at]++;
          continue;
        }
        if (op === "group") {
          value[at] = 1;
          seenFloat[at] = 1;
          continue;
        }
        if (op !== "sum" && op !== "avg") {
          anns.info(`ignored histogram in ${op} aggregation`, pos);
          continue;
        }
        if (!hists) {
          hists = new Array<HistogramKahanSum | HistogramMean | undefined>(size);
          seenHist = new Uint8Array(size);
          badHist = new Uint8Array(size);
        }
        count[at]++;
        seenHist![at] = 1;
        if (badHist![at]) continue;
        let acc = hists[at];
        if (!hints) hints = new Array<CounterResetHint | undefined>(size);
        const prevHint = hints[at];
        hints[at] =
          prevHint === undefined ? h.counterResetHint : combinedCounterResetHint(prevHint, h.counterResetHint).hint;
        if (!acc) hists[at] = acc = op === "sum" ? new HistogramKahanSum() : new HistogramMean();
        try {
          const notes = acc.add(h);
          noteHistogramResult(ev, e, notes.counterResetCollision, notes.nhcbBoundsReconciled);
        } catch (err) {
          if (!(err instanceof HistogramSchemaMixError)) throw err;
          anns.warn(
            `vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${JSON.stringify(nameOf(s.labels))}`,
            pos,
          );
          badHist![at] = 1;
        }
        continue;
      }
      const f = floats[i];
      const first = seenFloat[at] === 0;
      seenFloat[at] = 1;
      switch (op) {
        case "sum":
          c[0] = comp[at];
          value[at] = kahanSumInc(f, value[at], c);
          comp[at] = c[0];
          break;
        case "avg": {
          const n = ++count[at];
          if (first) {
            value[at] = f;
            break;
          }
          if (!incremental![at]) {
            c[0] = comp[at];
            const sum = kahanSumInc(f, value[at], c);
            if (sum !== Infinity && sum !== -Infinity) {
              value[at] = sum;
              comp[at] = c[0];
              break;
            }
            incremental![at] = 1;
            mean[at] = value[at] / (n - 1);
            comp[at] /= n - 1;
          }
          const q = (n - 1) / n;
          c[0] = q * comp[at];
          mean[at] = kahanSumInc(f / n, q * mean[at], c);
          comp[at] = c[0];
          break;
        }
        case "count":
          count[at]++;
          break;
        case "group":
          value[at] = 1;
          break;
        case "min":
          if (first || value[at] > f || Number.isNaN(value[at])) value[at] = f;
          break;
        case "max":
          if (first || value[at] < f || Number.isNaN(value[at])) value[at] = f;
          break;
        case "stddev":
        case "stdvar": {
          if (first) {
            count[at] = 1;
            mean[at] = f;
            value[at] = Number.isFinite(f) ? 0 : NaN;
            break;
          }
          const n = ++count[at];
          const delta = f - mean[at];
          mean[at] += delta / n;
          value[at] += delta * (f - mean[at]);
          break;
        }
        default:
          throw new EvaluationError(`aggregation ${op} is not implemented`);
      }
    }
  }
  const out: StepSeries[] = [];
  for (let g = 0; g < ng; g++) {
    const o = newStepSeries(labels[g], steps, dropName[g]);
    let any = false;
    for (let i = 0; i < steps; i++) {
      const at = g * steps + i;
      const hasF = seenFloat[at] === 1;
      const hasH = seenHist !== null && seenHist[at] === 1;
      if (op === "count") {
        if (count[at] === 0) continue;
        o.kinds[i] = FLOAT;
        o.floats[i] = count[at];
        any = true;
        continue;
      }
      if (!hasF && !hasH) continue;
      if (hasF && hasH) {
        ev.annotations.warn("encountered a mix of histograms and floats for aggregation", e.expr.pos);
        continue;
      }
      if (hasH) {
        if (badHist![at]) continue;
        const h = compactHistogram(hists![at]!.result()!);
        h.counterResetHint = hints![at] ?? h.counterResetHint;
        setHist(o, i, h);
        any = true;
        continue;
      }
      let v = value[at];
      switch (op) {
        case "sum":
          if (Number.isFinite(v)) v += comp[at];
          break;
        case "avg":
          v = incremental![at] ? mean[at] + comp[at] : v / count[at] + comp[at] / count[at];
          break;
        case "stdvar":
          v = v / count[at];
          break;
        case "stddev":
          v = Math.sqrt(v / count[at]);
          break;
      }
      o.kinds[i] = FLOAT;
      o.floats[i] = v;
      any = true;
    }
    if (any) out.push(o);
  }
  return out;
}

function noteHistogramResult(ev: Evaluator, e: AggregateExpr, collision: boolean, reconciled: boolean): void {
  if (collision) ev.annotations.warn("conflicting counter resets during histogram aggregation", e.expr.pos);
  if (reconciled) ev.annotations.info("mismatched custom buckets were reconciled during aggregation", e.expr.pos);
}

function nameOf(labels: Labels): string {
  for (const l of labels) if (l.name === METRIC_NAME) return l.value;
  return "";
}

function quantileAgg(
  ev: Evaluator,
  e: AggregateExpr,
  series: StepSeries[],
  param: Float64Array,
  r: StepRange,
): StepSeries[] {
  const { groupOf, labels, dropName } = groupSeries(e, series);
  const out: StepSeries[] = labels.map((l, g) => newStepSeries(l, r.steps, dropName[g]));
  const present = new Uint8Array(labels.length);
  const buckets: number[][] = labels.map(() => []);
  for (let i = 0; i < r.steps; i++) {
    const q = param[i];
    if (Number.isNaN(q) || q < 0 || q > 1) {
      ev.annotations.warn(`quantile value should be between 0 and 1, got ${formatGoValue(q)}`, e.param!.pos);
    }
    for (const b of buckets) b.length = 0;
    for (let k = 0; k < series.length; k++) {
      const kind = series[k].kinds[i];
      if (kind === FLOAT) buckets[groupOf[k]].push(series[k].floats[i]);
      else if (kind === HIST) ev.annotations.info("ignored histogram in quantile aggregation", e.expr.pos);
    }
    for (let g = 0; g < labels.length; g++) {
      if (buckets[g].length === 0) continue;
      out[g].kinds[i] = FLOAT;
      out[g].floats[i] = quantile(q, buckets[g]);
      present[g] = 1;
    }
  }
  return out.filter((_, g) => present[g]);
}

function countValues(e: AggregateExpr, series: StepSeries[], labelName: string, r: StepRange): StepSeries[] {
  const invalid = labelNameError(labelName);
  if (invalid) throw new EvaluationError(invalid);
  const names = new Set(e.grouping);
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const s of series) {
    const base = s.labels.filter((l) =>
      l.name === labelName ? false : e.without ? !names.has(l.name) && l.name !== METRIC_NAME : names.has(l.name),
    );
    for (let i = 0; i < r.steps; i++) {
      const kind = s.kinds[i];
      if (kind === ABSENT) continue;
      const value = kind === FLOAT ? formatFloat(s.floats[i]) : histogramString(s.hists![i]!);
      const labels = normalizeLabels([...base, { name: labelName, value }]);
      let key = "";
      for (const l of labels) key += l.name + "\xfe" + l.value + "\xff";
      let o = byKey.get(key);
      if (!o) {
        o = newStepSeries(labels, r.steps, false);
        byKey.set(key, o);
        out.push(o);
      }
      o.kinds[i] = FLOAT;
      o.floats[i]++;
    }
  }
  return out;
}

/** topk, bottomk, limitk and limit_ratio: each keeps some input series per group and step, labels unchanged. */
function selectK(
  ev: Evaluator,
  e: AggregateExpr,
  series: StepSeries[],
  param: Float64Array,
  r: StepRange,
): StepSeries[] {
  const { groupOf, labels } = groupSeries(e, series);
  const op = e.op;
  const steps = r.steps;
  const selected = series.map(() => new Uint8Array(steps));
  // For instant queries, the output order: by group, then by rank.
  const rank = new Float64Array(series.length).fill(Infinity);
  const members: number[][] = labels.map(() => []);
  for (let k = 0; k < series.length; k++) members[groupOf[k]].push(k);
  const ratioFraction = op === "limit_ratio" ? series.map((s) => labelsHashFraction(s.labels)) : null;
  for (let i = 0; i < steps; i++) {
    const p = param[i];
    if (op === "limit_ratio") {
      if (Number.isNaN(p)) throw new EvaluationError("Ratio value is NaN");
      let ratio = p;
      if (ratio > 1 || ratio < -1) {
        const capped = ratio > 1 ? 1 : -1;
        ev.annotations.warn(
          `ratio value should be between -1 and 1, got ${formatGoValue(ratio)}, capping to ${capped}`,
          e.param!.pos,
        );
        ratio = capped;
      }
      for (let k = 0; k < series.length; k++) {
        if (series[k].kinds[i] === ABSENT) continue;
        const off = ratioFraction![k];
        if ((ratio >= 0 && off < ratio) || (ratio < 0 && off >= 1 + ratio)) {
          selected[k][i] = 1;
          rank[k] = Math.min(rank[k], k);
        }
      }
      continue;
    }
    if (Number.isNaN(p)) throw new EvaluationError("Parameter value is NaN");
    if (p >= 9.223372036854776e18 || p < -9.223372036854776e18) {
      throw new EvaluationError(`Scalar value ${formatGoValue(p)} overflows int64`);
    }
    const kParam = Math.trunc(p);
    if (kParam < 1) continue;
    for (const list of members) {
      const present: number[] = [];
      for (const k of list) {
        const kind = series[k].kinds[i];
        if (kind === ABSENT) continue;
        if (kind === HIST && op !== "limitk") {
          ev.annotations.info(`ignored histogram in ${op} aggregation`, e.expr.pos);
          continue;
        }
        present.push(k);
      }
      if (op === "limitk") {
        for (let n = 0; n < present.length && n < kParam; n++) {
          selected[present[n]][i] = 1;
          rank[present[n]] = Math.min(rank[present[n]], n);
        }
        continue;
      }
      const desc = op === "topk";
      // NaN loses against every number in both directions.
      const order = (a: number, b: number): number => {
        const va = series[a].floats[i];
        const vb = series[b].floats[i];
        if (Number.isNaN(va)) return Number.isNaN(vb) ? 0 : 1;
        if (Number.isNaN(vb)) return -1;
        return desc ? vb - va : va - vb;
      };
      const best = firstInOrder(present, kParam, order);
      for (let n = 0; n < best.length; n++) {
        selected[best[n]][i] = 1;
        if (steps === 1) rank[best[n]] = n;
      }
    }
  }
  const out: { s: StepSeries; g: number; rank: number; idx: number }[] = [];
  for (let k = 0; k < series.length; k++) {
    const sel = selected[k];
    let any = false;
    const s = series[k];
    const o = newStepSeries(s.labels, steps, s.dropName);
    for (let i = 0; i < steps; i++) {
      if (!sel[i]) continue;
      any = true;
      if (s.kinds[i] === HIST) setHist(o, i, s.hists![i]!);
      else {
        o.kinds[i] = FLOAT;
        o.floats[i] = s.floats[i];
      }
    }
    if (any) out.push({ s: o, g: groupOf[k], rank: rank[k], idx: k });
  }
  out.sort((a, b) => a.g - b.g || a.rank - b.rank || a.idx - b.idx);
  return out.map((x) => x.s);
}
