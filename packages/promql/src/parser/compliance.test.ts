import { readFileSync } from "node:fs";
import { testdataPath } from "@edgeprom/testdata";
import { describe, expect, it } from "vitest";
import { parseExpr } from "./parser";
import { formatExpr } from "./printer";
import { withoutPositions } from "./test-helpers";

// The PromQL compliance tester's queries (prometheus/compliance promql-test-queries.yml). Templates such as
// `{{.simpleAggrOp}}` are filled by the tester's Go code, which is not in the test data; the values below are the
// operators and functions each placeholder stands for (ours, chosen to cover every one of them).
const VARIANTS: Record<string, readonly string[]> = {
  offset: ["1m", "5m", "10m"],
  range: ["1s", "15s", "1m", "5m", "15m", "1h"],
  simpleAggrOp: ["sum", "avg", "max", "min", "count", "stddev", "stdvar", "group"],
  topBottomOp: ["topk", "bottomk"],
  quantile: ["-0.5", "0.1", "0.5", "0.75", "0.95", "0.90", "0.99", "1", "1.5"],
  arithBinOp: ["+", "-", "*", "/", "%", "^", "atan2"],
  compBinOp: ["==", "!=", "<", ">", "<=", ">="],
  binOp: ["+", "-", "*", "/", "%", "^", "==", "!=", "<", ">", "<=", ">=", "and", "or", "unless"],
  simpleMathFunc: ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "round", "sgn", "deg", "rad"],
  extrapolatedRateFunc: ["delta", "rate", "increase"],
  instantRateFunc: ["idelta", "irate"],
  clampFunc: ["clamp_min", "clamp_max"],
  dateFunc: ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"],
  // The template appends `_over_time`.
  simpleTimeAggrOp: ["sum", "avg", "max", "min", "count", "stddev", "stdvar", "last", "present", "mad", "first"],
};

interface ComplianceCase {
  template: string;
  variantArgs: string[];
  shouldFail: boolean;
}

function complianceCases(): ComplianceCase[] {
  const lines = readFileSync(testdataPath("compliance", "promql-test-queries.yml"), "utf8").split("\n");
  const cases: ComplianceCase[] = [];
  for (const line of lines) {
    const query = /^\s*- query:\s*(.*)$/.exec(line);
    if (query) {
      const raw = query[1].trim();
      const template = /^'.*'$/.test(raw)
        ? raw.slice(1, -1).replace(/''/g, "'")
        : /^".*"$/.test(raw)
          ? JSON.parse(raw)
          : raw;
      cases.push({ template, variantArgs: [], shouldFail: false });
      continue;
    }
    const current = cases[cases.length - 1];
    const args = /^\s*variant_args:\s*\[(.*)\]/.exec(line);
    if (args && current) current.variantArgs = args[1].split(",").map((a) => a.trim().replace(/^'|'$/g, ""));
    if (/^\s*should_fail:\s*true/.test(line) && current) current.shouldFail = true;
  }
  return cases;
}

/** Every combination of the placeholder values a template uses. */
function expand(template: string, args: readonly string[]): string[] {
  let queries = [template];
  for (const arg of args) {
    const values = VARIANTS[arg];
    if (!values) throw new Error(`no values for placeholder ${arg}`);
    queries = queries.flatMap((q) => values.map((v) => q.replaceAll(`{{.${arg}}}`, v)));
  }
  return queries;
}

/** Queries after expanding the templates: parsed, and rejected by a typing rule. */
const EXPECTED_COUNTS = [570, 21];

describe("PromQL compliance tester queries", () => {
  const cases = complianceCases();

  it("reads the whole file", () => {
    expect(cases.length).toBe(116);
  });

  // Filling `{{.binOp}}` with every operator also yields combinations Prometheus rejects by its typing rules (set
  // operators on scalars, scalar comparisons without bool, grouping on set operators); those must fail the same way.
  const TYPE_RULES = [
    /set operator "(and|or|unless)" not allowed in binary scalar expression$/,
    /comparisons between scalars must use BOOL modifier$/,
    /no grouping allowed for "(and|or|unless)" operation$/,
  ];

  it("parses and round-trips every query that should succeed, or fails it by one of Prometheus's typing rules", () => {
    const failures: string[] = [];
    let parsed = 0;
    let rejectedByTypeRules = 0;
    for (const c of cases.filter((c) => !c.shouldFail)) {
      for (const query of expand(c.template, c.variantArgs)) {
        try {
          const tree = parseExpr(query);
          expect(withoutPositions(parseExpr(formatExpr(tree)))).toEqual(withoutPositions(tree));
          parsed++;
        } catch (err) {
          const message = (err as Error).message;
          if (TYPE_RULES.some((rule) => rule.test(message))) rejectedByTypeRules++;
          else failures.push(`${query}: ${message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect([parsed, rejectedByTypeRules]).toEqual(EXPECTED_COUNTS);
  });

  it("rejects at parse time the one failing query that is a syntax matter, and parses the engine failures", () => {
    const failing = cases.filter((c) => c.shouldFail).map((c) => c.template);
    expect(failing).toHaveLength(5);
    expect(() => parseExpr('{__name__=~".*"}')).toThrow("vector selector must contain at least one non-empty matcher");
    // label_replace/label_join with a bad regex or label name fail when evaluated, as in Prometheus.
    for (const query of failing.filter((q) => q.startsWith("label_"))) expect(() => parseExpr(query)).not.toThrow();
  });
});
