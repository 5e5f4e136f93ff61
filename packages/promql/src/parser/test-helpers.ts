import { readdirSync, readFileSync } from "node:fs";
import { testdataPath } from "@edgeprom/testdata";
import { childrenOf, type DurationNode, type Expr, type LabelMatcher } from "./ast";

/** One `eval` header of an upstream promqltest file: where it is and the expression it evaluates. */
export interface EvalCase {
  file: string;
  line: number;
  expr: string;
}

const EVAL_HEADER = /^eval(?:_\w+)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.*)$/;

/** Every eval expression of /work/shared/testdata/promql/*.test, read where the data live. */
export function upstreamEvalCases(): EvalCase[] {
  const dir = testdataPath("promql");
  const cases: EvalCase[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".test"))
    .sort()) {
    readFileSync(`${dir}/${file}`, "utf8")
      .split("\n")
      .forEach((text, i) => {
        const match = EVAL_HEADER.exec(text.trim());
        if (match) cases.push({ file, line: i + 1, expr: match[1] });
      });
  }
  return cases;
}

/** The inputs of the Lezer grammar's expression tests, and whether Lezer marks them as erroneous (⚠). */
export function lezerExpressionCases(): { title: string; input: string; lezerError: boolean }[] {
  const text = readFileSync(testdataPath("promql-parser", "lezer-promql-expression.txt"), "utf8");
  return text
    .split(/^# /m)
    .slice(1)
    .map((chunk) => {
      const newline = chunk.indexOf("\n");
      const [input, tree = ""] = chunk.slice(newline + 1).split(/^==>$/m);
      return { title: chunk.slice(0, newline).trim(), input: input.trim(), lezerError: tree.includes("⚠") };
    });
}

/**
 * A deep copy without `pos` fields and with selector matchers in sorted order (the printer sorts them, as
 * Prometheus does), to compare trees parsed from different texts.
 */
export function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === "pos") continue;
      out[key] = key === "matchers" && Array.isArray(v) ? sortedMatchers(v) : withoutPositions(v);
    }
    return out;
  }
  return value;
}

function sortedMatchers(matchers: readonly LabelMatcher[]): LabelMatcher[] {
  const key = (m: LabelMatcher): string => `${m.name}\u0000${m.type}\u0000${m.value}`;
  return [...matchers].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A fully parenthesised rendering that shows how an expression was grouped. */
export function grouping(expr: Expr): string {
  switch (expr.type) {
    case "BinaryExpr":
      return `(${grouping(expr.lhs)} ${expr.op} ${grouping(expr.rhs)})`;
    case "UnaryExpr":
      return `(${expr.op}${grouping(expr.expr)})`;
    case "ParenExpr":
      return grouping(expr.expr);
    case "NumberLiteral":
      return String(expr.value);
    case "StringLiteral":
      return JSON.stringify(expr.value);
    case "VectorSelector": {
      let out = expr.name ?? "{}";
      if (expr.offsetExpr) out += ` offset ${durationGrouping(expr.offsetExpr)}`;
      else if (expr.offset !== 0) out += ` offset ${expr.offset}ms`;
      return out;
    }
    case "MatrixSelector":
      return `${grouping(expr.vectorSelector)}[${expr.rangeExpr ? durationGrouping(expr.rangeExpr) : `${expr.range}ms`}]`;
    case "SubqueryExpr":
      return `${grouping(expr.expr)}[${expr.range}ms:${expr.step}ms]`;
    case "AggregateExpr":
    case "Call":
      return `${expr.type === "Call" ? expr.func.name : expr.op}(${childrenOf(expr).map(grouping).join(", ")})`;
  }
}

export function durationGrouping(node: DurationNode): string {
  switch (node.type) {
    case "DurationLiteral":
      return `${node.seconds}s`;
    case "DurationParen":
      return durationGrouping(node.expr);
    case "DurationUnary":
      return `(${node.op}${durationGrouping(node.expr)})`;
    case "DurationBinary":
      return `(${durationGrouping(node.lhs)} ${node.op} ${durationGrouping(node.rhs)})`;
    case "DurationCall":
      return `${node.func}(${node.args.map(durationGrouping).join(", ")})`;
  }
}
