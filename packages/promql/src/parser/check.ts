/**
 * The type-check pass over a parsed tree (Prometheus's `checkAST`): operand and argument types, argument counts,
 * matching modifiers, and the rule that a selector must not match everything. It also normalises binary
 * expressions as Prometheus does: set operators get many-to-many matching, and `vectorMatching` is dropped unless
 * both sides are instant vectors. Returns every error found rather than stopping at the first.
 */

import {
  COMPARISON_OPERATORS,
  documentedType,
  SET_OPERATORS,
  valueTypeOf,
  type BinaryExpr,
  type Expr,
  type LabelMatcher,
  type PositionRange,
  type ValueType,
  type VectorSelector,
} from "./ast";
import { ParseError } from "./errors";
import { compileMatcherRegex } from "./matcher-regex";
import { quoteString } from "./printer";

export function checkAST(root: Expr, query: string): ParseError[] {
  const errors: ParseError[] = [];
  const fail = (message: string, pos: PositionRange): void => {
    errors.push(new ParseError(message, pos, query));
  };
  const expectType = (node: Expr, want: ValueType, context: string): void => {
    const got = valueTypeOf(node);
    if (got !== want) {
      fail(`expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`, node.pos);
    }
  };

  const check = (node: Expr): ValueType => {
    switch (node.type) {
      case "NumberLiteral":
      case "StringLiteral":
        break;
      case "ParenExpr":
        check(node.expr);
        break;
      case "UnaryExpr": {
        const t = check(node.expr);
        if (t !== "scalar" && t !== "vector") {
          fail(
            `unary expression only allowed on expressions of type scalar or instant vector, got "${documentedType(t)}"`,
            node.pos,
          );
        }
        break;
      }
      case "BinaryExpr":
        // Typed from the operands' checked types: valueTypeOf would walk the whole left spine of `a+b+c+...` again.
        return checkBinary(node);
      case "AggregateExpr":
        check(node.expr);
        if (node.param) check(node.param);
        expectType(node.expr, "vector", "aggregation expression");
        if (node.param) {
          expectType(node.param, node.op === "count_values" ? "string" : "scalar", "aggregation parameter");
        }
        break;
      case "Call": {
        const fn = node.func;
        const declared = fn.argTypes.length;
        const given = node.args.length;
        if (fn.variadic === 0) {
          if (declared !== given) {
            fail(`expected ${declared} argument(s) in call to "${fn.name}", got ${given}`, node.pos);
          }
        } else {
          const minimum = declared - 1;
          if (minimum > given) {
            fail(`expected at least ${minimum} argument(s) in call to "${fn.name}", got ${given}`, node.pos);
          } else if (fn.variadic > 0 && minimum + fn.variadic < given) {
            fail(
              `expected at most ${minimum + fn.variadic} argument(s) in call to "${fn.name}", got ${given}`,
              node.pos,
            );
          }
        }
        if (fn.name === "info" && node.args.length > 1) {
          // info()'s second argument selects info metrics by their labels only, and may match every series.
          const selector = node.args[1];
          if (selector.type !== "VectorSelector") fail("expected label selectors only", selector.pos);
          else if (selector.name !== null) {
            fail("expected label selectors only, got vector selector instead", selector.pos);
          }
        }
        node.args.forEach((arg, i) => {
          if (fn.name === "info" && i === 1 && arg.type === "VectorSelector") return;
          check(arg);
          if (i >= declared && fn.variadic === 0) return;
          const want = fn.argTypes[Math.min(i, declared - 1)];
          if (want !== undefined) expectType(arg, want, `call to function "${fn.name}"`);
        });
        break;
      }
      case "SubqueryExpr": {
        const t = check(node.expr);
        if (t !== "vector") {
          fail(`subquery is only allowed on instant vector, got ${t} instead`, node.pos);
        }
        checkPositiveDuration(node.rangeExpr === null, node.range, "subquery range", node.pos);
        if (node.stepExpr === null && node.step < 0) fail("subquery step must not be negative", node.pos);
        break;
      }
      case "MatrixSelector":
        check(node.vectorSelector);
        checkPositiveDuration(node.rangeExpr === null, node.range, "range", node.pos);
        break;
      case "VectorSelector":
        checkSelector(node);
        break;
    }
    return valueTypeOf(node);
  };

  const checkPositiveDuration = (isLiteral: boolean, ms: number, what: string, pos: PositionRange): void => {
    if (isLiteral && ms <= 0) fail(`${what} must be greater than 0`, pos);
  };

  const checkSelector = (node: VectorSelector): void => {
    const nameMatchers = node.matchers.filter((m) => m.name === "__name__");
    if (node.name !== null && nameMatchers.length > 1) {
      const other = nameMatchers.find((m) => m.value !== node.name) ?? nameMatchers[0];
      fail(`metric name must not be set twice: ${quoteString(node.name)} or ${quoteString(other.value)}`, node.pos);
      return;
    }
    if (node.name !== null) return;
    if (!node.matchers.some((m) => !matchesEmpty(m))) {
      fail("vector selector must contain at least one non-empty matcher", node.pos);
    }
  };

  const checkBinary = (node: BinaryExpr): ValueType => {
    const lt = check(node.lhs);
    const rt = check(node.rhs);
    const opRange = operatorRange(query, node);
    const isComparison = COMPARISON_OPERATORS.includes(node.op);
    const isSet = SET_OPERATORS.includes(node.op);
    const vm = node.vectorMatching;
    if (node.returnBool && !isComparison) fail("bool modifier can only be used on comparison operators", opRange);
    if (isComparison && !node.returnBool && lt === "scalar" && rt === "scalar") {
      fail("comparisons between scalars must use BOOL modifier", opRange);
    }
    if (vm && isSet && vm.card === "one-to-one") vm.card = "many-to-many";
    if (vm && vm.on) {
      for (const label of vm.include) {
        if (vm.matchingLabels.includes(label)) {
          fail(`label ${quoteString(label)} must not occur in ON and GROUP clause at once`, opRange);
        }
      }
    }
    if (lt !== "scalar" && lt !== "vector") {
      fail("binary expression must contain only scalar and instant vector types", node.lhs.pos);
    }
    if (rt !== "scalar" && rt !== "vector") {
      fail("binary expression must contain only scalar and instant vector types", node.rhs.pos);
    }
    const hasFill = vm !== null && (vm.fill.lhs !== null || vm.fill.rhs !== null);
    if ((lt !== "vector" || rt !== "vector") && vm) {
      if (vm.matchingLabels.length > 0) fail("vector matching only allowed between instant vectors", node.pos);
      if (hasFill) fail("fill modifiers only allowed between instant vectors", node.pos);
      node.vectorMatching = null;
    } else if (isSet && vm) {
      if (vm.card === "one-to-many" || vm.card === "many-to-one") {
        fail(`no grouping allowed for "${node.op}" operation`, node.pos);
      }
      if (vm.card !== "many-to-many") fail("set operations must always be many-to-many", node.pos);
      if (hasFill) fail(`fill modifiers not allowed for "${node.op}" operation`, node.pos);
    }
    if ((lt === "scalar" || rt === "scalar") && isSet) {
      fail(`set operator "${node.op}" not allowed in binary scalar expression`, node.pos);
    }
    return lt === "scalar" && rt === "scalar" ? "scalar" : "vector";
  };

  check(root);
  return errors;
}

/**
 * The operator and its modifiers between the operands, trimmed of spaces, as Prometheus reports it: `start` is the
 * first character after the left operand, `end` the index of the last character before the right operand.
 */
function operatorRange(query: string, node: BinaryExpr): PositionRange {
  let start = node.lhs.pos.end;
  while (start < query.length && /\s/.test(query[start])) start++;
  let end = node.rhs.pos.start - 1;
  while (end > start && /\s/.test(query[end])) end--;
  return { start, end };
}

/** Whether a matcher accepts the empty label value (and so, alone, would select every series). */
export function matchesEmpty(matcher: LabelMatcher): boolean {
  switch (matcher.type) {
    case "=":
      return matcher.value === "";
    case "!=":
      return matcher.value !== "";
    case "=~":
    case "!~": {
      const compiled = compileMatcherRegex(matcher.value);
      // An invalid regex was already reported by the parser; count it as non-empty to avoid a second error.
      if (!compiled.ok) return false;
      const matches = compiled.regex.matches("");
      return matcher.type === "=~" ? matches : !matches;
    }
  }
}
