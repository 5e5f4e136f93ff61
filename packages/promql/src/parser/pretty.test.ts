import { describe, expect, it } from "vitest";
import { parseExpr } from "./parser";
import { prettyExpr } from "./pretty";
import { formatExpr } from "./printer";
import { upstreamEvalCases, withoutPositions } from "./test-helpers";

describe("prettyExpr (format_query)", () => {
  it("keeps a query of up to 100 characters on one line", () => {
    const query = "sum by (job) (rate(http_requests_total[5m]))";
    expect(prettyExpr(parseExpr(query))).toBe(formatExpr(parseExpr(query)));
  });

  it("splits a long binary expression around its operator, with the modifiers on the operator line", () => {
    const query =
      'sum by (job) (rate(http_requests_total{job="api-server", handler="/api/v1/query"}[5m])) / on (job) group_left () sum by (job) (rate(http_requests_total[5m]))';
    expect(prettyExpr(parseExpr(query))).toBe(
      [
        '  sum by (job) (rate(http_requests_total{handler="/api/v1/query",job="api-server"}[5m]))',
        "/ on (job) group_left ()",
        "  sum by (job) (rate(http_requests_total[5m]))",
      ].join("\n"),
    );
  });

  it("splits aggregations, calls and parentheses one argument per line, two spaces per level", () => {
    const query =
      'topk(5, sum without (instance) (rate(node_cpu_seconds_total{mode!="idle", job="node-exporter-with-a-long-name"}[5m])))';
    expect(prettyExpr(parseExpr(query))).toBe(
      [
        "topk(",
        "  5,",
        "  sum without (instance) (",
        '    rate(node_cpu_seconds_total{job="node-exporter-with-a-long-name",mode!="idle"}[5m])',
        "  )",
        ")",
      ].join("\n"),
    );
    const call = `label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")`;
    expect(prettyExpr(parseExpr(call), 40)).toBe(
      [
        "label_replace(",
        '  up{job="api-server",service="a:c"},',
        '  "foo",',
        '  "$1",',
        '  "service",',
        '  "(.*):.*"',
        ")",
      ].join("\n"),
    );
  });

  it("prints every upstream eval expression, split at every node, in a form that parses back to the same tree", () => {
    const failures: string[] = [];
    for (const c of upstreamEvalCases()) {
      const tree = parseExpr(c.expr);
      const pretty = prettyExpr(tree, 0);
      try {
        expect(withoutPositions(parseExpr(pretty))).toEqual(withoutPositions(tree));
      } catch (err) {
        failures.push(`${c.file}:${c.line}: ${pretty}: ${(err as Error).message.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
