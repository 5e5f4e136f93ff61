import { describe, expect, it } from "vitest";
import { SET_OPERATORS, type BinaryExpr, type BinaryOperator, type Expr } from "./ast";
import { parseExpr } from "./parser";
import { prettyExpr } from "./pretty";
import { formatExpr } from "./printer";
import { withoutPositions } from "./test-helpers";

// Trees built by code have no ParenExpr nodes; the printer must add the parentheses their grouping needs.

const POS = { start: 0, end: 0 };
const OPERATORS: BinaryOperator[] = ["or", "and", "unless", "==", "<", "+", "-", "*", "/", "%", "atan2", "^"];

function selector(name: string): Expr {
  return {
    type: "VectorSelector",
    name,
    matchers: [{ type: "=", name: "__name__", value: name }],
    offset: 0,
    offsetExpr: null,
    at: null,
    anchored: false,
    smoothed: false,
    pos: POS,
  };
}

function binary(op: BinaryOperator, lhs: Expr, rhs: Expr): BinaryExpr {
  const bothVectors = lhs.type !== "NumberLiteral" && rhs.type !== "NumberLiteral";
  return {
    type: "BinaryExpr",
    op,
    lhs,
    rhs,
    returnBool: false,
    vectorMatching: bothVectors
      ? {
          card: SET_OPERATORS.includes(op) ? "many-to-many" : "one-to-one",
          matchingLabels: [],
          on: false,
          include: [],
          fill: { lhs: null, rhs: null },
        }
      : null,
    pos: POS,
  };
}

/** Random vector-valued trees: selectors, unary minus, and binary operators, some with a number on the left. */
function randomTree(random: () => number, depth: number): Expr {
  const roll = random();
  if (depth === 0 || roll < 0.25) return selector("abcde"[Math.floor(random() * 5)]);
  if (roll < 0.4) return { type: "UnaryExpr", op: "-", expr: randomTree(random, depth - 1), pos: POS };
  if (roll < 0.5) {
    const value = [1, -1, 2.5, -0.5][Math.floor(random() * 4)];
    const number: Expr = { type: "NumberLiteral", value, duration: false, pos: POS };
    return binary(random() < 0.5 ? "^" : "*", number, randomTree(random, depth - 1));
  }
  const op = OPERATORS[Math.floor(random() * OPERATORS.length)];
  return binary(op, randomTree(random, depth - 1), randomTree(random, depth - 1));
}

function withoutParens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutParens);
  if (value !== null && typeof value === "object") {
    const node = value as { type?: string; expr?: unknown };
    if (node.type === "ParenExpr") return withoutParens(node.expr);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutParens(v)]));
  }
  return value;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe("printing trees built by code", () => {
  it("adds the parentheses that precedence and associativity need", () => {
    const [a, b, c] = [selector("a"), selector("b"), selector("c")];
    const one: Expr = { type: "NumberLiteral", value: 1, duration: false, pos: POS };
    const minusOne: Expr = { type: "NumberLiteral", value: -1, duration: false, pos: POS };
    expect(formatExpr(binary("*", binary("+", a, b), c))).toBe("(a + b) * c");
    expect(formatExpr(binary("-", a, binary("-", b, c)))).toBe("a - (b - c)");
    expect(formatExpr(binary("^", binary("^", a, b), c))).toBe("(a ^ b) ^ c");
    expect(formatExpr(binary("^", a, binary("^", b, c)))).toBe("a ^ b ^ c");
    expect(formatExpr(binary("^", minusOne, a))).toBe("(-1) ^ a");
    expect(formatExpr({ type: "UnaryExpr", op: "-", expr: one, pos: POS })).toBe("-(1)");
    expect(formatExpr({ type: "UnaryExpr", op: "-", expr: binary("+", a, b), pos: POS })).toBe("-(a + b)");
  });

  it("prints 3,000 random trees as text that parses back to the same grouping", () => {
    const random = seeded(42);
    for (let i = 0; i < 3000; i++) {
      const tree = randomTree(random, 5);
      for (const text of [formatExpr(tree), prettyExpr(tree, 12)]) {
        expect(withoutParens(withoutPositions(parseExpr(text))), text).toEqual(withoutParens(withoutPositions(tree)));
      }
    }
  });
});
