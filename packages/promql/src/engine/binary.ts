import { histogramAdd, histogramDiv, histogramMul, histogramSub } from "../histogram/arithmetic";
import { compactHistogram } from "../histogram/compact";
import { histogramsEqual } from "../histogram/compare";
import { HistogramSchemaMixError } from "../histogram/errors";
import { trimHistogram } from "../histogram/trim";
import type { FloatHistogram } from "../histogram/types";
import type { BinaryExpr, BinaryOperator, PositionRange, VectorMatching } from "../parser/ast";
import { getLabel, isNameLabel, METRIC_NAME, normalizeLabels, type Label, type Labels } from "../value";
import { EvaluationError } from "./errors";
import type { Evaluator } from "./evaluator";
import { ABSENT, FLOAT, HIST, newStepSeries, setHist, type EvalValue, type StepRange, type StepSeries } from "./types";

const ARITHMETIC = new Set<BinaryOperator>(["+", "-", "*", "/", "%", "^", "atan2"]);
const COMPARISON = new Set<BinaryOperator>(["==", "!=", ">", "<", ">=", "<="]);

/** Go's math.Pow differs from JS `**` for a base of 1 and for -1 with infinite exponents. */
function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

export function floatBinop(op: BinaryOperator, l: number, r: number): number {
  switch (op) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      return l / r;
    case "%":
      return l % r;
    case "^":
      return goPow(l, r);
    case "atan2":
      return Math.atan2(l, r);
    case "==":
      return l === r ? 1 : 0;
    case "!=":
      return l !== r ? 1 : 0;
    case ">":
      return l > r ? 1 : 0;
    case "<":
      return l < r ? 1 : 0;
    case ">=":
      return l >= r ? 1 : 0;
    case "<=":
      return l <= r ? 1 : 0;
    default:
      throw new EvaluationError(`operator ${op} not allowed for scalar operations`);
  }
}

function compare(op: BinaryOperator, l: number, r: number): boolean {
  return floatBinop(op, l, r) === 1;
}

/** The outcome of one element-wise operation, reused across calls. */
interface ElemResult {
  kind: number;
  f: number;
  h: FloatHistogram | null;
  keep: boolean;
}

class ElemOp {
  readonly res: ElemResult = { kind: FLOAT, f: 0, h: null, keep: true };
  constructor(
    private readonly ev: Evaluator,
    private readonly op: BinaryOperator,
    private readonly pos: PositionRange,
  ) {}

  /** Applies the operator to one pair; lh/rh are histograms or null. Returns false when nothing results. */
  apply(lf: number, rf: number, lh: FloatHistogram | null, rh: FloatHistogram | null, metric: Labels): boolean {
    const op = this.op;
    const res = this.res;
    res.h = null;
    res.kind = FLOAT;
    if (!lh && !rh) {
      if (op === "</" || op === ">/") return this.incompatible("float", "float");
      if (COMPARISON.has(op)) {
        res.f = lf;
        res.keep = compare(op, lf, rf);
      } else {
        res.f = floatBinop(op, lf, rf);
        res.keep = true;
      }
      return true;
    }
    res.kind = HIST;
    res.keep = true;
    if (op === "</" || op === ">/") {
      if (!lh || rh) return this.incompatible(lh ? "histogram" : "float", rh ? "histogram" : "float");
      res.h = trimHistogram(lh, op === "</" ? "upper" : "lower", rf);
      return true;
    }
    try {
      if (!lh && rh) {
        if (op === "*") {
          res.h = compactHistogram(histogramMul(rh, lf));
          return true;
        }
        return this.incompatible("float", "histogram");
      }
      if (lh && !rh) {
        if (op === "*") {
          res.h = compactHistogram(histogramMul(lh, rf));
          return true;
        }
        if (op === "/") {
          res.h = compactHistogram(histogramDiv(lh, rf));
          return true;
        }
        return this.incompatible("histogram", "float");
      }
      switch (op) {
        case "+":
        case "-": {
          const sum = op === "+" ? histogramAdd(lh!, rh!) : histogramSub(lh!, rh!);
          if (sum.nhcbBoundsReconciled) {
            this.ev.annotations.info(
              `mismatched custom buckets were reconciled during ${op === "+" ? "addition" : "subtraction"}`,
              this.pos,
            );
          }
          const h = compactHistogram(sum.histogram);
          if (op === "-") h.counterResetHint = "gauge";
          res.h = h;
          return true;
        }
        case "==":
        case "!=":
          res.h = lh;
          res.keep = histogramsEqual(lh!, rh!) === (op === "==");
          return true;
        default:
          return this.incompatible("histogram", "histogram");
      }
    } catch (e) {
      if (e instanceof HistogramSchemaMixError) {
        this.ev.annotations.warn(
          `vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${JSON.stringify(getLabel(metric, METRIC_NAME))}`,
          this.pos,
        );
        return false;
      }
      throw e;
    }
  }

