import type { AtModifier, Call, Expr, LabelMatcher, VectorSelector } from "../parser/ast";
import { compileMatcher, matchesAll } from "../storage/matcher";
import { getLabel, METRIC_NAME, normalizeLabels, type Label, type Labels } from "../value";
import { EvaluationError } from "./errors";
import type { Evaluator } from "./evaluator";
import { ABSENT, HIST, newStepSeries, setHist, type EvalValue, type StepRange, type StepSeries } from "./types";

/** Labels that identify which info series belongs to a series (Prometheus's default for target_info). */
const IDENTIFYING = ["instance", "job"];
const DEFAULT_INFO_METRIC = "target_info";

/**
 * info(v) becomes info(v, {__name__="target_info"}), and an info selector without a name matcher gets that
 * matcher, so the planner fetches the info series with everything else.
 */
export function expandInfoDefaults(expr: Expr): Expr {
  const visit = (e: Expr): Expr => {
    switch (e.type) {
      case "NumberLiteral":
      case "StringLiteral":
      case "VectorSelector":
      case "MatrixSelector":
        return e;
      case "SubqueryExpr":
      case "ParenExpr":
      case "UnaryExpr":
        return { ...e, expr: visit(e.expr) };
      case "BinaryExpr":
        return { ...e, lhs: visit(e.lhs), rhs: visit(e.rhs) };
      case "AggregateExpr":
        return { ...e, expr: visit(e.expr), param: e.param ? visit(e.param) : null };
      case "Call": {
        const args = e.args.map(visit);
        if (e.func.name !== "info") return { ...e, args };
        const nameMatcher: LabelMatcher = { type: "=", name: METRIC_NAME, value: DEFAULT_INFO_METRIC };
        if (args.length === 1) {
          const selector: VectorSelector = {
            type: "VectorSelector",
            name: DEFAULT_INFO_METRIC,
            matchers: [nameMatcher],
            offset: 0,
            offsetExpr: null,
            at: null,
            anchored: false,
            smoothed: false,
            pos: e.pos,
          };
          args.push(selector);
        } else if (args[1].type === "VectorSelector") {
          const names = args[1].matchers.filter((m) => m.name === METRIC_NAME);
          // Without a name the selector means target_info; with only negative name matchers, any *_info metric.
          if (names.length === 0) args[1] = { ...args[1], matchers: [...args[1].matchers, nameMatcher] };
          else if (!names.some((m) => m.type === "=" || m.type === "=~")) {
            const anyInfo: LabelMatcher = { type: "=~", name: METRIC_NAME, value: ".+_info" };
            args[1] = { ...args[1], matchers: [...args[1].matchers, anyInfo] };
          }
        }
        if (args[1].type === "VectorSelector") {
          // The info series are read as of the same time as the base series (its @ and offsets).
          const ref = referenceTime(args[0]);
          if (ref.at !== null || ref.offset !== 0)
            args[1] = { ...args[1], at: ref.at ?? args[1].at, offset: ref.offset };
        }
        return { ...e, args };
      }
    }
  };
  return visit(expr);
}

/** The `@` and total offset that shift the evaluation time of the first selector inside an expression. */
function referenceTime(e: Expr): { at: AtModifier; offset: number } {
  let at: AtModifier = null;
  let offset = 0;
  const shift = (nodeAt: AtModifier, nodeOffset: number): void => {
    if (nodeAt !== null) {
      at = nodeAt;
      offset = nodeOffset;
    } else {
      offset += nodeOffset;
    }
  };
  for (let node: Expr | undefined = e; node;) {
    switch (node.type) {
      case "VectorSelector":
        shift(node.at, node.offset);
        return { at, offset };
      case "MatrixSelector":
        node = node.vectorSelector;
        break;
      case "SubqueryExpr":
        shift(node.at, node.offset);
        node = node.expr;
        break;
      case "ParenExpr":
      case "UnaryExpr":
      case "AggregateExpr":
        node = node.expr;
        break;
      case "Call":
        node = node.args.find((a) => a.type !== "NumberLiteral" && a.type !== "StringLiteral");
        break;
      case "BinaryExpr":
        node = node.lhs;
        break;
      default:
        node = undefined;
    }
  }
  return { at, offset };
}

