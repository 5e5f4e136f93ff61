import { describe, expect, it } from "vitest";
import { ParseErrors } from "./errors";
import { parseExpr } from "./parser";
import { prettyExpr } from "./pretty";
import { formatExpr } from "./printer";
import { upstreamEvalCases, withoutPositions } from "./test-helpers";

// Random inputs must never crash the parser: it either returns a tree that prints and parses back to itself, or
// throws ParseErrors. The generator is seeded so that a failure is reproducible.

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = [
  "x",
  "up",
  "sum",
  "rate",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "and",
  "or",
  "unless",
  "atan2",
  "topk",
  "count_values",
  "histogram_quantile",
  "label_join",
  "step",
  "range",
  "min_of",
  "anchored",
  "smoothed",
  "fill",
  "fill_left",
  "start",
  "end",
  "Inf",
  "NaN",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  "@",
  "+",
  "-",
  "*",
  "/",
  "%",
  "^",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "</",
  ">/",
  "=",
  "=~",
  "!~",
  "1",
  "0.5",
  "0x1f",
  "5m",
  "1h30m",
  '"a"',
  "'b'",
  "`c`",
  '"\\xc5"',
  "#",
  "\n",
  " ",
];

function expectWellBehaved(input: string): void {
  let tree;
  try {
    tree = parseExpr(input);
  } catch (err) {
    if (!(err instanceof ParseErrors)) throw new Error(`${JSON.stringify(input)} threw ${String(err)}`);
    expect(err.errors.length).toBeGreaterThan(0);
    for (const e of err.errors) {
      expect(e.positionRange.start, `${JSON.stringify(input)}: ${e.message}`).toBeGreaterThanOrEqual(0);
      expect(e.positionRange.end, `${JSON.stringify(input)}: ${e.message}`).toBeLessThanOrEqual(input.length);
    }
    return;
  }
  const printed = formatExpr(tree);
  expect(withoutPositions(parseExpr(printed)), `${input} -> ${printed}`).toEqual(withoutPositions(tree));
  expect(withoutPositions(parseExpr(prettyExpr(tree, 20))), input).toEqual(withoutPositions(tree));
}

describe("parser robustness", () => {
  it("handles 5,000 random token sequences", { timeout: 60_000 }, () => {
    const random = mulberry32(20261125);
    for (let i = 0; i < 5_000; i++) {
      const length = 1 + Math.floor(random() * 12);
      const parts: string[] = [];
      for (let j = 0; j < length; j++) parts.push(VOCABULARY[Math.floor(random() * VOCABULARY.length)]);
      expectWellBehaved(parts.join(random() < 0.5 ? " " : ""));
    }
  });

  it("handles prefixes and one-character deletions of the upstream eval expressions", { timeout: 60_000 }, () => {
    const random = mulberry32(7);
    for (const c of upstreamEvalCases()) {
      for (let cut = 0; cut < c.expr.length; cut += 1 + Math.floor(random() * 7)) {
        expectWellBehaved(c.expr.slice(0, cut));
        expectWellBehaved(c.expr.slice(0, cut) + c.expr.slice(cut + 1));
      }
    }
  });
});
