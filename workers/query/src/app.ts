import { Hono, type Context } from "hono";
import { ApiError, buildInfo, requireAuth, success } from "@edgeprom/http";
import { Engine } from "@edgeprom/promql";
import { queryExemplarsHandler } from "./api/exemplars";
import { federateHandler } from "./api/federate";
import { metricMetadataHandler } from "./api/metric-metadata";
import { labelNamesHandler, labelValuesHandler, metadataQuery, seriesHandler } from "./api/metadata";
import { RequestParams } from "./api/params";
import { remoteReadHandler } from "./api/remote-read";
import { selfMetricsHandler } from "./api/self-metrics";
import {
  formatQueryHandler,
  instantQueryHandler,
  parseQueryHandler,
  rangeQueryHandler,
  type QueryApiOptions,
} from "./api/query";
import { flagsHandler, runtimeInfoHandler, tsdbStatusHandler } from "./api/status";
import { configHandler, scrapePoolsHandler, targetsHandler, targetsMetadataHandler } from "./api/targets";
import { querierFor, readerFor } from "./storage";

type QueryEnv = { Bindings: Env };

/** Health, status and the Prometheus HTTP API v1 query paths. */
export const queryApp = new Hono<QueryEnv>();

const engines = new Map<string, Engine>();

/** One engine per configuration; the engine itself is stateless between queries. */
function engineFor(env: Env): Engine {
  const key = env.EDGEPROM_EXPERIMENTAL_FUNCTIONS ?? "";
  let engine = engines.get(key);
  if (!engine) {
    engine = new Engine({ enableExperimentalFunctions: key === "true" || key === "1" });
    engines.set(key, engine);
  }
  return engine;
}

function queryOptions(c: Context<QueryEnv>): QueryApiOptions {
  return { engine: engineFor(c.env), backend: () => querierFor(c.env) };
}

queryApp.on(["GET", "HEAD"], "/-/healthy", (c) => c.text("edgeprom is Healthy.\n"));

queryApp.on(["GET", "HEAD"], "/-/ready", async (c) => {
  try {
    const shard = c.env.SERIES_SHARD.get(c.env.SERIES_SHARD.idFromName("shard-0"));
    await shard.status();
  } catch (err) {
    throw new ApiError("unavailable", `storage is not ready: ${err instanceof Error ? err.message : String(err)}`);
  }
  return c.text("edgeprom is Ready.\n");
});

for (const path of [
  "/api/v1/query",
  "/api/v1/query_range",
  "/api/v1/format_query",
  "/api/v1/parse_query",
  "/api/v1/series",
  "/api/v1/labels",
  "/api/v1/label/*",
  "/api/v1/status/*",
  "/api/v1/metadata",
  "/api/v1/query_exemplars",
  "/api/v1/read",
  "/api/v1/targets",
  "/api/v1/targets/metadata",
  "/api/v1/scrape_pools",
  "/api/v1/rules",
  "/api/v1/alerts",
  "/api/v1/alertmanagers",
  "/metrics",
  "/federate",
]) {
  queryApp.use(path, requireAuth("read"));
}
queryApp.use("/api/v1/admin/*", requireAuth("admin"));

queryApp.on(["GET", "POST"], "/api/v1/query", (c) => instantQueryHandler(c, queryOptions(c)));
queryApp.on(["GET", "POST"], "/api/v1/query_range", (c) => rangeQueryHandler(c, queryOptions(c)));
queryApp.on(["GET", "POST"], "/api/v1/format_query", (c) => formatQueryHandler(c));
queryApp.on(["GET", "POST"], "/api/v1/parse_query", (c) => parseQueryHandler(c));
queryApp.on(["GET", "POST"], "/api/v1/series", (c) => seriesHandler(c, querierFor(c.env)));
queryApp.on(["GET", "POST"], "/api/v1/labels", (c) => labelNamesHandler(c, querierFor(c.env)));
queryApp.get("/api/v1/label/:name/values", (c) => labelValuesHandler(c, querierFor(c.env), c.req.param("name")));

queryApp.get("/api/v1/metadata", metricMetadataHandler);
queryApp.on(["GET", "POST"], "/api/v1/query_exemplars", (c) =>
  queryExemplarsHandler(c, (q) => engineFor(c.env).parse(q)),
);
queryApp.get("/federate", (c) => federateHandler(c));
queryApp.post("/api/v1/read", (c) => remoteReadHandler(c, readerFor(c.env)));

// Rules and alerts are evaluated by the alerting worker once it exists; until then there are none, in the shapes
// Grafana and the Prometheus UI expect.
queryApp.get("/api/v1/rules", (c) => success(c, { groups: [] }));
queryApp.get("/api/v1/alerts", (c) => success(c, { alerts: [] }));
queryApp.get("/api/v1/alertmanagers", (c) => success(c, { activeAlertmanagers: [], droppedAlertmanagers: [] }));
queryApp.get("/metrics", selfMetricsHandler);

queryApp.get("/api/v1/status/buildinfo", (c) => success(c, buildInfo(c.env)));
queryApp.get("/api/v1/status/flags", (c) => flagsHandler(c, engineFor(c.env), c.env));
queryApp.get("/api/v1/status/runtimeinfo", (c) => runtimeInfoHandler(c));
queryApp.get("/api/v1/status/config", configHandler);
queryApp.get("/api/v1/targets", targetsHandler);
queryApp.get("/api/v1/targets/metadata", targetsMetadataHandler);
queryApp.get("/api/v1/scrape_pools", scrapePoolsHandler);
queryApp.get("/api/v1/status/tsdb", (c) => tsdbStatusHandler(c, (limit) => readerFor(c.env).stats(limit)));

/** `POST|PUT /api/v1/admin/tsdb/delete_series`: tombstones for every matching series in [start, end]. */
queryApp.on(["POST", "PUT"], "/api/v1/admin/tsdb/delete_series", async (c) => {
  const params = await RequestParams.from(c.req.raw);
  if (params.all("match[]").length === 0) throw new ApiError("bad_data", "no match[] parameter provided");
  const query = metadataQuery(params);
  const reader = readerFor(c.env);
  for (const matchers of query.selectors) await reader.deleteSeries([...matchers], query.start, query.end);
  return c.body(null, 204);
});

/** `POST|PUT /api/v1/admin/tsdb/clean_tombstones`: deleted data leaves storage at the next compaction. */
queryApp.on(["POST", "PUT"], "/api/v1/admin/tsdb/clean_tombstones", (c) => c.body(null, 204));
