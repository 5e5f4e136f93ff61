import { describe, expect, it } from "vitest";
import { walkExpr, type Expr } from "./ast";
import { parseExpr } from "./parser";
import { formatExpr } from "./printer";
import { lezerExpressionCases, upstreamEvalCases, withoutPositions } from "./test-helpers";

// The upstream promqltest files parse every eval expression with all experimental options on, and a parse error
// there is a file error; so every one of them must parse, and every expected failure in them is an engine error.
const evals = upstreamEvalCases();

function expectPositionsNested(expr: Expr, query: string): void {
  walkExpr(expr, (node, ancestors) => {
    expect(node.pos.start).toBeGreaterThanOrEqual(0);
    expect(node.pos.end).toBeLessThanOrEqual(query.length);
    expect(node.pos.end).toBeGreaterThan(node.pos.start);
    const parent = ancestors[ancestors.length - 1];
    if (parent) {
      expect(node.pos.start).toBeGreaterThanOrEqual(parent.pos.start);
      expect(node.pos.end).toBeLessThanOrEqual(parent.pos.end);
    }
  });
}

describe("upstream promqltest eval expressions", () => {
  // FORMAT.md and INDEX.tsv count 2213; upstream's runner also runs extended_vectors.test:370, an eval written on the
  // line right after `clear` (a `clear` takes no body, so the next line is a command of its own).
  it("finds all 2214 eval commands", () => {
    expect(evals.length).toBe(2214);
    expect(evals.some((c) => c.file === "extended_vectors.test" && c.line === 370)).toBe(true);
  });

  it("parses every one", () => {
    const failures: string[] = [];
    for (const c of evals) {
      try {
        parseExpr(c.expr);
      } catch (err) {
        failures.push(`${c.file}:${c.line} ${c.expr}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("prints every one in a form that parses back to the same tree and prints identically", () => {
    const failures: string[] = [];
    for (const c of evals) {
      const tree = parseExpr(c.expr);
      const printed = formatExpr(tree);
      let reparsed: Expr;
      try {
        reparsed = parseExpr(printed);
      } catch (err) {
        failures.push(`${c.file}:${c.line} ${printed}: ${(err as Error).message}`);
        continue;
      }
      if (formatExpr(reparsed) !== printed) failures.push(`${c.file}:${c.line} unstable: ${printed}`);
      try {
        expect(withoutPositions(reparsed)).toEqual(withoutPositions(tree));
      } catch {
        failures.push(`${c.file}:${c.line} different tree after printing: ${c.expr} -> ${printed}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("gives every node a position range inside its parent's", () => {
    for (const c of evals) expectPositionsNested(parseExpr(c.expr), c.expr);
  });
});

describe("Lezer PromQL grammar expression cases", () => {
  const cases = lezerExpressionCases();

  it("covers the file", () => {
    expect(cases.length).toBeGreaterThan(60);
  });

  it("parses what Lezer accepts, round-trips it, and rejects what Lezer marks as an error", () => {
    const failures: string[] = [];
    for (const c of cases) {
      let tree: Expr | null = null;
      try {
        tree = parseExpr(c.input);
      } catch (err) {
        if (!c.lezerError) failures.push(`${c.title}: ${c.input}: ${(err as Error).message}`);
        continue;
      }
      if (c.lezerError) {
        failures.push(`${c.title}: accepted ${c.input}`);
        continue;
      }
      const printed = formatExpr(tree);
      expect(withoutPositions(parseExpr(printed)), c.title).toEqual(withoutPositions(tree));
    }
    expect(failures).toEqual([]);
  });
});
