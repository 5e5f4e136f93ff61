import type { Context } from "hono";
import { successBody } from "@edgeprom/http";
import type { Engine } from "@edgeprom/promql";
import type { MergedStats } from "@edgeprom/tsdb";
import { parseLimitParam, RequestParams } from "./params";

/** When this isolate started: what `/api/v1/status/runtimeinfo` can honestly say about a serverless process. */
const STARTED_AT = new Date().toISOString();

/** `GET /api/v1/status/tsdb`: cardinality statistics merged over every shard, in Prometheus's shape. */
export async function tsdbStatusHandler(c: Context, stats: (limit: number) => Promise<MergedStats>): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  const limit = parseLimitParam("limit", params.get("limit")) || 10;
  const merged = await stats(limit);
  return c.json(
    successBody({
      headStats: merged.headStats,
      seriesCountByMetricName: merged.seriesCountByMetricName,
      labelValueCountByLabelName: merged.labelValueCountByLabelName,
      memoryInBytesByLabelName: merged.memoryInBytesByLabelName,
      seriesCountByLabelValuePair: merged.seriesCountByLabelValuePair,
    }),
  );
}

/** `GET /api/v1/status/flags`: Prometheus's flag names for the settings edgeprom has. */
export function flagsHandler(c: Context, engine: Engine, env: Env): Response {
  return c.json(
    successBody({
      "query.lookback-delta": formatDuration(engine.lookbackDelta),
      "query.max-samples": String(engine.maxSamples),
      "query.timeout": formatDuration(engine.timeout),
      "enable-feature": engine.enableExperimentalFunctions ? "promql-experimental-functions" : "",
      "storage.tsdb.shards": env.EDGEPROM_SHARDS,
      "web.enable-remote-write-receiver": "true",
      "web.enable-otlp-receiver": "true",
      "web.enable-admin-api": "true",
    }),
  );
}

/** `GET /api/v1/status/runtimeinfo`: this isolate's start and the scraper's configuration state. */
export async function runtimeInfoHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  const config = await c.env.SCRAPER.get(c.env.SCRAPER.idFromName("default")).configStatus();
  return c.json(
    successBody({
      startTime: STARTED_AT,
      CWD: "/",
      reloadConfigSuccess: config.reloadConfigSuccess,
      lastConfigTime: config.lastConfigTime > 0 ? new Date(config.lastConfigTime).toISOString() : STARTED_AT,
      corruptionCount: 0,
      goroutineCount: 0,
      GOMAXPROCS: 1,
      GOMEMLIMIT: 128 * 1024 * 1024,
      GOGC: "",
      GODEBUG: "",
      storageRetention: "15d",
    }),
  );
}

/** Milliseconds as a Prometheus duration (`5m`, `1h30m`, `90s`, `250ms`). */
function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  const units: [string, number][] = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ];
  let rest = ms;
  let out = "";
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
