import { describe, expect, it } from "vitest";
import type { VectorSelector } from "./ast";
import { parseExpr } from "./parser";
import { formatDuration } from "../duration";
import { formatFloat } from "../format";
import { formatExpr, quoteString } from "./printer";
import { withoutPositions } from "./test-helpers";

describe("canonical printing", () => {
  it.each([
    [`SUM BY (group) (http_requests{job="api-server"})`, `sum by (group) (http_requests{job="api-server"})`],
    ["sum(rate(x[5m])) by (job,)", "sum by (job) (rate(x[5m]))"],
    ["sum without(a)(x)", "sum without (a) (x)"],
    ["sum by () (x)", "sum(x)"],
    ["topk(3, x)", "topk(3, x)"],
    [`count_values('v', x)`, `count_values("v", x)`],
    [`foo{b="2",a=~"1"}`, `foo{a=~"1",b="2"}`],
    [`{__name__="foo",a="b"}`, `{__name__="foo",a="b"}`],
    [`{"my.metric", "a.b"="c", d="e"}`, `{"a.b"="c",__name__="my.metric",d="e"}`],
    [`{"ok_name"}`, `{__name__="ok_name"}`],
    ["x offset 1h30m", "x offset 1h30m"],
    ["x offset -90s", "x offset -1m30s"],
    ["x offset 5400", "x offset 1h30m"],
    ["x[1800] @ 100", "x[30m] @ 100.000"],
    ["x[5m] offset 1m @ 1.5", "x[5m] @ 1.500 offset 1m"],
    ["x @ start() offset 1d", "x @ start() offset 1d"],
    ["x[90d]", "x[90d]"],
    ["x[14d]", "x[2w]"],
    ["x[365d]", "x[1y]"],
    ["rate(x[5m])[30m:]", "rate(x[5m])[30m:]"],
    ["rate(x[5m])[30m:1m] @ end() offset 1m", "rate(x[5m])[30m:1m] @ end() offset 1m"],
    ["rate(x[26m+4m])", "rate(x[26m + 4m])"],
    ["x[(9m30s+30s)*3]", "x[(9m30s + 30s) * 3]"],
    ["x offset (1h/2)", "x offset (1h / 2)"],
    ["x offset -(step()*2)", "x offset -(step() * 2)"],
    ["x offset min_of(step(), 1s) + 8000", "x offset min_of(step(), 1s) + 8000"],
    ["x[range()]", "x[range()]"],
    ["increase(x[1m] anchored)", "increase(x[1m] anchored)"],
    ["x @ 100 smoothed", "x @ 100.000 smoothed"],
    ["a>bool on(b,c)group_left(d)e", "a > bool on (b, c) group_left (d) e"],
    ["a * ignoring(b) group_right c", "a * ignoring (b) group_right () c"],
    ["a * on() b", "a * on () b"],
    ["a + fill(0) b", "a + fill(0) b"],
    ["a + fill_left(5) fill_right(-Inf) b", "a + fill_left(5) fill_right(-Inf) b"],
    ["a + fill_left(1) fill_right(1) b", "a + fill(1) b"],
    ["a AND b OR c UNLESS d", "a and b or c unless d"],
    ["a atan2 b", "a atan2 b"],
    ["a </ 2", "a </ 2"],
    ["-x", "-x"],
    ["-(1 + 2)", "-(1 + 2)"],
    ["- 1", "-1"],
    ["1e-7", "0.0000001"],
    ["1e21", "1000000000000000000000"],
    ["0x10", "16"],
    ["Inf", "+Inf"],
    ["-inf", "-Inf"],
    ["nan", "NaN"],
    ["5m", "5m"],
    ["-5m", "-5m"],
    ["time() - 1h30m", "time() - 1h30m"],
    [`'single'`, `"single"`],
    ["`raw\\n`", `"raw\\\\n"`],
    [`"tab\\there"`, `"tab\\there"`],
    [`"a\\xc5z"`, `"a\\xc5z"`],
    [`label_replace(x, "dst", "$1", "src", "(.*)")`, `label_replace(x, "dst", "$1", "src", "(.*)")`],
    ["(((x)))", "(((x)))"],
  ])("%s", (query, printed) => {
    const tree = parseExpr(query);
    expect(formatExpr(tree)).toBe(printed);
    expect(withoutPositions(parseExpr(printed))).toEqual(withoutPositions(tree));
  });

  it("quotes metric names the parser would otherwise read differently", () => {
    const vs: VectorSelector = {
      type: "VectorSelector",
      name: "Inf",
      matchers: [{ type: "=", name: "__name__", value: "Inf" }],
      offset: 0,
      offsetExpr: null,
      at: null,
      anchored: false,
      smoothed: false,
      pos: { start: 0, end: 0 },
    };
    expect(formatExpr(vs)).toBe(`{"Inf"}`);
    expect((parseExpr(formatExpr(vs)) as VectorSelector).matchers).toEqual(vs.matchers);
  });

  it("prints @ timestamps of the @-rewrite the test runner does", () => {
    const tree = parseExpr("sum(rate(x[5m])) + y offset 1m");
    const at = (e: unknown): void => {
      if (e && typeof e === "object") {
        const node = e as { type?: string; at?: unknown };
        if (node.type === "VectorSelector" && node.at === null) node.at = 50 * 60_000;
        for (const v of Object.values(e)) at(v);
      }
    };
    at(tree);
    expect(formatExpr(tree)).toBe("sum(rate(x[5m] @ 3000.000)) + y @ 3000.000 offset 1m");
  });
});

describe("formatting helpers", () => {
  it("formats durations like Prometheus's model.Duration", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(1)).toBe("1ms");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(86_400_000 * 8)).toBe("8d");
    expect(formatDuration(86_400_000 * 7 + 1000)).toBe("7d1s");
    expect(formatDuration(3_723_004)).toBe("1h2m3s4ms");
  });

  it("formats floats like Go's FormatFloat(v, 'f', -1, 64)", () => {
    expect(formatFloat(0.1)).toBe("0.1");
    expect(formatFloat(-0)).toBe("-0");
    expect(formatFloat(1.5e-10)).toBe("0.00000000015");
    expect(formatFloat(-2.5e22)).toBe("-25000000000000000000000");
    expect(formatFloat(123456789)).toBe("123456789");
  });

  it("quotes strings like Go's strconv.Quote", () => {
    expect(quoteString(`a"b\\c`)).toBe(`"a\\"b\\\\c"`);
    expect(quoteString("\u0001\u007f\u0085é😀")).toBe(`"\\x01\\x7f\\u0085é😀"`);
  });
});
