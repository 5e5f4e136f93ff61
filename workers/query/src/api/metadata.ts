import type { Context } from "hono";
import { ApiError, successBody, unescapeUtf8LabelName } from "@edgeprom/http";
import { parseMetricSelector, type LabelMatcher } from "@edgeprom/promql";
import type { MetadataQuery, QueryBackend } from "@edgeprom/querier";
import { jsonResponse } from "./json-response";
import { MAX_TIME_MS, MIN_TIME_MS, parseLimitParam, parseTimeParam, RequestParams } from "./params";

/** `GET|POST /api/v1/series` */
export async function seriesHandler(c: Context, backend: QueryBackend): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  if (params.all("match[]").length === 0) throw new ApiError("bad_data", "no match[] parameter provided");
  const query = metadataQuery(params);
  const series = await backend.series(limitPlusOne(query));
  const { items, warnings } = truncate(series, query.limit);
  const data = items.map((labels) => Object.fromEntries(labels.map((l) => [l.name, l.value])));
  return jsonResponse(c.req.raw, JSON.stringify(successBody(data, { warnings })));
}

/** `GET|POST /api/v1/labels` */
export async function labelNamesHandler(c: Context, backend: QueryBackend): Promise<Response> {
  const query = metadataQuery(await RequestParams.from(c.req.raw));
  const { items, warnings } = truncate(await backend.labelNames(limitPlusOne(query)), query.limit);
  return jsonResponse(c.req.raw, JSON.stringify(successBody(items, { warnings })));
}

/** `GET /api/v1/label/<name>/values` */
export async function labelValuesHandler(c: Context, backend: QueryBackend, rawName: string): Promise<Response> {
  const name = unescapeUtf8LabelName(rawName);
  if (name === "" || !isValidUtf8LabelName(name)) throw new ApiError("bad_data", `invalid label name: "${rawName}"`);
  const query = metadataQuery(await RequestParams.from(c.req.raw));
  const { items, warnings } = truncate(await backend.labelValues(name, limitPlusOne(query)), query.limit);
  return jsonResponse(c.req.raw, JSON.stringify(successBody(items, { warnings })));
}

function isValidUtf8LabelName(name: string): boolean {
  return !/[\uD800-\uDFFF]/.test(name.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""));
}

/** `match[]`, `start`, `end` and `limit`, with Prometheus's defaults (all time, no limit). */
export function metadataQuery(params: RequestParams): MetadataQuery {
  const startText = params.get("start");
  const endText = params.get("end");
  const start = startText ? parseTimeParam("start", startText) : MIN_TIME_MS;
  const end = endText ? parseTimeParam("end", endText) : MAX_TIME_MS;
  if (end < start)
    throw new ApiError("bad_data", `invalid parameter "end": end timestamp must not be before start time`);
  return {
    selectors: params.all("match[]").map(parseSeriesSelector),
    start,
    end,
    limit: parseLimitParam("limit", params.get("limit")),
  };
}

/** A `match[]` value must be a plain series selector (Prometheus's `ParseMetricSelector`). */
export function parseSeriesSelector(text: string): LabelMatcher[] {
  try {
    return parseMetricSelector(text);
  } catch (err) {
    throw new ApiError("bad_data", `invalid parameter "match[]": ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Asks storage for one item more than the limit, so the answer can say whether it was truncated. */
function limitPlusOne(query: MetadataQuery): MetadataQuery {
  return query.limit > 0 ? { ...query, limit: query.limit + 1 } : query;
}

function truncate<T>(items: T[], limit: number): { items: T[]; warnings: string[] } {
  if (limit > 0 && items.length > limit)
    return { items: items.slice(0, limit), warnings: ["results truncated due to limit"] };
  return { items, warnings: [] };
}
