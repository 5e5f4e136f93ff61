/**
 * Multi-line formatting, as Prometheus's `/api/v1/format_query` returns it (`Pretty(0)` in Prometheus): a node whose
 * one-line form fits in 100 characters is printed on one line (`formatExpr`); a longer aggregation, call,
 * parenthesised or binary expression is split, its children indented by two spaces per level. Selectors and
 * literals never split.
 */

import type { Expr } from "./ast";
import {
  aggregationPrefix,
  binaryOperatorWithModifiers,
  formatExpr,
  lhsNeedsParens,
  rhsNeedsParens,
  subqueryNeedsParens,
  subquerySuffix,
  unaryNeedsParens,
} from "./printer";

export const MAX_CHARACTERS_PER_LINE = 100;

/** `width` is the longest one-line form left unsplit (Prometheus: 100); `level` the indentation to start at. */
export function prettyExpr(expr: Expr, width = MAX_CHARACTERS_PER_LINE, level = 0): string {
  const pad = indent(level);
  const oneLine = formatExpr(expr);
  if (oneLine.length <= width) return pad + oneLine;
  const child = (node: Expr, childLevel = level + 1): string => prettyExpr(node, width, childLevel);
  switch (expr.type) {
    case "AggregateExpr": {
      const param = expr.param ? `${child(expr.param)},\n` : "";
      return `${pad}${aggregationPrefix(expr)}(\n${param}${child(expr.expr)}\n${pad})`;
    }
    case "BinaryExpr": {
      const lhs = child(parenthesized(expr.lhs, lhsNeedsParens(expr)));
      const rhs = child(parenthesized(expr.rhs, rhsNeedsParens(expr)));
      return `${lhs}\n${pad}${binaryOperatorWithModifiers(expr)}\n${rhs}`;
    }
    case "Call":
      return `${pad}${expr.func.name}(\n${expr.args.map((arg) => child(arg)).join(",\n")}\n${pad})`;
    case "ParenExpr":
      return `${pad}(\n${child(expr.expr)}\n${pad})`;
    case "SubqueryExpr":
      return `${child(parenthesized(expr.expr, subqueryNeedsParens(expr)), level)}${subquerySuffix(expr)}`;
    case "UnaryExpr":
      // The operator takes the child's indentation.
      return `${pad}${expr.op}${child(parenthesized(expr.expr, unaryNeedsParens(expr.expr)), level).trimStart()}`;
    default:
      return pad + oneLine;
  }
}

/** A child that needs parentheses to keep its grouping (only in trees built by code; see printer.ts). */
function parenthesized(expr: Expr, needed: boolean): Expr {
  return needed ? { type: "ParenExpr", expr, pos: expr.pos } : expr;
}

function indent(level: number): string {
  return "  ".repeat(level);
}