/** info(v, selector): adds the data labels of the matching info series to each series of v. */
export function evalInfo(ev: Evaluator, e: Call, r: StepRange): EvalValue {
  const base = ev.evalVector(e.args[0], r);
  const selector = e.args[1];
  if (selector.type !== "VectorSelector")
    throw new EvaluationError("info() expects a vector selector as its second argument");
  const timestamps: Float64Array[] = [];
  const infos = ev.evalVectorSelector(selector, r, timestamps).series;
  const infoTime = new Map<StepSeries, Float64Array>();
  infos.forEach((s, k) => infoTime.set(s, timestamps[k]));
  const nameMatcherDefs = selector.matchers.filter((m) => m.name === METRIC_NAME);
  const nameMatchers = nameMatcherDefs.map(compileMatcher);
  const hasPositiveName = nameMatcherDefs.some((m) => m.type === "=" || m.type === "=~");
  const dataMatchers = selector.matchers.filter((m) => m.name !== METRIC_NAME);
  const dataNames = new Set(dataMatchers.map((m) => m.name));
  const emptyOk = dataMatchers.every((m) => compileMatcher(m).matches(""));
  const byIdentity = new Map<string, StepSeries[]>();
  for (const s of infos) {
    const key = IDENTIFYING.map((n) => getLabel(s.labels, n)).join("\xff");
    const list = byIdentity.get(key);
    if (list) list.push(s);
    else byIdentity.set(key, [s]);
  }
  const out: StepSeries[] = [];
  const byKey = new Map<string, StepSeries>();
  const put = (labels: Labels, s: StepSeries, i: number): void => {
    let key = "";
    for (const l of labels) key += l.name + "\xfe" + l.value + "\xff";
    let o = byKey.get(key);
    if (!o) {
      o = newStepSeries(labels, r.steps, s.dropName);
      byKey.set(key, o);
      out.push(o);
    }
    if (o.kinds[i] !== ABSENT) throw new EvaluationError("vector cannot contain metrics with the same labelset");
    if (s.kinds[i] === HIST) setHist(o, i, s.hists![i]!);
    else {
      o.kinds[i] = s.kinds[i];
      o.floats[i] = s.floats[i];
    }
  };
  for (const s of base.series) {
    // Info metrics themselves are not enriched.
    const isInfo = hasPositiveName && getLabel(s.labels, METRIC_NAME) !== "" && matchesAll(s.labels, nameMatchers);
    const candidates = isInfo ? [] : (byIdentity.get(IDENTIFYING.map((n) => getLabel(s.labels, n)).join("\xff")) ?? []);
    for (let i = 0; i < r.steps; i++) {
      if (s.kinds[i] === ABSENT) continue;
      if (isInfo) {
        put(s.labels, s, i);
        continue;
      }
      const added = new Map<string, string>();
      // Per info metric name, the series with the newest sample wins (an info series that changed its labels
      // leaves the old one behind for the lookback delta).
      const newest = new Map<string, StepSeries>();
      for (const info of candidates) {
        if (info.kinds[i] === ABSENT) continue;
        if (info.kinds[i] === HIST) throw new EvaluationError("info series must be floats, got a native histogram");
        const name = getLabel(info.labels, METRIC_NAME);
        const prev = newest.get(name);
        if (!prev || infoTime.get(info)![i] > infoTime.get(prev)![i]) newest.set(name, info);
      }
      const matched = newest.size > 0;
      for (const info of newest.values()) {
        for (const l of info.labels) {
          if (l.name === METRIC_NAME || IDENTIFYING.includes(l.name)) continue;
          if (dataNames.size > 0 && !dataNames.has(l.name)) continue;
          if (getLabel(s.labels, l.name) !== "") continue;
          const prev = added.get(l.name);
          if (prev !== undefined && prev !== l.value) {
            throw new EvaluationError(
              `conflicting label: ${l.name} has values ${JSON.stringify(prev)} and ${JSON.stringify(l.value)}`,
            );
          }
          added.set(l.name, l.value);
        }
      }
      if (!matched) {
        if (emptyOk) put(s.labels, s, i);
        continue;
      }
      const labels: Label[] = [...s.labels];
      for (const [name, value] of added) labels.push({ name, value });
      put(normalizeLabels(labels), s, i);
    }
  }
  return { kind: "vector", series: out };
}
