import type { Expr } from "../parser/ast";
import { TIME_DEPENDENT_FUNCTIONS } from "../functions";

/**
 * The Go runner's `@` variant of a query: every selector and subquery without `@` gets `@ t`, except inside a
 * subquery that has one. Returns null when the query calls a function whose value depends on the evaluation time.
 */
export function withAtModifier(expr: Expr, t: number): Expr | null {
  let unsafe = false;
  const rewrite = (e: Expr, insideAt: boolean): Expr => {
    switch (e.type) {
      case "NumberLiteral":
      case "StringLiteral":
        return e;
      case "VectorSelector":
        return insideAt || e.at !== null ? e : { ...e, at: t };
      case "MatrixSelector":
        return { ...e, vectorSelector: rewrite(e.vectorSelector, insideAt) as typeof e.vectorSelector };
      case "SubqueryExpr": {
        if (insideAt) return e;
        const at = e.at ?? t;
        return { ...e, at, expr: rewrite(e.expr, true) };
      }
      case "ParenExpr":
      case "UnaryExpr":
        return { ...e, expr: rewrite(e.expr, insideAt) };
      case "BinaryExpr":
        return { ...e, lhs: rewrite(e.lhs, insideAt), rhs: rewrite(e.rhs, insideAt) };
      case "AggregateExpr":
        return { ...e, expr: rewrite(e.expr, insideAt), param: e.param ? rewrite(e.param, insideAt) : null };
      case "Call":
        if (!insideAt && TIME_DEPENDENT_FUNCTIONS.includes(e.func.name)) unsafe = true;
        return { ...e, args: e.args.map((a) => rewrite(a, insideAt)) };
    }
  };
  const out = rewrite(expr, false);
  return unsafe ? null : out;
}
