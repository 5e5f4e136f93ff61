import { describe, expect, it } from "vitest";
import {
  valueTypeOf,
  type AggregateExpr,
  type BinaryExpr,
  type Call,
  type Expr,
  type MatrixSelector,
  type NumberLiteral,
  type StringLiteral,
  type SubqueryExpr,
  type VectorSelector,
} from "./ast";
import { evaluateDuration } from "./duration";
import { ParseErrors } from "./errors";
import { parseExpr, parseMetricSelector } from "./parser";
import { formatExpr } from "./printer";
import { durationGrouping, grouping } from "./test-helpers";

function parseAs<T extends Expr>(query: string, type: T["type"]): T {
  const expr = parseExpr(query);
  expect(expr.type).toBe(type);
  return expr as T;
}

function parseError(query: string, options = {}): ParseErrors {
  try {
    parseExpr(query, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ParseErrors);
    return err as ParseErrors;
  }
  throw new Error(`expected ${JSON.stringify(query)} not to parse`);
}

describe("number literals", () => {
  it.each([
    ["1", 1],
    ["1.5", 1.5],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1.5E-3", 0.0015],
    ["0x1f", 31],
    ["0X_53_AB", 0x53ab],
    ["010", 8],
    ["09", 9],
    ["1_000_000", 1e6],
    [".123_456", 0.123456],
    ["Inf", Infinity],
    ["+inf", Infinity],
    ["-Inf", -Infinity],
    ["-2.43", -2.43],
  ])("%s is %d", (text, value) => {
    const lit = parseAs<NumberLiteral>(text, "NumberLiteral");
    expect(lit.value).toBe(value);
    expect(lit.duration).toBe(false);
    expect(lit.pos).toEqual({ start: 0, end: text.length });
  });

  it("reads NaN in any case", () => {
    expect(parseAs<NumberLiteral>("nAn", "NumberLiteral").value).toBeNaN();
  });

  it("reads durations as numbers of seconds", () => {
    for (const [text, seconds] of [
      ["5m", 300],
      ["1h30m", 5400],
      ["12h34m56s", 45296],
      ["54s321ms", 54.321],
      ["1ms", 0.001],
      ["1y", 365 * 86400],
      ["2w", 14 * 86400],
      ["-2h", -7200],
    ] as const) {
      const lit = parseAs<NumberLiteral>(text, "NumberLiteral");
      expect(lit.value, text).toBeCloseTo(seconds, 9);
      expect(lit.duration).toBe(true);
    }
  });

  it("rejects units on hex and fractional numbers and units out of order", () => {
    for (const text of ["0xABm", "1.5h", "1m1h", "5mm", "1s1s"]) {
      expect(parseError(text).message, text).toMatch(/^1:1: parse error: bad number or duration syntax/);
    }
  });
});

