/**
 * The PromQL abstract syntax tree: a tagged union on `type`. Every node carries `pos`, the half-open range of
 * JavaScript string indices (UTF-16 code units) it covers in the query text; `valueTypeOf()` gives any expression's
 * value type (the nodes are plain data, so the type is computed rather than stored and cannot go stale when a
 * caller rewrites a tree).
 *
 * Conventions the engine relies on:
 * - Times and durations are integer milliseconds. A duration written as an expression (`[5m * 2]`, `offset (1h/2)`,
 *   `[step()]`) keeps its tree in the `*Expr` field next to the number; when that field is non-null the engine must
 *   compute the value with `evaluateDuration()` (parser/duration.ts) for the query's step and range. When the
 *   expression is constant the parser has already folded it into the number field too.
 * - String values decode Go escapes. A `\xNN` escape that does not form valid UTF-8 becomes the lone surrogate
 *   U+DC00+NN (so `"a\xc5z"` survives as text and prints back as `"a\xc5z"`); label-name validation treats lone
 *   surrogates as invalid UTF-8, as Prometheus treats the raw byte.
 */

import type { PromqlFunction } from "../functions";

export type ValueType = "scalar" | "vector" | "matrix" | "string";

/** Half-open `[start, end)` range of string indices into the query text. */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

export type MatchType = "=" | "!=" | "=~" | "!~";

/** The shared label-matcher shape (see notes/common.md). */
export interface LabelMatcher {
  type: MatchType;
  name: string;
  value: string;
}

export type BinaryOperator =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "^"
  | "atan2"
  /** Histogram trim operators: `</` removes observations above the threshold, `>/` those below. */
  | "</"
  | ">/"
  | "=="
  | "!="
  | ">"
  | "<"
  | ">="
  | "<="
  | "and"
  | "or"
  | "unless";

export type AggregateOperator =
  | "sum"
  | "avg"
  | "count"
  | "min"
  | "max"
  | "group"
  | "stddev"
  | "stdvar"
  | "topk"
  | "bottomk"
  | "count_values"
  | "quantile"
  | "limitk"
  | "limit_ratio";

/** Aggregations that take a parameter before the vector: `topk(3, x)`, `count_values("v", x)`. */
export const AGGREGATORS_WITH_PARAM: readonly AggregateOperator[] = [
  "topk",
  "bottomk",
  "count_values",
  "quantile",
  "limitk",
  "limit_ratio",
];

export const AGGREGATE_OPERATORS: readonly AggregateOperator[] = [
  "sum",
  "avg",
  "count",
  "min",
  "max",
  "group",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "count_values",
  "quantile",
  "limitk",
  "limit_ratio",
];

/**
 * Binding strength of each binary operator, higher binds tighter (Prometheus's grammar). `^` is right-associative,
 * all others left-associative; unary `-`/`+` bind tighter than `*` and looser than `^`.
 */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  or: 1,
  and: 2,
  unless: 2,
  "==": 3,
  "!=": 3,
  "<": 3,
  "<=": 3,
  ">": 3,
  ">=": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
  "%": 5,
  atan2: 5,
  "</": 5,
  ">/": 5,
  "^": 6,
};
export const POW_PRECEDENCE = 6;

export const COMPARISON_OPERATORS: readonly BinaryOperator[] = ["==", "!=", ">", "<", ">=", "<="];
export const SET_OPERATORS: readonly BinaryOperator[] = ["and", "or", "unless"];

// ---------------------------------------------------------------------------------------------------------------
// Duration expressions (ranges, subquery steps and offsets). Arithmetic is in seconds as in Prometheus:
// `[2m * 15]` is 120 * 15 s, `[step() + 1]` is the step plus one second.

export interface DurationLiteral {
  type: "DurationLiteral";
  /** Seconds (may be fractional, negative, or produced by a bare number such as `[1800]`). */
  seconds: number;
  /** True when written with units (`5m`), false for a bare number (`300`); the printer keeps the form. */
  unit: boolean;
  pos: PositionRange;
}

export interface DurationBinary {
  type: "DurationBinary";
  op: "+" | "-" | "*" | "/" | "%" | "^";
  lhs: DurationNode;
  rhs: DurationNode;
  pos: PositionRange;
}

export interface DurationUnary {
  type: "DurationUnary";
  op: "+" | "-";
  expr: DurationNode;
  pos: PositionRange;
}

export interface DurationParen {
  type: "DurationParen";
  expr: DurationNode;
  pos: PositionRange;
}

/** `step()`, `range()` (no arguments) and `min_of(a, b)`, `max_of(a, b)`. */
export interface DurationCall {
  type: "DurationCall";
  func: "step" | "range" | "min_of" | "max_of";
  args: DurationNode[];
  pos: PositionRange;
}

export type DurationNode = DurationLiteral | DurationBinary | DurationUnary | DurationParen | DurationCall;

// ---------------------------------------------------------------------------------------------------------------
// Expressions.

export interface NumberLiteral {
  type: "NumberLiteral";
  value: number;
  /** Written as a duration (`5m` used as a number means 300); printed back that way. */
  duration: boolean;
  pos: PositionRange;
}

export interface StringLiteral {
  type: "StringLiteral";
  value: string;
  pos: PositionRange;
}

/** `@` modifier: a timestamp in ms, or the query's start/end. */
export type AtModifier = number | "start" | "end" | null;

