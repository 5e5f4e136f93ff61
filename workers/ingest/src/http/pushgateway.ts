import type { Context } from "hono";
import { ApiError, readBody, successBody } from "@edgeprom/http";
import { formatFloat } from "@edgeprom/promql/format";
import { parseExposition, type MetricFamily } from "../expfmt/index";
import { parseGroupingKey } from "../pushgateway/grouping-key";
import { exposedSamples, type PushGroup } from "../pushgateway/store";
import { snappyDecode } from "@edgeprom/wire";
import { recordMetadata } from "../write/metadata";
import { writeLimits } from "./limits";
import { plainTextError } from "./text-error";

type PushContext = Context<{ Bindings: Env }>;

function pushgateway(env: Env) {
  return env.PUSHGATEWAY.get(env.PUSHGATEWAY.idFromName("default"));
}

/** The grouping key of a `/metrics/job/...` path; a bad path is a 400. */
function groupingKeyOf(c: PushContext) {
  const path = c.req.path.replace(/^\/metrics\//, "");
  try {
    return parseGroupingKey(path);
  } catch (err) {
    throw new ApiError("bad_data", err instanceof Error ? err.message : String(err));
  }
}

/** `PUT|POST /metrics/job/<job>{/<label>/<value>}`: text 0.0.4 or delimited protobuf, plain, gzip or snappy. */
export async function pushHandler(c: PushContext): Promise<Response> {
  try {
    const key = groupingKeyOf(c);
    const limits = writeLimits(c.env);
    let body = await readBody(c.req.raw, {
      maxBytes: limits.maxBodyBytes,
      gunzip: c.req.header("Content-Encoding") !== "snappy",
    });
    if (c.req.header("Content-Encoding") === "snappy")
      body = snappyDecode(body, { maxDecodedBytes: limits.maxDecodedBytes });
    let families: MetricFamily[];
    try {
      families = parseExposition(body, c.req.header("Content-Type") ?? null, { fallback: "prometheus-text" }).families;
    } catch (err) {
      throw new ApiError(
        "bad_data",
        `failed to parse pushed metrics: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const outcome = await pushgateway(c.env).push(c.req.method === "PUT" ? "PUT" : "POST", key, families);
    if (!outcome.ok) return c.text(outcome.message + "\n", 400);
    await recordMetadata(
      c.env,
      families.map((f) => ({ metricFamilyName: f.name, type: f.type, help: f.help, unit: f.unit })),
    );
    return c.body(null, 200);
  } catch (err) {
    return plainTextError(c, err);
  }
}

/** `DELETE /metrics/job/<job>{/<label>/<value>}`: always 202, as the Pushgateway answers. */
export async function deleteGroupHandler(c: PushContext): Promise<Response> {
  try {
    await pushgateway(c.env).deleteGroup(groupingKeyOf(c));
    return c.body(null, 202);
  } catch (err) {
    return plainTextError(c, err);
  }
}

/** `PUT /api/v1/admin/wipe` */
export async function wipeHandler(c: PushContext): Promise<Response> {
  await pushgateway(c.env).wipe();
  return c.body(null, 202);
}

/** `GET /api/v1/metrics`: every group with its metrics, in the Pushgateway's query API shape. */
export async function listGroupsHandler(c: PushContext): Promise<Response> {
  const groups = await pushgateway(c.env).groups();
  return c.json(successBody(groups.map(groupJson)));
}

const TYPE_NAMES: Record<string, string> = {
  counter: "COUNTER",
  gauge: "GAUGE",
  histogram: "HISTOGRAM",
  gaugehistogram: "GAUGE_HISTOGRAM",
  summary: "SUMMARY",
  unknown: "UNTYPED",
  info: "UNTYPED",
  stateset: "UNTYPED",
};

function groupJson(group: PushGroup): Record<string, unknown> {
  const labels = Object.fromEntries(group.key.map((l) => [l.name, l.value]));
  const timestamp = new Date(group.pushTimeSeconds * 1000).toISOString();
  const out: Record<string, unknown> = {
    labels,
    last_push_successful: group.pushTimeSeconds >= group.pushFailureTimeSeconds,
  };
  const samples = exposedSamples(group);
  for (const family of group.families) {
    out[family.name] = {
      time_stamp: timestamp,
      type: TYPE_NAMES[family.type] ?? "UNTYPED",
      help: family.help,
      metrics: family.samples.map((s) => ({
        labels: { ...Object.fromEntries(s.labels.map((l) => [l.name, l.value])), ...labels },
        value: formatFloat(s.value),
      })),
    };
  }
  for (const [name, help] of [
    ["push_time_seconds", "Last Unix time when changing this group in the Pushgateway succeeded."],
    ["push_failure_time_seconds", "Last Unix time when changing this group in the Pushgateway failed."],
  ] as const) {
    const sample = samples.find((s) => s.labels.some((l) => l.name === "__name__" && l.value === name));
    if (!sample) continue;
    out[name] = { time_stamp: timestamp, type: "GAUGE", help, metrics: [{ labels, value: formatFloat(sample.value) }] };
  }
  return out;
}
