import type { AtModifier, DurationNode, Expr, VectorSelector } from "../parser/ast";
import { evaluateDuration, type DurationContext } from "../parser/duration";
import type { SelectHints } from "../storage";

/** The absolute time of an `@` modifier, or null without one. */
export function resolveAt(at: AtModifier, queryStart: number, queryEnd: number): number | null {
  if (at === null) return null;
  if (at === "start") return queryStart;
  if (at === "end") return queryEnd;
  return at;
}

function dur(value: number, expr: DurationNode | null, ctx: DurationContext): number {
  return expr ? evaluateDuration(expr, ctx) : value;
}

/**
 * A copy of the tree with every duration expression (`[step() * 2]`, `offset (1h / 2)`) computed for this query, so
 * evaluation reads plain numbers.
 */
export function resolveDurations(expr: Expr, ctx: DurationContext): Expr {
  switch (expr.type) {
    case "NumberLiteral":
    case "StringLiteral":
      return expr;
    case "VectorSelector":
      return expr.offsetExpr ? { ...expr, offset: dur(expr.offset, expr.offsetExpr, ctx), offsetExpr: null } : expr;
    case "MatrixSelector":
      return {
        ...expr,
        vectorSelector: resolveDurations(expr.vectorSelector, ctx) as VectorSelector,
        range: dur(expr.range, expr.rangeExpr, ctx),
        rangeExpr: null,
      };
    case "SubqueryExpr":
      return {
        ...expr,
        expr: resolveDurations(expr.expr, ctx),
        range: dur(expr.range, expr.rangeExpr, ctx),
        rangeExpr: null,
        step: dur(expr.step, expr.stepExpr, ctx),
        stepExpr: null,
        offset: dur(expr.offset, expr.offsetExpr, ctx),
        offsetExpr: null,
      };
    case "ParenExpr":
    case "UnaryExpr":
      return { ...expr, expr: resolveDurations(expr.expr, ctx) };
    case "BinaryExpr":
      return { ...expr, lhs: resolveDurations(expr.lhs, ctx), rhs: resolveDurations(expr.rhs, ctx) };
    case "AggregateExpr":
      return {
        ...expr,
        expr: resolveDurations(expr.expr, ctx),
        param: expr.param ? resolveDurations(expr.param, ctx) : null,
      };
    case "Call":
      return { ...expr, args: expr.args.map((a) => resolveDurations(a, ctx)) };
  }
}

export interface SelectorFetch {
  readonly selector: VectorSelector;
  readonly hints: SelectHints;
}

/**
 * Every selector of the query with the time range it can read, so that all series are fetched before evaluation.
 * Ranges are conservative: subquery steps are aligned inside the computed interval.
 */
export function planSelects(
  expr: Expr,
  query: { start: number; end: number; step: number; lookbackDelta: number; defaultSubqueryStep: number },
): SelectorFetch[] {
  const out: SelectorFetch[] = [];
  const visit = (e: Expr, lo: number, hi: number, func: string | undefined, range: number): void => {
    switch (e.type) {
      case "VectorSelector": {
        const at = resolveAt(e.at, query.start, query.end);
        const tlo = (at ?? lo) - e.offset;
        const thi = (at ?? hi) - e.offset;
        let back = range > 0 ? range : query.lookbackDelta;
        let ahead = 0;
        // Extended range modifiers read one sample before the range (anchored, smoothed) and after it (smoothed).
        if (e.anchored || e.smoothed) back += query.lookbackDelta;
        if (e.smoothed) ahead = query.lookbackDelta;
        out.push({
          selector: e,
          hints: { start: tlo - back + 1, end: thi + ahead, step: query.step, ...(func ? { func } : {}), range },
        });
        return;
      }
      case "MatrixSelector":
        visit(e.vectorSelector, lo, hi, func, e.range);
        return;
      case "SubqueryExpr": {
        const at = resolveAt(e.at, query.start, query.end);
        const step = e.step > 0 ? e.step : query.defaultSubqueryStep;
        const ilo = (at ?? lo) - e.offset - e.range - step;
        const ihi = (at ?? hi) - e.offset;
        visit(e.expr, ilo, ihi, undefined, 0);
        return;
      }
      case "Call":
        for (const a of e.args) visit(a, lo, hi, e.func.name, 0);
        return;
      case "NumberLiteral":
      case "StringLiteral":
        return;
      case "ParenExpr":
      case "UnaryExpr":
        visit(e.expr, lo, hi, func, 0);
        return;
      case "BinaryExpr":
        visit(e.lhs, lo, hi, undefined, 0);
        visit(e.rhs, lo, hi, undefined, 0);
        return;
      case "AggregateExpr":
        if (e.param) visit(e.param, lo, hi, undefined, 0);
        visit(e.expr, lo, hi, e.op, 0);
        return;
    }
  };
  visit(expr, query.start, query.end, undefined, 0);
  return out;
}
