import type { Context } from "hono";
import { ApiError, successBody } from "@edgeprom/http";
import { astToJson, parseExpr, prettyExpr, type Engine, type Expr, type QueryResult } from "@edgeprom/promql";
import type { QueryBackend } from "@edgeprom/querier";
import { encodeQueryData } from "./encode";
import { jsonResponse } from "./json-response";
import { parseDurationParam, parseLimitParam, parseTimeParam, RequestParams } from "./params";

/** Prometheus refuses range queries that would return more points than this per series. */
const MAX_POINTS_PER_SERIES = 11_000;

export interface QueryApiOptions {
  engine: Engine;
  backend: (c: Context) => QueryBackend;
  /** The clock, for the default evaluation time. */
  now?: () => number;
}

/** `GET|POST /api/v1/query` */
export async function instantQueryHandler(c: Context, options: QueryApiOptions): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  const query = params.get("query") ?? "";
  parseQueryParam(query, options.engine);
  const time = params.get("time");
  const at = time === undefined || time === "" ? (options.now ?? Date.now)() : parseTimeParam("time", time);
  const limit = parseLimitParam("limit", params.get("limit"));
  const run = queryRunOptions(params, options.engine);
  const started = performance.now();
  const result = await withTimeout(run.timeout, (signal) =>
    options.engine.instantQuery(options.backend(c).queryable, query, at, { signal, lookbackDelta: run.lookbackDelta }),
  );
  const warnings = [...result.warnings];
  if (limit > 0 && result.value.type === "vector" && result.value.samples.length > limit) {
    result.value.samples.length = limit;
    warnings.push("results truncated due to limit");
  }
  return queryResponse(c, result, warnings, params, started);
}

/** `GET|POST /api/v1/query_range` */
export async function rangeQueryHandler(c: Context, options: QueryApiOptions): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  const query = params.get("query") ?? "";
  parseQueryParam(query, options.engine);
  const start = parseTimeParam("start", params.get("start") ?? "");
  const end = parseTimeParam("end", params.get("end") ?? "");
  if (end < start)
    throw new ApiError("bad_data", `invalid parameter "end": end timestamp must not be before start time`);
  const step = parseDurationParam("step", params.get("step") ?? "");
  if (step <= 0) {
    throw new ApiError(
      "bad_data",
      `invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer`,
    );
  }
  if ((end - start) / step > MAX_POINTS_PER_SERIES) {
    throw new ApiError(
      "bad_data",
      "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
    );
  }
  const limit = parseLimitParam("limit", params.get("limit"));
  const run = queryRunOptions(params, options.engine);
  const started = performance.now();
  const result = await withTimeout(run.timeout, (signal) =>
    options.engine.rangeQuery(options.backend(c).queryable, query, start, end, step, {
      signal,
      lookbackDelta: run.lookbackDelta,
    }),
  );
  const warnings = [...result.warnings];
  if (limit > 0 && result.value.type === "matrix" && result.value.series.length > limit) {
    result.value.series.length = limit;
    warnings.push("results truncated due to limit");
  }
  return queryResponse(c, result, warnings, params, started);
}

const permissiveParser = { parse: (q: string) => parseExpr(q, { experimentalFunctions: true }) };

/** `GET|POST /api/v1/format_query`: the expression pretty-printed as Prometheus's `Prettify` does. */
export async function formatQueryHandler(c: Context): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  return c.json(successBody(prettyExpr(parseQueryParam(params.get("query") ?? "", permissiveParser))));
}

/** `GET|POST /api/v1/parse_query`: the syntax tree as JSON, as the Prometheus UI's tree view reads it. */
export async function parseQueryHandler(c: Context): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  return c.json(successBody(astToJson(parseQueryParam(params.get("query") ?? "", permissiveParser))));
}

/** Parse errors answer as Prometheus's do: `invalid parameter "query": 1:5: parse error: ...`. */
export function parseQueryParam(query: string, parser: Pick<Engine, "parse">): Expr {
  try {
    return parser.parse(query);
  } catch (err) {
    throw new ApiError("bad_data", `invalid parameter "query": ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

function queryRunOptions(
  params: RequestParams,
  engine: Engine,
): { timeout: number; lookbackDelta: number | undefined } {
  const timeoutText = params.get("timeout");
  const requested = timeoutText ? parseDurationParam("timeout", timeoutText) : engine.timeout;
  const lookbackText = params.get("lookback_delta");
  const lookbackDelta = lookbackText ? parseDurationParam("lookback_delta", lookbackText) : undefined;
  if (lookbackDelta !== undefined && lookbackDelta <= 0) {
    throw new ApiError("bad_data", `invalid parameter "lookback_delta": must be positive`);
  }
  return { timeout: Math.min(requested, engine.timeout), lookbackDelta };
}

/** Runs `fn` with a signal that aborts after `ms`, so a slow query cannot hold a Worker past its budget. */
async function withTimeout<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

function queryResponse(
  c: Context,
  result: QueryResult,
  warnings: string[],
  params: RequestParams,
  started: number,
): Response {
  const stats = params.get("stats");
  const extra =
    stats !== undefined && stats !== ""
      ? { stats: { timings: { evalTotalTime: (performance.now() - started) / 1000 } } }
      : undefined;
  let body = `{"status":"success","data":${encodeQueryData(result.value, extra)}`;
  if (warnings.length > 0) body += `,"warnings":${JSON.stringify(warnings)}`;
  if (result.infos.length > 0) body += `,"infos":${JSON.stringify(result.infos)}`;
  return jsonResponse(c.req.raw, body + "}");
}