  private incompatible(l: string, r: string): boolean {
    this.ev.annotations.info(
      `incompatible sample types encountered for binary operator ${JSON.stringify(this.op)}: ${l} ${this.op} ${r}`,
      this.pos,
    );
    return false;
  }
}

export function evalBinary(ev: Evaluator, e: BinaryExpr, lhs: EvalValue, rhs: EvalValue, r: StepRange): EvalValue {
  const op = e.op;
  if (lhs.kind === "scalar" && rhs.kind === "scalar") {
    const out = new Float64Array(r.steps);
    for (let i = 0; i < r.steps; i++) out[i] = floatBinop(op, lhs.values[i], rhs.values[i]);
    return { kind: "scalar", values: out };
  }
  if (lhs.kind === "vector" && rhs.kind === "scalar") return vectorScalar(ev, e, lhs.series, rhs.values, false, r);
  if (lhs.kind === "scalar" && rhs.kind === "vector") return vectorScalar(ev, e, rhs.series, lhs.values, true, r);
  if (lhs.kind === "vector" && rhs.kind === "vector") {
    const matching = e.vectorMatching ?? {
      card: op === "and" || op === "or" || op === "unless" ? "many-to-many" : "one-to-one",
      matchingLabels: [],
      on: false,
      include: [],
      fill: { lhs: null, rhs: null },
    };
    switch (op) {
      case "and":
      case "unless":
        return { kind: "vector", series: andUnless(lhs.series, rhs.series, matching, op === "and") };
      case "or":
        return { kind: "vector", series: orOp(lhs.series, rhs.series, matching) };
      default:
        return { kind: "vector", series: vectorVector(ev, e, lhs.series, rhs.series, matching, r) };
    }
  }
  throw new EvaluationError(`invalid operand types for binary operator ${op}`);
}

function vectorScalar(
  ev: Evaluator,
  e: BinaryExpr,
  series: StepSeries[],
  scalar: Float64Array,
  swap: boolean,
  r: StepRange,
): EvalValue {
  const op = e.op;
  const elem = new ElemOp(ev, op, e.pos);
  const res = elem.res;
  const isComparison = COMPARISON.has(op);
  const dropName = ARITHMETIC.has(op) || e.returnBool;
  const out: StepSeries[] = [];
  for (const s of series) {
    const o = newStepSeries(s.labels, r.steps, s.dropName || dropName);
    let any = false;
    for (let i = 0; i < r.steps; i++) {
      const kind = s.kinds[i];
      if (kind === ABSENT) continue;
      const vf = s.floats[i];
      const vh = kind === HIST ? s.hists![i]! : null;
      const sv = scalar[i];
      const ok = swap ? elem.apply(sv, vf, null, vh, s.labels) : elem.apply(vf, sv, vh, null, s.labels);
      if (!ok) continue;
      let keep = res.keep;
      let f = res.f;
      let h = res.h;
      if (isComparison && swap) {
        // The vector's value is kept even when it is the right operand.
        f = vf;
        h = vh;
      }
      if (e.returnBool) {
        f = keep ? 1 : 0;
        h = null;
        keep = true;
      }
      if (!keep) continue;
      if (h) setHist(o, i, h);
      else {
        o.kinds[i] = FLOAT;
        o.floats[i] = f;
      }
      any = true;
    }
    if (any) out.push(o);
  }
  return { kind: "vector", series: out };
}

