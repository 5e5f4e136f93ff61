import type { Context } from "hono";
import { ApiError, successBody } from "@edgeprom/http";
import type { Expr, LabelMatcher } from "@edgeprom/promql";
import { formatFloat } from "@edgeprom/promql/format";
import { parseQueryParam } from "./query";
import { MAX_TIME_MS, MIN_TIME_MS, parseTimeParam, RequestParams } from "./params";

/** `GET|POST /api/v1/query_exemplars?query=&start=&end=`: exemplars of the series the query's selectors select. */
export async function queryExemplarsHandler(
  c: Context<{ Bindings: Env }>,
  parse: (q: string) => Expr,
): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  const expr = parseQueryParam(params.get("query") ?? "", { parse });
  const startText = params.get("start");
  const endText = params.get("end");
  const start = startText ? parseTimeParam("start", startText) : MIN_TIME_MS;
  const end = endText ? parseTimeParam("end", endText) : MAX_TIME_MS;
  if (end < start)
    throw new ApiError("bad_data", `invalid parameter "end": end timestamp must not be before start time`);
  const selectors = selectorsOf(expr);
  const store = c.env.EXEMPLARS.get(c.env.EXEMPLARS.idFromName("default"));
  const series = selectors.length === 0 ? [] : await store.query(selectors, start, end);
  return c.json(
    successBody(
      series.map((s) => ({
        seriesLabels: Object.fromEntries(s.seriesLabels.map((l) => [l.name, l.value])),
        exemplars: s.exemplars.map((e) => ({
          labels: Object.fromEntries(e.labels.map((l) => [l.name, l.value])),
          value: formatFloat(e.value),
          timestamp: e.timestamp / 1000,
        })),
      })),
    ),
  );
}

/** The matchers of every vector selector in an expression, found by walking the tree. */
export function selectorsOf(expr: Expr): LabelMatcher[][] {
  const out: LabelMatcher[][] = [];
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const record = node as { type?: unknown; matchers?: LabelMatcher[] };
    if (record.type === "VectorSelector" && Array.isArray(record.matchers)) {
      out.push([...record.matchers]);
      return;
    }
    for (const value of Object.values(record)) visit(value);
  };
  visit(expr);
  return out;
}
