import type { Benchmark } from "../../../../bench/report";
import { parseExpr } from "./parser";
import { formatExpr } from "./printer";
import { upstreamEvalCases } from "./test-helpers";

// Parser and printer throughput (Node, one core) over every eval expression of the upstream promqltest files
// (2214 queries, 40-ish characters on average). A query is parsed once per evaluation and once per rule
// evaluation, so the target is only that parsing stays far below a millisecond per query.

function bestRate(units: number, minMs: number, fn: () => void): number {
  let best = 0;
  const until = performance.now() + minMs;
  do {
    const start = performance.now();
    fn();
    const seconds = (performance.now() - start) / 1000;
    best = Math.max(best, units / seconds);
  } while (performance.now() < until);
  return best;
}

const bench: Benchmark = async (report) => {
  const queries = upstreamEvalCases().map((c) => c.expr);
  const chars = queries.reduce((n, q) => n + q.length, 0);
  const trees = queries.map((q) => parseExpr(q));

  const parseRate = bestRate(queries.length, 2000, () => {
    for (const q of queries) parseExpr(q);
  });
  report(
    {
      bench: "promql-parser",
      metric: "parse_queries_per_s",
      value: Math.round(parseRate),
      unit: "queries/s",
      baseline: null,
    },
    `${queries.length} queries, ${(chars / queries.length).toFixed(1)} characters on average`,
  );
  report({
    bench: "promql-parser",
    metric: "parse_mb_per_s",
    value: Number(((parseRate * chars) / queries.length / 1e6).toFixed(2)),
    unit: "MB/s",
    baseline: null,
  });
  const printRate = bestRate(trees.length, 1000, () => {
    for (const t of trees) formatExpr(t);
  });
  report({
    bench: "promql-parser",
    metric: "print_queries_per_s",
    value: Math.round(printRate),
    unit: "queries/s",
    baseline: null,
  });
};

export default bench;
