import type { Context } from "hono";
import { successBody } from "@edgeprom/http";
import { parseLimitParam, RequestParams } from "./params";

/** `GET /api/v1/metadata?metric=&limit=&limit_per_metric=` */
export async function metricMetadataHandler(c: Context<{ Bindings: Env }>): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  const store = c.env.METRIC_METADATA.get(c.env.METRIC_METADATA.idFromName("default"));
  const data = await store.query({
    metric: params.get("metric"),
    limit: parseLimitParam("limit", params.get("limit")),
    limitPerMetric: parseLimitParam("limit_per_metric", params.get("limit_per_metric")),
  });
  return c.json(successBody(data));
}
