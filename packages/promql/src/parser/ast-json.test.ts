import { describe, expect, it } from "vitest";
import { astToJson } from "./ast-json";
import { parseExpr } from "./parser";

describe("astToJson (/api/v1/parse_query)", () => {
  it("gives the shape of Prometheus's documented foo/bar example", () => {
    const selector = (name: string) => ({
      type: "vectorSelector",
      name,
      offset: 0,
      matchers: [{ name: "__name__", type: "=", value: name }],
      timestamp: null,
      startOrEnd: null,
      anchored: false,
      smoothed: false,
    });
    expect(astToJson(parseExpr("foo/bar"))).toEqual({
      type: "binaryExpr",
      op: "/",
      lhs: selector("foo"),
      rhs: selector("bar"),
      matching: { card: "one-to-one", labels: [], on: false, include: [], fillValues: { lhs: null, rhs: null } },
      bool: false,
    });
  });

  it("covers every node type", () => {
    const QUERY =
      '-sum by (job) (rate(x{a="b"}[5m] @ 10 offset 1m)) > bool on () group_left (c) ' +
      'max_over_time(topk(3, (y))[30m:1m] @ end()) + label_join(z, "d", ",", "e")';
    const json = astToJson(parseExpr(QUERY));
    expect(JSON.parse(JSON.stringify(json))).toMatchObject({
      type: "binaryExpr",
      op: ">",
      bool: true,
      lhs: {
        type: "unaryExpr",
        op: "-",
        expr: {
          type: "aggregation",
          op: "sum",
          grouping: ["job"],
          without: false,
          param: null,
          expr: {
            type: "call",
            func: { name: "rate", argTypes: ["matrix"], variadic: 0, returnType: "vector" },
            args: [{ type: "matrixSelector", name: "x", range: 300_000, offset: 60_000, timestamp: 10_000 }],
          },
        },
      },
      matching: { card: "many-to-one", labels: [], on: true, include: ["c"] },
      rhs: {
        type: "binaryExpr",
        op: "+",
        matching: { card: "one-to-one" },
        lhs: {
          type: "call",
          args: [
            {
              type: "subquery",
              range: 1_800_000,
              step: 60_000,
              startOrEnd: "end",
              expr: {
                type: "aggregation",
                op: "topk",
                param: { type: "numberLiteral", val: "3" },
                expr: { type: "parenExpr", expr: { type: "vectorSelector", name: "y" } },
              },
            },
          ],
        },
        rhs: { type: "call", args: [{ type: "vectorSelector" }, { type: "stringLiteral", val: "d" }, {}, {}] },
      },
    });
  });
});
