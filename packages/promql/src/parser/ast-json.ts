/**
 * The tree in the JSON shape `/api/v1/parse_query` answers (Prometheus's web UI draws its "explain" tree view from
 * it): `{"type": "binaryExpr", "op": "/", "lhs": {...}, "rhs": {...}, "matching": {...}, "bool": false}` and so on.
 * Durations are milliseconds, numbers are Go-formatted strings, a missing name is "".
 */

import type { AtModifier, Expr, LabelMatcher, VectorSelector } from "./ast";
import { formatFloat } from "../format";

export type AstJson = { [key: string]: unknown };

export function astToJson(expr: Expr): AstJson {
  switch (expr.type) {
    case "AggregateExpr":
      return {
        type: "aggregation",
        op: expr.op,
        expr: astToJson(expr.expr),
        param: expr.param ? astToJson(expr.param) : null,
        grouping: [...expr.grouping],
        without: expr.without,
      };
    case "BinaryExpr": {
      const vm = expr.vectorMatching;
      return {
        type: "binaryExpr",
        op: expr.op,
        lhs: astToJson(expr.lhs),
        rhs: astToJson(expr.rhs),
        matching: vm && {
          card: vm.card,
          labels: [...vm.matchingLabels],
          on: vm.on,
          include: [...vm.include],
          fillValues: { lhs: vm.fill.lhs, rhs: vm.fill.rhs },
        },
        bool: expr.returnBool,
      };
    }
    case "Call":
      return {
        type: "call",
        func: {
          name: expr.func.name,
          argTypes: [...expr.func.argTypes],
          variadic: expr.func.variadic,
          returnType: expr.func.returnType,
        },
        args: expr.args.map(astToJson),
      };
    case "MatrixSelector": {
      const vs = expr.vectorSelector;
      return { type: "matrixSelector", ...selectorFields(vs), range: expr.range };
    }
    case "SubqueryExpr":
      return {
        type: "subquery",
        expr: astToJson(expr.expr),
        range: expr.range,
        offset: expr.offset,
        step: expr.step,
        ...atFields(expr.at),
      };
    case "NumberLiteral":
      return { type: "numberLiteral", val: formatFloat(expr.value) };
    case "ParenExpr":
      return { type: "parenExpr", expr: astToJson(expr.expr) };
    case "StringLiteral":
      return { type: "stringLiteral", val: expr.value };
    case "UnaryExpr":
      return { type: "unaryExpr", op: expr.op, expr: astToJson(expr.expr) };
    case "VectorSelector":
      return { type: "vectorSelector", ...selectorFields(expr) };
  }
}

function selectorFields(vs: VectorSelector): AstJson {
  return {
    name: vs.name ?? "",
    offset: vs.offset,
    matchers: vs.matchers.map((m: LabelMatcher) => ({ name: m.name, value: m.value, type: m.type })),
    ...atFields(vs.at),
    anchored: vs.anchored,
    smoothed: vs.smoothed,
  };
}

function atFields(at: AtModifier): { timestamp: number | null; startOrEnd: "start" | "end" | null } {
  if (typeof at === "number") return { timestamp: at, startOrEnd: null };
  return { timestamp: null, startOrEnd: at };
}
