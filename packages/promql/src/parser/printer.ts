/**
 * Prints an expression in Prometheus's canonical form (what `/api/v1/format_query` returns for a single line):
 * `sum by (job) (rate(x{a="b"}[5m]))`, matchers sorted, durations in `1h30m` form, `@` timestamps with three
 * decimals. Whatever it prints parses back to the same tree (the tests check this on every query of the test data).
 */

import {
  BINARY_PRECEDENCE,
  POW_PRECEDENCE,
  type AggregateExpr,
  type BinaryExpr,
  type DurationNode,
  type Expr,
  type LabelMatcher,
  type SubqueryExpr,
  type VectorMatching,
  type VectorSelector,
} from "./ast";
import { formatDuration } from "../duration";
import { formatFloat } from "../format";

export function formatExpr(expr: Expr): string {
  switch (expr.type) {
    case "NumberLiteral":
      if (expr.duration)
        return expr.value < 0 ? `-${formatDuration(-expr.value * 1000)}` : formatDuration(expr.value * 1000);
      return formatFloat(expr.value);
    case "StringLiteral":
      return quoteString(expr.value);
    case "ParenExpr":
      return `(${formatExpr(expr.expr)})`;
    case "UnaryExpr":
      return `${expr.op}${formatOperand(expr.expr, unaryNeedsParens(expr.expr))}`;
    case "BinaryExpr": {
      const lhs = formatOperand(expr.lhs, lhsNeedsParens(expr));
      const rhs = formatOperand(expr.rhs, rhsNeedsParens(expr));
      return `${lhs} ${binaryOperatorWithModifiers(expr)} ${rhs}`;
    }
    case "AggregateExpr": {
      const param = expr.param ? `${formatExpr(expr.param)}, ` : "";
      return `${aggregationPrefix(expr)}(${param}${formatExpr(expr.expr)})`;
    }
    case "Call":
      return `${expr.func.name}(${expr.args.map(formatExpr).join(", ")})`;
    case "VectorSelector":
      return formatSelectorBody(expr) + formatAtOffset(expr.at, expr.offset, expr.offsetExpr) + formatExtended(expr);
    case "MatrixSelector": {
      const vs = expr.vectorSelector;
      const range = expr.rangeExpr ? formatDurationExpr(expr.rangeExpr) : formatDuration(expr.range);
      return `${formatSelectorBody(vs)}[${range}]${formatAtOffset(vs.at, vs.offset, vs.offsetExpr)}${formatExtended(vs)}`;
    }
    case "SubqueryExpr":
      return (
        formatOperand(expr.expr, expr.expr.type === "BinaryExpr" || expr.expr.type === "UnaryExpr") +
        subquerySuffix(expr)
      );
  }
}

// A parsed tree has a ParenExpr wherever grouping differs from precedence, so these add nothing to it; they keep a
// tree built or rewritten by code (without ParenExpr nodes) printing as text that parses back to the same tree.

function formatOperand(expr: Expr, parens: boolean): string {
  return parens ? `(${formatExpr(expr)})` : formatExpr(expr);
}

export function lhsNeedsParens(parent: BinaryExpr): boolean {
  const child = parent.lhs;
  const precedence = BINARY_PRECEDENCE[parent.op];
  if (child.type === "BinaryExpr") {
    const childPrecedence = BINARY_PRECEDENCE[child.op];
    return childPrecedence < precedence || (childPrecedence === precedence && parent.op === "^");
  }
  // `-a ^ b` and `-1 ^ b` read as `-(a ^ b)`.
  if (parent.op !== "^") return false;
  return child.type === "UnaryExpr" || (child.type === "NumberLiteral" && isNegative(child.value));
}

export function rhsNeedsParens(parent: BinaryExpr): boolean {
  const child = parent.rhs;
  if (child.type !== "BinaryExpr") return false;
  const precedence = BINARY_PRECEDENCE[parent.op];
  const childPrecedence = BINARY_PRECEDENCE[child.op];
  return childPrecedence < precedence || (childPrecedence === precedence && parent.op !== "^");
}

export function unaryNeedsParens(child: Expr): boolean {
  // A sign before a number literal would fold into it (`-1` is the literal -1, not a unary expression).
  if (child.type === "NumberLiteral") return true;
  return child.type === "BinaryExpr" && BINARY_PRECEDENCE[child.op] < POW_PRECEDENCE;
}

export function subqueryNeedsParens(subquery: SubqueryExpr): boolean {
  return subquery.expr.type === "BinaryExpr" || subquery.expr.type === "UnaryExpr";
}

function isNegative(value: number): boolean {
  return value < 0 || Object.is(value, -0);
}

/** `[30m:1m] @ 100.000 offset 5m`: everything of a subquery after its expression. */
export function subquerySuffix(expr: SubqueryExpr): string {
  const range = expr.rangeExpr ? formatDurationExpr(expr.rangeExpr) : formatDuration(expr.range);
  let step = "";
  if (expr.stepExpr) step = formatDurationExpr(expr.stepExpr);
  else if (expr.step !== 0) step = formatDuration(expr.step);
  return `[${range}:${step}]${formatAtOffset(expr.at, expr.offset, expr.offsetExpr)}`;
}

/** `sum`, `sum by (job) `, `topk without (a) `: an aggregation up to its opening parenthesis. */
export function aggregationPrefix(expr: AggregateExpr): string {
  if (expr.without) return `${expr.op} without (${formatLabelList(expr.grouping)}) `;
  if (expr.grouping.length > 0) return `${expr.op} by (${formatLabelList(expr.grouping)}) `;
  return expr.op;
}