/** The matching signature of a label set under on(...)/ignoring(...). */
export function signatureFn(matching: VectorMatching): (labels: Labels) => string {
  if (matching.on) {
    const names = [...matching.matchingLabels].sort();
    return (labels) => {
      let s = "";
      for (const n of names) s += getLabel(labels, n) + "\xff";
      return s;
    };
  }
  const ignored = new Set([...matching.matchingLabels, METRIC_NAME]);
  return (labels) => {
    let s = "";
    for (const l of labels) if (!ignored.has(l.name)) s += l.name + "\xfe" + l.value + "\xff";
    return s;
  };
}

/** The identity of a result series: its labels, without the name when the name is to be dropped. */
export function seriesKey(labels: Labels, dropName: boolean): string {
  let s = "";
  for (const l of labels) if (!(dropName && isNameLabel(l.name))) s += l.name + "\xfe" + l.value + "\xff";
  return s;
}

function presenceBySig(series: StepSeries[], sigf: (l: Labels) => string, steps: number): Map<string, Uint8Array> {
  const m = new Map<string, Uint8Array>();
  for (const s of series) {
    const sig = sigf(s.labels);
    let p = m.get(sig);
    if (!p) {
      p = new Uint8Array(steps);
      m.set(sig, p);
    }
    for (let i = 0; i < steps; i++) if (s.kinds[i] !== ABSENT) p[i] = 1;
  }
  return m;
}

function maskSeries(s: StepSeries, keep: (i: number) => boolean): StepSeries | null {
  let any = false;
  const kinds = new Uint8Array(s.kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    if (s.kinds[i] !== ABSENT && keep(i)) {
      kinds[i] = s.kinds[i];
      any = true;
    }
  }
  return any ? { ...s, kinds } : null;
}

function andUnless(lhs: StepSeries[], rhs: StepSeries[], matching: VectorMatching, isAnd: boolean): StepSeries[] {
  const sigf = signatureFn(matching);
  const steps = lhs.length > 0 ? lhs[0].kinds.length : 0;
  const rp = presenceBySig(rhs, sigf, steps);
  const out: StepSeries[] = [];
  for (const s of lhs) {
    const p = rp.get(sigf(s.labels));
    const m = maskSeries(s, (i) => (p !== undefined && p[i] === 1) === isAnd);
    if (m) out.push(m);
  }
  return out;
}

function orOp(lhs: StepSeries[], rhs: StepSeries[], matching: VectorMatching): StepSeries[] {
  const sigf = signatureFn(matching);
  const steps = lhs.length > 0 ? lhs[0].kinds.length : rhs.length > 0 ? rhs[0].kinds.length : 0;
  const lp = presenceBySig(lhs, sigf, steps);
  const out: StepSeries[] = [...lhs];
  for (const s of rhs) {
    const p = lp.get(sigf(s.labels));
    const m = p ? maskSeries(s, (i) => p[i] !== 1) : s;
    if (m) out.push(m);
  }
  return out;
}

/** The labels of a result of lhs op rhs (lhs is the "many" side, rhs the "one" side). */
function resultLabels(lhs: Labels, rhs: Labels, matching: VectorMatching): Label[] {
  let out: Label[];
  if (matching.card === "one-to-one") {
    const names = new Set(matching.matchingLabels);
    out = lhs.filter((l) => (matching.on ? names.has(l.name) : !names.has(l.name)));
  } else {
    out = [...lhs];
  }
  if (matching.include.length > 0) {
    const include = new Set(matching.include);
    out = out.filter((l) => !include.has(l.name));
    for (const name of matching.include) {
      const v = getLabel(rhs, name);
      if (v !== "") out.push({ name, value: v });
    }
  }
  return normalizeLabels(out);
}

