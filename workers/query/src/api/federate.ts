import type { Context } from "hono";
import { ApiError } from "@edgeprom/http";
import { isStaleNaN, type Labels } from "@edgeprom/promql";
import { TEXT_EXPOSITION_CONTENT_TYPE, writeTextExposition, type TextFamily } from "../exposition";
import { parseSeriesSelector } from "./metadata";
import { RequestParams } from "./params";
import { querierFor } from "../storage";

/** How far back federation looks for a series' latest sample, as Prometheus's lookback delta. */
const FEDERATION_LOOKBACK_MS = 5 * 60_000;

/**
 * `GET /federate?match[]=...`: the latest sample of every matching series in the text format, with its timestamp,
 * as Prometheus serves federation. Series whose latest sample is a stale marker are left out.
 */
export async function federateHandler(c: Context<{ Bindings: Env }>, now = Date.now()): Promise<Response> {
  const params = await RequestParams.from(c.req.raw);
  const selectors = params.all("match[]");
  if (selectors.length === 0) throw new ApiError("bad_data", "no match[] parameter provided");
  const querier = querierFor(c.env);
  const hints = { start: now - FEDERATION_LOOKBACK_MS, end: now };
  const seen = new Set<string>();
  const byName = new Map<string, { labels: Labels; value: number; timestampMs: number }[]>();
  for (const text of selectors) {
    for (const series of await querier.select(hints, parseSeriesSelector(text))) {
      const n = series.floats.t.length;
      if (n === 0) continue;
      const value = series.floats.v[n - 1]!;
      if (isStaleNaN(value)) continue;
      const key = series.labels.map((l) => `${l.name}\u0000${l.value}`).join("\u0001");
      if (seen.has(key)) continue;
      seen.add(key);
      const name = series.labels.find((l) => l.name === "__name__")?.value ?? "";
      const list = byName.get(name) ?? [];
      list.push({ labels: series.labels, value, timestampMs: series.floats.t[n - 1]! });
      byName.set(name, list);
    }
  }
  const families: TextFamily[] = [...byName.keys()].sort().map((name) => ({
    name,
    type: "untyped",
    help: "",
    samples: byName.get(name)!,
  }));
  return c.body(writeTextExposition(families), 200, { "Content-Type": TEXT_EXPOSITION_CONTENT_TYPE });
}