/** `>`, `> bool on (a) group_left (b) fill(0)`: a binary operator with its modifiers. */
export function binaryOperatorWithModifiers(expr: BinaryExpr): string {
  const bool = expr.returnBool ? " bool" : "";
  const matching = expr.vectorMatching ? formatMatching(expr.vectorMatching) : "";
  return `${expr.op}${bool}${matching}`;
}

function formatMatching(vm: VectorMatching): string {
  let out = "";
  const grouped = vm.card === "many-to-one" || vm.card === "one-to-many";
  if (vm.matchingLabels.length > 0 || vm.on || grouped) {
    out = ` ${vm.on ? "on" : "ignoring"} (${formatLabelList(vm.matchingLabels)})`;
    if (grouped) out += ` group_${vm.card === "many-to-one" ? "left" : "right"} (${formatLabelList(vm.include)})`;
  }
  const { lhs, rhs } = vm.fill;
  if (lhs !== null && rhs !== null && Object.is(lhs, rhs)) {
    out += ` fill(${formatFloat(lhs)})`;
  } else {
    if (lhs !== null) out += ` fill_left(${formatFloat(lhs)})`;
    if (rhs !== null) out += ` fill_right(${formatFloat(rhs)})`;
  }
  return out;
}

function formatLabelList(labels: readonly string[]): string {
  return labels.map(formatLabelName).join(", ");
}

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Metric names the parser would read as something else when written bare. */
const NAMES_NEEDING_QUOTES = new Set(["inf", "nan"]);

export function formatLabelName(name: string): string {
  return LEGACY_LABEL_NAME.test(name) ? name : quoteString(name);
}

export function formatMatcher(matcher: LabelMatcher): string {
  return `${formatLabelName(matcher.name)}${matcher.type}${quoteString(matcher.value)}`;
}

/** `name{a="b",c!="d"}` without `@`, offset or modifiers. */
function formatSelectorBody(vs: VectorSelector): string {
  const labelStrings: string[] = [];
  let skippedName = false;
  for (const m of vs.matchers) {
    if (
      !skippedName &&
      m.name === "__name__" &&
      m.type === "=" &&
      vs.name !== null &&
      vs.name !== "" &&
      m.value === vs.name
    ) {
      skippedName = true;
      continue;
    }
    labelStrings.push(formatMatcher(m));
  }
  labelStrings.sort();
  const name = vs.name !== null && skippedName ? vs.name : null;
  if (name !== null && LEGACY_METRIC_NAME.test(name) && !NAMES_NEEDING_QUOTES.has(name.toLowerCase())) {
    return labelStrings.length === 0 ? name : `${name}{${labelStrings.join(",")}}`;
  }
  if (name !== null) return `{${[quoteString(name), ...labelStrings].join(",")}}`;
  return `{${labelStrings.join(",")}}`;
}

function formatAtOffset(at: VectorSelector["at"], offset: number, offsetExpr: DurationNode | null): string {
  let out = "";
  if (typeof at === "number") out += ` @ ${(at / 1000).toFixed(3)}`;
  else if (at === "start" || at === "end") out += ` @ ${at}()`;
  if (offsetExpr) out += ` offset ${formatOffsetExpr(offsetExpr)}`;
  else if (offset > 0) out += ` offset ${formatDuration(offset)}`;
  else if (offset < 0) out += ` offset -${formatDuration(-offset)}`;
  return out;
}

function formatExtended(vs: VectorSelector): string {
  return (vs.anchored ? " anchored" : "") + (vs.smoothed ? " smoothed" : "");
}

/** Offsets accept only a (signed) literal, call or parenthesised expression; wrap anything else. */
function formatOffsetExpr(node: DurationNode): string {
  const simple = (n: DurationNode): boolean =>
    n.type === "DurationLiteral" || n.type === "DurationParen" || n.type === "DurationCall";
  if (simple(node) || (node.type === "DurationUnary" && simple(node.expr))) return formatDurationExpr(node);
  return `(${formatDurationExpr(node)})`;
}

export function formatDurationExpr(node: DurationNode): string {
  switch (node.type) {
    case "DurationLiteral":
      if (!node.unit) return formatFloat(node.seconds);
      return node.seconds < 0 ? `-${formatDuration(-node.seconds * 1000)}` : formatDuration(node.seconds * 1000);
    case "DurationParen":
      return `(${formatDurationExpr(node.expr)})`;
    case "DurationUnary":
      return `${node.op}${formatDurationExpr(node.expr)}`;
    case "DurationBinary":
      return `${formatDurationExpr(node.lhs)} ${node.op} ${formatDurationExpr(node.rhs)}`;
    case "DurationCall":
      return `${node.func}(${node.args.map(formatDurationExpr).join(", ")})`;
  }
}

/**
 * Go's `strconv.Quote`: double quotes, `\n`-style escapes for control characters, printable Unicode kept. Lone
 * surrogates U+DC80..U+DCFF stand for raw bytes (see ast.ts) and print as `\xNN`.
 */
export function quoteString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const low = value.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        out += value.slice(i, i + 2);
        i++;
        continue;
      }
    }
    if (code >= 0xdc80 && code <= 0xdcff) {
      out += `\\x${(code - 0xdc00).toString(16).padStart(2, "0")}`;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      out += "\\ufffd";
      continue;
    }
    switch (code) {
      case 7:
        out += "\\a";
        continue;
      case 8:
        out += "\\b";
        continue;
      case 12:
        out += "\\f";
        continue;
      case 10:
        out += "\\n";
        continue;
      case 13:
        out += "\\r";
        continue;
      case 9:
        out += "\\t";
        continue;
      case 11:
        out += "\\v";
        continue;
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += "\\\\";
        continue;
    }
    if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += value[i];
  }
  return out + '"';
}
