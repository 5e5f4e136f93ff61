import { resolvedCounterResetHint } from "../histogram/hints";
import type { FloatHistogram } from "../histogram/types";
import type { Expr, VectorSelector } from "../parser/ast";

/**
 * The selectors whose histograms only feed histogram_count/histogram_sum/histogram_avg. Prometheus reads those
 * through its HistogramStatsIterator, which resolves unknown counter-reset hints on the fly, so aggregations over
 * them can see (and warn about) conflicting hints. The nearest enclosing histogram function decides; a binary
 * operator starts a new search.
 */
export function statsDecodingSelectors(expr: Expr): Set<VectorSelector> {
  const out = new Set<VectorSelector>();
  const visit = (e: Expr, decided: boolean | null): void => {
    switch (e.type) {
      case "VectorSelector":
        if (decided) out.add(e);
        return;
      case "MatrixSelector":
        visit(e.vectorSelector, decided);
        return;
      case "BinaryExpr":
        visit(e.lhs, null);
        visit(e.rhs, null);
        return;
      case "Call": {
        let next = decided;
        if (decided === null) {
          const name = e.func.name;
          if (name === "histogram_count" || name === "histogram_sum" || name === "histogram_avg") next = true;
          else if (name === "histogram_quantile" || name === "histogram_fraction") next = false;
        }
        for (const a of e.args) visit(a, next);
        return;
      }
      case "SubqueryExpr":
      case "ParenExpr":
      case "UnaryExpr":
        visit(e.expr, decided);
        return;
      case "AggregateExpr":
        if (e.param) visit(e.param, decided);
        visit(e.expr, decided);
        return;
      default:
        return;
    }
  };
  visit(expr, null);
  return out;
}

/** The histograms of one series with unknown hints resolved against the histogram read before each. */
export function resolveHints(histograms: readonly FloatHistogram[]): FloatHistogram[] {
  const out: FloatHistogram[] = [];
  for (let i = 0; i < histograms.length; i++) {
    const h = histograms[i];
    const hint = resolvedCounterResetHint(h, i > 0 ? histograms[i - 1] : undefined);
    out.push(hint === h.counterResetHint ? h : { ...h, counterResetHint: hint });
  }
  return out;
}