export interface VectorSelector {
  type: "VectorSelector";
  /**
   * Metric name written outside the braces (`up{...}`); null otherwise. As in Prometheus, a name written inside the
   * braces (`{"my.metric"}`) is only a `__name__` matcher. Informational: `matchers` is what selects.
   */
  name: string | null;
  /**
   * Every matcher the engine must apply, including the `__name__` equality matcher for `name` (appended last, as
   * Prometheus does). Never empty for a valid query.
   */
  matchers: LabelMatcher[];
  /** Offset in ms (positive looks back). Folded value of `offsetExpr` when that is constant, else 0. */
  offset: number;
  /** The offset as written when it is not a plain literal (`offset (1h / 2)`, `offset step()`). */
  offsetExpr: DurationNode | null;
  at: AtModifier;
  /** Extended range selector modifiers (experimental in Prometheus 3; the engine validates where they apply). */
  anchored: boolean;
  smoothed: boolean;
  pos: PositionRange;
}

export interface MatrixSelector {
  type: "MatrixSelector";
  /** Holds the name, matchers, offset, `@` and anchored/smoothed of the range selector. */
  vectorSelector: VectorSelector;
  /** Range in ms (folded value of `rangeExpr` when that is constant, else 0). */
  range: number;
  rangeExpr: DurationNode | null;
  pos: PositionRange;
}

export interface SubqueryExpr {
  type: "SubqueryExpr";
  expr: Expr;
  range: number;
  rangeExpr: DurationNode | null;
  /** Resolution step in ms; 0 when omitted (`[5m:]`), meaning the engine's default evaluation interval. */
  step: number;
  stepExpr: DurationNode | null;
  offset: number;
  offsetExpr: DurationNode | null;
  at: AtModifier;
  pos: PositionRange;
}

export interface ParenExpr {
  type: "ParenExpr";
  expr: Expr;
  pos: PositionRange;
}

export interface UnaryExpr {
  type: "UnaryExpr";
  op: "-" | "+";
  expr: Expr;
  pos: PositionRange;
}

export type VectorMatchCardinality = "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";

/** Values from `fill(v)`, `fill_left(v)`, `fill_right(v)`; null where that side is not filled. */
export interface FillValues {
  lhs: number | null;
  rhs: number | null;
}

export interface VectorMatching {
  card: VectorMatchCardinality;
  /** Labels of `on(...)` (when `on`) or `ignoring(...)`. */
  matchingLabels: string[];
  on: boolean;
  /** Extra labels of `group_left(...)` / `group_right(...)`. */
  include: string[];
  fill: FillValues;
}

export interface BinaryExpr {
  type: "BinaryExpr";
  op: BinaryOperator;
  lhs: Expr;
  rhs: Expr;
  /** `bool` modifier on a comparison. */
  returnBool: boolean;
  /** Present only when both sides are instant vectors (as in Prometheus after checkAST); null otherwise. */
  vectorMatching: VectorMatching | null;
  pos: PositionRange;
}

export interface AggregateExpr {
  type: "AggregateExpr";
  op: AggregateOperator;
  expr: Expr;
  /** The parameter of topk/bottomk/quantile/count_values/limitk/limit_ratio; null for the others. */
  param: Expr | null;
  grouping: string[];
  /** `without (...)` rather than `by (...)`. */
  without: boolean;
  pos: PositionRange;
}

export interface Call {
  type: "Call";
  func: PromqlFunction;
  args: Expr[];
  pos: PositionRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | Call;

/** The value type an expression evaluates to (Prometheus's `Expr.Type()`). */
export function valueTypeOf(expr: Expr): ValueType {
  switch (expr.type) {
    case "NumberLiteral":
      return "scalar";
    case "StringLiteral":
      return "string";
    case "VectorSelector":
      return "vector";
    case "MatrixSelector":
    case "SubqueryExpr":
      return "matrix";
    case "ParenExpr":
    case "UnaryExpr":
      return valueTypeOf(expr.expr);
    case "BinaryExpr":
      return valueTypeOf(expr.lhs) === "scalar" && valueTypeOf(expr.rhs) === "scalar" ? "scalar" : "vector";
    case "AggregateExpr":
      return "vector";
    case "Call":
      return expr.func.returnType;
  }
}

/** Prometheus's documented name of a value type, as used in error messages ("range vector", ...). */
export function documentedType(type: ValueType): string {
  switch (type) {
    case "vector":
      return "instant vector";
    case "matrix":
      return "range vector";
    default:
      return type;
  }
}

/** Direct child expressions of a node, in source order (for walkers). */
export function childrenOf(expr: Expr): Expr[] {
  switch (expr.type) {
    case "NumberLiteral":
    case "StringLiteral":
    case "VectorSelector":
      return [];
    case "MatrixSelector":
      return [expr.vectorSelector];
    case "SubqueryExpr":
    case "ParenExpr":
    case "UnaryExpr":
      return [expr.expr];
    case "BinaryExpr":
      return [expr.lhs, expr.rhs];
    case "AggregateExpr":
      return expr.param ? [expr.param, expr.expr] : [expr.expr];
    case "Call":
      return expr.args;
  }
}

/** Depth-first pre-order walk; `visit` gets each node and the chain of its ancestors (outermost first). */
export function walkExpr(expr: Expr, visit: (node: Expr, ancestors: readonly Expr[]) => void): void {
  const ancestors: Expr[] = [];
  const step = (node: Expr): void => {
    visit(node, ancestors);
    ancestors.push(node);
    for (const child of childrenOf(node)) step(child);
    ancestors.pop();
  };
  step(expr);
}