describe("string literals", () => {
  it.each([
    [`"a\\tb\\n"`, "a\tb\n"],
    [`'it\\'s'`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
    ['`raw \\n "x"`', 'raw \\n "x"'],
    [`"\\u00e9\\U0001F600\\x41\\101"`, "é😀AA"],
    [`"\\xc3\\xa9"`, "é"],
  ])("%s", (text, value) => {
    expect(parseAs<StringLiteral>(text, "StringLiteral").value).toBe(value);
  });

  it("keeps bytes that are not UTF-8 as lone surrogates", () => {
    expect(parseAs<StringLiteral>(`"a\\xc5z"`, "StringLiteral").value).toBe("a\udcc5z");
  });

  it("keeps newlines inside backticks and refuses them in quotes", () => {
    expect(parseAs<StringLiteral>("`a\nb`", "StringLiteral").value).toBe("a\nb");
    expect(parseError('"a\nb"').message).toBe("1:1: parse error: unterminated quoted string");
  });
});

describe("vector selectors", () => {
  it("keeps matchers in order and appends the name matcher", () => {
    const vs = parseAs<VectorSelector>(`foo{a="1", b!="2", c=~"3", d!~"4",}`, "VectorSelector");
    expect(vs.name).toBe("foo");
    expect(vs.matchers).toEqual([
      { type: "=", name: "a", value: "1" },
      { type: "!=", name: "b", value: "2" },
      { type: "=~", name: "c", value: "3" },
      { type: "!~", name: "d", value: "4" },
      { type: "=", name: "__name__", value: "foo" },
    ]);
    expect(vs.offset).toBe(0);
    expect(vs.at).toBeNull();
  });

  it("reads quoted UTF-8 metric and label names (a name inside the braces is only a matcher)", () => {
    const vs = parseAs<VectorSelector>(`{"my.metric", "a.b"="c"}`, "VectorSelector");
    expect(vs.name).toBeNull();
    expect(vs.matchers).toEqual([
      { type: "=", name: "__name__", value: "my.metric" },
      { type: "=", name: "a.b", value: "c" },
    ]);
  });

  it("accepts the metric name twice inside the braces, but not inside and outside", () => {
    expect(parseAs<VectorSelector>(`{"bar", __name__="baz"}`, "VectorSelector").matchers).toHaveLength(2);
    expect(() => parseExpr(`foo{__name__="bar"}`)).toThrow('metric name must not be set twice: "foo" or "bar"');
  });

  it("accepts keywords as label names and a selector without a name", () => {
    const vs = parseAs<VectorSelector>(`{on="x", by="y", offset="z"}`, "VectorSelector");
    expect(vs.name).toBeNull();
    expect(vs.matchers.map((m) => m.name)).toEqual(["on", "by", "offset"]);
  });

  it("reads an aggregation name without parentheses as a metric name", () => {
    const expr = parseAs<BinaryExpr>("foo * sum", "BinaryExpr");
    expect((expr.rhs as VectorSelector).name).toBe("sum");
  });

  it("reads offset, negative offset and @ in either order", () => {
    const a = parseAs<VectorSelector>("x offset 5m @ 100.5", "VectorSelector");
    expect([a.offset, a.at]).toEqual([300_000, 100_500]);
    const b = parseAs<VectorSelector>("x @ -1 offset -1h30m", "VectorSelector");
    expect([b.offset, b.at]).toEqual([-5_400_000, -1000]);
    expect(parseAs<VectorSelector>("x @ start()", "VectorSelector").at).toBe("start");
    expect(parseAs<VectorSelector>("x @ end()", "VectorSelector").at).toBe("end");
    expect(b.pos).toEqual({ start: 0, end: "x @ -1 offset -1h30m".length });
  });

  it("reads anchored and smoothed on instant and range selectors", () => {
    expect(parseAs<VectorSelector>("metric @ 100 smoothed", "VectorSelector").smoothed).toBe(true);
    const call = parseAs<Call>("increase(metric[1m] anchored)", "Call");
    const ms = call.args[0] as MatrixSelector;
    expect(ms.vectorSelector.anchored).toBe(true);
    expect(ms.vectorSelector.smoothed).toBe(false);
  });
});

describe("range selectors and subqueries", () => {
  it("puts offset and @ of a range selector on its vector selector", () => {
    const ms = parseAs<MatrixSelector>("x[5m] @ 1 offset 1m", "MatrixSelector");
    expect(ms.range).toBe(300_000);
    expect(ms.rangeExpr).toBeNull();
    expect([ms.vectorSelector.at, ms.vectorSelector.offset]).toEqual([1000, 60_000]);
    expect(ms.pos).toEqual({ start: 0, end: 19 });
  });

  it("reads a bare number as seconds", () => {
    expect(parseAs<MatrixSelector>("x[1800]", "MatrixSelector").range).toBe(1_800_000);
  });

  it("reads subqueries with and without a step", () => {
    const a = parseAs<SubqueryExpr>("rate(x[5m])[30m:1m] offset 2m", "SubqueryExpr");
    expect([a.range, a.step, a.offset]).toEqual([1_800_000, 60_000, 120_000]);
    const b = parseAs<SubqueryExpr>("(x)[5m:]", "SubqueryExpr");
    expect([b.range, b.step, b.stepExpr]).toEqual([300_000, 0, null]);
    expect(b.expr.type).toBe("ParenExpr");
  });
});

describe("duration expressions", () => {
  it("folds constant arithmetic and keeps the expression", () => {
    const ms = parseAs<MatrixSelector>("x[2m * (10 + 5)]", "MatrixSelector");
    expect(ms.range).toBe(1_800_000);
    expect(durationGrouping(ms.rangeExpr!)).toBe("(120s * (10s + 5s))");
  });

  it("treats a parenthesised or signed literal as a literal", () => {
    expect(parseAs<MatrixSelector>("x[(5m)]", "MatrixSelector").rangeExpr).toBeNull();
    expect(parseAs<VectorSelector>("x offset -(5m)", "VectorSelector").offsetExpr).not.toBeNull();
  });

  it("leaves step() and range() to the engine", () => {
    const ms = parseAs<MatrixSelector>("x[1+(STep()-5)*2]", "MatrixSelector");
    expect(ms.range).toBe(0);
    expect(evaluateDuration(ms.rangeExpr!, { stepMs: 10_000, rangeMs: 0 })).toBe(11_000);
    const sq = parseAs<SubqueryExpr>("x[range():max_of(step(), 5s)]", "SubqueryExpr");
    expect(evaluateDuration(sq.rangeExpr!, { stepMs: 1000, rangeMs: 60_000 })).toBe(60_000);
    expect(evaluateDuration(sq.stepExpr!, { stepMs: 1000, rangeMs: 60_000 })).toBe(5000);
  });

  it("computes % as the truncated remainder", () => {
    const ms = parseAs<MatrixSelector>("x[30m1s-30m1s % 1m]", "MatrixSelector");
    expect(ms.range).toBe(1_800_000);
  });

  it("binds an offset to a single (signed) term, so following operators apply to the selector", () => {
    expect(grouping(parseExpr("x offset 100 + 2"))).toBe("(x offset 100000ms + 2)");
    expect(grouping(parseExpr("x offset -2 ^ 2"))).toBe("(x offset -2000ms ^ 2)");
    expect(grouping(parseExpr("x offset (-2 ^ 2)"))).toBe("x offset (-(2s ^ 2s))");
    expect(grouping(parseExpr("x offset -step()*2"))).toBe("(x offset (-step()) * 2)");
    expect(grouping(parseExpr("x offset -min_of(step(), 1s)^0"))).toBe("(x offset (-min_of(step(), 1s)) ^ 0)");
    const vs = parseAs<VectorSelector>("x offset (1h / 2)", "VectorSelector");
    expect(vs.offset).toBe(1_800_000);
  });
});

describe("operator precedence and associativity", () => {
  it.each([
    ["1 + 2 * 3", "(1 + (2 * 3))"],
    ["1 * 2 + 3", "((1 * 2) + 3)"],
    ["2 * 3 % 2", "((2 * 3) % 2)"],
    ["2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"],
    ["1 - 2 - 3", "((1 - 2) - 3)"],
    ["-2 ^ 2", "(-(2 ^ 2))"],
    ["-a * b", "((-a) * b)"],
    ["-a + b", "((-a) + b)"],
    ["2 * -a ^ 2", "(2 * (-(a ^ 2)))"],
    ["2 ^ -1", "(2 ^ -1)"],
    ["a or b and c", "(a or (b and c))"],
    ["a and b unless c", "((a and b) unless c)"],
    ["a or b or c", "((a or b) or c)"],
    ["a == b + c", "(a == (b + c))"],
    ["a > b == c", "((a > b) == c)"],
    ["a + b offset 5m", "(a + b offset 300000ms)"],
    ["a atan2 b * c", "((a atan2 b) * c)"],
    ["a </ 2 + 1", "((a </ 2) + 1)"],
    ["a >/ b * c", "((a >/ b) * c)"],
    ["a AND b OR c", "((a and b) or c)"],
    ["(1 + 2) * 3", "((1 + 2) * 3)"],
    ["--1", "1"],
    ["-(1)", "(-1)"],
  ])("%s", (query, expected) => {
    expect(grouping(parseExpr(query))).toBe(expected);
  });

  it("folds a sign into a number literal and extends its position", () => {
    const lit = parseAs<NumberLiteral>("- 1", "NumberLiteral");
    expect(lit.value).toBe(-1);
    expect(lit.pos).toEqual({ start: 0, end: 3 });
  });
});

describe("binary operator modifiers", () => {
  it("reads bool, on, group_left with labels", () => {
    const b = parseAs<BinaryExpr>("a > bool on(x, y) group_left(z) b", "BinaryExpr");
    expect(b.returnBool).toBe(true);
    expect(b.vectorMatching).toEqual({
      card: "many-to-one",
      matchingLabels: ["x", "y"],
      on: true,
      include: ["z"],
      fill: { lhs: null, rhs: null },
    });
  });

  it("reads ignoring and group_right without labels", () => {
    const b = parseAs<BinaryExpr>("a / IGNORING(x) GROUP_RIGHT b", "BinaryExpr");
    expect(b.vectorMatching).toMatchObject({ card: "one-to-many", matchingLabels: ["x"], on: false, include: [] });
  });

  it("makes set operations many-to-many and drops matching for scalar operands", () => {
    expect(parseAs<BinaryExpr>("a and on(x) b", "BinaryExpr").vectorMatching?.card).toBe("many-to-many");
    expect(parseAs<BinaryExpr>("a + 1", "BinaryExpr").vectorMatching).toBeNull();
    expect(parseAs<BinaryExpr>("1 + 1", "BinaryExpr").vectorMatching).toBeNull();
  });

  it("reads fill modifiers after the matching modifiers", () => {
    const fill = (q: string) => parseAs<BinaryExpr>(q, "BinaryExpr").vectorMatching?.fill;
    expect(fill("a + fill(0) b")).toEqual({ lhs: 0, rhs: 0 });
    expect(fill("a + fill_left(5) fill_right(7) b")).toEqual({ lhs: 5, rhs: 7 });
    expect(fill("a + fill_right(-Inf) b")).toEqual({ lhs: null, rhs: -Infinity });
    expect(fill("a == bool on(x) group_left fill_left(1) b")).toEqual({ lhs: 1, rhs: null });
    expect(fill("a + fill(NaN) b")?.lhs).toBeNaN();
  });
});

describe("aggregations", () => {
  it("reads the grouping before or after the arguments", () => {
    const a = parseAs<AggregateExpr>("sum by (job, instance) (x)", "AggregateExpr");
    const b = parseAs<AggregateExpr>("SUM(x) BY (job, instance,)", "AggregateExpr");
    expect([a.op, a.grouping, a.without]).toEqual(["sum", ["job", "instance"], false]);
    expect([b.op, b.grouping, b.without]).toEqual(["sum", ["job", "instance"], false]);
    expect(b.pos).toEqual({ start: 0, end: "SUM(x) BY (job, instance,)".length });
    const c = parseAs<AggregateExpr>(`avg without ("a.b", on) (x)`, "AggregateExpr");
    expect([c.grouping, c.without]).toEqual([["a.b", "on"], true]);
  });

  it("reads parameters", () => {
    for (const op of ["topk", "bottomk", "quantile", "limitk", "limit_ratio"]) {
      const agg = parseAs<AggregateExpr>(`${op}(0.5, x)`, "AggregateExpr");
      expect(agg.op).toBe(op);
      expect((agg.param as NumberLiteral).value).toBe(0.5);
      expect((agg.expr as VectorSelector).name).toBe("x");
    }
    const cv = parseAs<AggregateExpr>(`count_values("version", build_info)`, "AggregateExpr");
    expect((cv.param as StringLiteral).value).toBe("version");
    for (const op of ["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"]) {
      expect(parseAs<AggregateExpr>(`${op}(x)`, "AggregateExpr").param).toBeNull();
    }
  });
});

describe("function calls", () => {
  it("attaches the function record", () => {
    const call = parseAs<Call>(`label_join(x, "dst", ",", "a", "b", "c")`, "Call");
    expect(call.func.name).toBe("label_join");
    expect(call.args).toHaveLength(6);
    expect(valueTypeOf(call)).toBe("vector");
    expect(valueTypeOf(parseExpr("scalar(x)"))).toBe("scalar");
    expect(valueTypeOf(parseExpr("time()"))).toBe("scalar");
  });

  it("accepts optional and variadic arguments within their bounds", () => {
    expect(parseAs<Call>("round(x)", "Call").args).toHaveLength(1);
    expect(parseAs<Call>("hour()", "Call").args).toHaveLength(0);
    expect(parseAs<Call>(`sort_by_label(x, "a", "b", "c")`, "Call").args).toHaveLength(4);
    expect(parseAs<Call>(`histogram_quantiles(x, "q", 0.1, 0.2, 0.3)`, "Call").args).toHaveLength(5);
  });

  it("gates experimental functions and aggregations behind an option", () => {
    expect(parseError("mad_over_time(x[5m])", { experimentalFunctions: false }).message).toBe(
      '1:1: parse error: function "mad_over_time" is not enabled',
    );
    expect(parseError("limitk(1, x)", { experimentalFunctions: false }).message).toMatch(
      /limitk\(\) and limit_ratio\(\) are experimental/,
    );
    expect(() => parseExpr("rate(x[5m])", { experimentalFunctions: false })).not.toThrow();
  });
});

describe("value types", () => {
  it.each([
    ["1", "scalar"],
    [`"s"`, "string"],
    ["x", "vector"],
    ["x[5m]", "matrix"],
    ["x[5m:1m]", "matrix"],
    ["(x[5m])", "matrix"],
    ["-x", "vector"],
    ["1 + 2", "scalar"],
    ["1 + x", "vector"],
    ["sum(x)", "vector"],
  ])("%s is %s", (query, type) => {
    expect(valueTypeOf(parseExpr(query))).toBe(type);
  });
});

describe("comments and whitespace", () => {
  it("ignores comments to the end of the line", () => {
    expect(grouping(parseExpr("foo # the first\n  + # the operator\n bar"))).toBe("(foo + bar)");
  });
});

describe("parseMetricSelector (match[] parameters)", () => {
  it("returns the matchers of a selector", () => {
    expect(parseMetricSelector(`up{job="api"}`)).toEqual([
      { type: "=", name: "job", value: "api" },
      { type: "=", name: "__name__", value: "up" },
    ]);
    expect(parseMetricSelector(`{__name__=~"node_.+", "a.b"!="c"}`)).toEqual([
      { type: "=~", name: "__name__", value: "node_.+" },
      { type: "!=", name: "a.b", value: "c" },
    ]);
  });

  it("refuses anything but a selector, and selectors that match everything", () => {
    expect(() => parseMetricSelector("up offset 5m")).toThrow("1:4: parse error: unexpected <offset>");
    expect(() => parseMetricSelector("rate(x[5m])")).toThrow('unexpected "("');
    expect(() => parseMetricSelector("up[5m]")).toThrow('unexpected "["');
    expect(() => parseMetricSelector(`{a=~".*"}`)).toThrow(
      "vector selector must contain at least one non-empty matcher",
    );
    expect(() => parseMetricSelector("")).toThrow("no expression found in input");
  });
});

describe("edge cases Prometheus accepts", () => {
  it.each([
    [`foo:bar{a="bc"}`, `foo:bar{a="bc"}`],
    [`{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}`, `{"a\\\\dos\\\\path"="boo\\\\urns",__name__="foo'bar"}`],
    [`foo{NaN='bc'}`, `foo{NaN="bc"}`],
    [`foo{bar='}'}`, `foo{bar="}"}`],
    [`start{end="foo"}`, `start{end="foo"}`],
    [`end{start="foo"}`, `end{start="foo"}`],
    [`foo unless on(start) bar`, `foo unless on (start) bar`],
    [`sum(sum)`, `sum(sum)`],
    [`a + sum`, `a + sum`],
    [`offset{step="1s"}[5m]`, `offset{step="1s"}[5m]`],
    [`step{offset="1s"}[5m]`, `step{offset="1s"}[5m]`],
    [`anchored{job="test"}`, `anchored{job="test"}`],
    [`sum by (anchored)(some_metric)`, `sum by (anchored) (some_metric)`],
    [
      `sum without(and, by, avg, count, alert, annotations)(some_metric)`,
      `sum without (and, by, avg, count, alert, annotations) (some_metric)`,
    ],
    [`{__name__="bar", __name__="baz"}`, `{__name__="bar",__name__="baz"}`],
    [`foo[4.18] @ 2.345`, `foo[4s180ms] @ 2.345`],
    [`foo @ 3.3335`, `foo @ 3.334`],
    [`foo @ 0xA`, `foo @ 10.000`],
    [`foo[  -  step  (  )  ]`, `foo[-step()]`],
    [`foo offset -1^1`, `foo offset -1s ^ 1`],
    [`some_metric OFFSET 1m [10m:5s]`, `some_metric offset 1m[10m:5s]`],
    [`(foo + bar{nm="val"} @ 1234)[5m:] @ 1603775019`, `(foo + bar{nm="val"} @ 1234.000)[5m:] @ 1603775019.000`],
    [
      `min_over_time(rate(foo{bar="baz"}[2s])[5m:] offset 4m)[4m:3s]`,
      `min_over_time(rate(foo{bar="baz"}[2s])[5m:] offset 4m)[4m:3s]`,
    ],
    [`-0755`, `-493`],
    [`+5.5e-3`, `0.0055`],
  ])("%s", (query, printed) => {
    expect(formatExpr(parseExpr(query))).toBe(printed);
  });
});