function vectorVector(
  ev: Evaluator,
  e: BinaryExpr,
  lhsIn: StepSeries[],
  rhsIn: StepSeries[],
  matching: VectorMatching,
  r: StepRange,
): StepSeries[] {
  const op = e.op;
  const steps = r.steps;
  const oneToMany = matching.card === "one-to-many";
  const [lhs, rhs] = oneToMany ? [rhsIn, lhsIn] : [lhsIn, rhsIn];
  const sigf = signatureFn(matching);
  const lsig = lhs.map((s) => sigf(s.labels));
  const rsig = rhs.map((s) => sigf(s.labels));
  const lhsPresent = new Uint8Array(steps);
  for (const s of lhs) for (let i = 0; i < steps; i++) if (s.kinds[i] !== ABSENT) lhsPresent[i] = 1;

  // The "one" side must have at most one series per signature at each step.
  const rightBySig = new Map<string, number[]>();
  rhs.forEach((_, k) => {
    const list = rightBySig.get(rsig[k]);
    if (list) list.push(k);
    else rightBySig.set(rsig[k], [k]);
  });
  for (const list of rightBySig.values()) {
    if (list.length < 2) continue;
    for (let i = 0; i < steps; i++) {
      if (!lhsPresent[i]) continue;
      let first = -1;
      for (const k of list) {
        if (rhs[k].kinds[i] === ABSENT) continue;
        if (first < 0) {
          first = k;
          continue;
        }
        const matched = matchedLabels(rhs[k].labels, matching);
        throw new EvaluationError(
          `found duplicate series for the match group ${goLabels(matched)} on the ${oneToMany ? "left" : "right"} hand-side of the operation: [${goLabels(rhs[first].labels)}, ${goLabels(rhs[k].labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
    }
  }

  const elem = new ElemOp(ev, op, e.pos);
  const res = elem.res;
  const dropName = ARITHMETIC.has(op) || e.returnBool;
  const outByKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  const matchedSteps = new Map<string, Uint8Array>();
  const fill = matching.fill;
  const rightMatched = fill.lhs !== null ? rhs.map(() => new Uint8Array(steps)) : null;

  /** The output series for a label set (series that come to share labels share one). */
  const outputFor = (labels: Labels, drop: boolean): StepSeries => {
    const key = seriesKey(labels, drop);
    let o = outByKey.get(key);
    if (!o) {
      o = newStepSeries(labels, steps, drop);
      outByKey.set(key, o);
      out.push(o);
    }
    return o;
  };
  const stepsMatched = (key: string): Uint8Array => {
    let m = matchedSteps.get(key);
    if (!m) matchedSteps.set(key, (m = new Uint8Array(steps)));
    return m;
  };
  const emit = (labels: Labels, drop: boolean, i: number, f: number, h: FloatHistogram | null): void => {
    write(outputFor(labels, drop), i, f, h);
  };

  // What a matched (left, right) pair writes to: its labels, output series and duplicate check are the same at every
  // step, so they are worked out at the pair's first match rather than per point.
  const pairs = new Map<number, MatchedPair>();
  for (let j = 0; j < lhs.length; j++) {
    const ls = lhs[j];
    const candidates = rightBySig.get(lsig[j]);
    let oneToOneSteps: Uint8Array | null = null;
    for (let i = 0; i < steps; i++) {
      if (ls.kinds[i] === ABSENT) continue;
      let k = -1;
      if (candidates) {
        for (const c of candidates) {
          if (rhs[c].kinds[i] !== ABSENT) {
            k = c;
            break;
          }
        }
      }
      if (k < 0) {
        // No match: the "one" side is filled. Fill sides follow the matching's orientation (after the swap of
        // group_right), as in Prometheus.
        const fv = fill.rhs;
        if (fv === null) continue;
        const lh = ls.kinds[i] === HIST ? ls.hists![i]! : null;
        const ok = oneToMany
          ? elem.apply(fv, ls.floats[i], null, lh, ls.labels)
          : elem.apply(ls.floats[i], fv, lh, null, ls.labels);
        if (!ok) continue;
        if (!finish(e, res)) continue;
        const labels = resultLabels(ls.labels, [], matching);
        emit(labels, dropName || ls.dropName, i, res.f, res.h);
        continue;
      }
      const rs = rhs[k];
      if (rightMatched) rightMatched[k][i] = 1;
      const lh = ls.kinds[i] === HIST ? ls.hists![i]! : null;
      const rh = rs.kinds[i] === HIST ? rs.hists![i]! : null;
      const ok = oneToMany
        ? elem.apply(rs.floats[i], ls.floats[i], rh, lh, ls.labels)
        : elem.apply(ls.floats[i], rs.floats[i], lh, rh, ls.labels);
      if (!ok) continue;
      if (matching.card === "one-to-one") {
        // Checked before filtering: a comparison with several matches on the left is ambiguous too.
        oneToOneSteps ??= stepsMatched(lsig[j]);
        if (oneToOneSteps[i]) {
          throw new EvaluationError(
            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
          );
        }
        oneToOneSteps[i] = 1;
      }
      if (!finish(e, res)) continue;
      const pairId = j * rhs.length + k;
      let pair = pairs.get(pairId);
      if (!pair) {
        const labels = resultLabels(ls.labels, rs.labels, matching);
        const drop = dropName || (COMPARISON.has(op) && !e.returnBool ? ls.dropName : dropName);
        pair = {
          out: outputFor(labels, drop),
          // Many-to-one: two left series reaching one output series at the same step is an error.
          dupSteps: matching.card === "one-to-one" ? null : stepsMatched(lsig[j] + "\x00" + seriesKey(labels, false)),
        };
        pairs.set(pairId, pair);
      }
      if (pair.dupSteps !== null) {
        if (pair.dupSteps[i]) {
          throw new EvaluationError("multiple matches for labels: grouping labels must ensure unique matches");
        }
        pair.dupSteps[i] = 1;
      }
      write(pair.out, i, res.f, res.h);
    }
  }
  if (rightMatched) {
    // Right-hand series without a match are combined with the left fill value.
    const fv = fill.lhs;
    if (fv !== null) {
      for (let k = 0; k < rhs.length; k++) {
        const rs = rhs[k];
        for (let i = 0; i < steps; i++) {
          if (rs.kinds[i] === ABSENT || rightMatched[k][i]) continue;
          const rh = rs.kinds[i] === HIST ? rs.hists![i]! : null;
          const ok = oneToMany
            ? elem.apply(rs.floats[i], fv, rh, null, rs.labels)
            : elem.apply(fv, rs.floats[i], null, rh, rs.labels);
          if (!ok || !finish(e, res)) continue;
          // Only the matching labels identify a result that has no series on the other side.
          emit(normalizeLabels([...matchedLabels(rs.labels, matching)]), true, i, res.f, res.h);
        }
      }
    }
  }
  return out;
}

interface MatchedPair {
  out: StepSeries;
  /** Steps already written through this pair's group (many-to-one and one-to-many only). */
  dupSteps: Uint8Array | null;
}

function write(o: StepSeries, i: number, f: number, h: FloatHistogram | null): void {
  if (h) setHist(o, i, h);
  else {
    o.kinds[i] = FLOAT;
    o.floats[i] = f;
  }
}

/** Applies `bool` and filtering; false when the pair produces no output. */
function finish(e: BinaryExpr, res: ElemResult): boolean {
  if (e.returnBool) {
    res.f = res.keep ? 1 : 0;
    res.h = null;
    res.kind = FLOAT;
    return true;
  }
  return res.keep;
}

function matchedLabels(labels: Labels, matching: VectorMatching): Labels {
  const names = new Set(matching.matchingLabels);
  if (matching.on) return labels.filter((l) => names.has(l.name));
  return labels.filter((l) => !names.has(l.name) && l.name !== METRIC_NAME);
}

/** Go's labels.Labels.String(), used in Prometheus's error messages: `{__name__="x", a="b"}`. */
function goLabels(labels: Labels): string {
  return "{" + labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(", ") + "}";
}
