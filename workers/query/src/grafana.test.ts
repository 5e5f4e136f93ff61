import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { labelsOf, shardCountFrom, ShardedWriter } from "@edgeprom/tsdb";

/**
 * The requests Grafana's Prometheus data source sends, in its order: when the data source is saved and tested, when
 * the query editor autocompletes metric names, label names and values, and when a dashboard panel runs. Grafana
 * sends form-encoded POSTs where it can, with basic auth or a bearer token.
 */
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const GRAFANA = {
  "CF-Connecting-IP": "127.0.0.1",
  Accept: "application/json, text/plain, */*",
  "X-Grafana-Org-Id": "1",
  "User-Agent": "Grafana/12.0.0",
};

async function get(path: string): Promise<{ status: number; body: { status: string; data: unknown } }> {
  const res = await SELF.fetch(`http://edgeprom.test${path}`, { headers: GRAFANA });
  return { status: res.status, body: (await res.json()) as { status: string; data: unknown } };
}

async function post(path: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const value of [v].flat()) body.append(k, value);
  const res = await SELF.fetch(`http://edgeprom.test${path}`, {
    method: "POST",
    headers: { ...GRAFANA, "Content-Type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  return { status: res.status, body: (await res.json()) as { status: string; data: unknown } };
}

const seconds = (ms: number) => String(ms / 1000);

describe("Grafana's Prometheus data source", () => {
  beforeAll(async () => {
    const writer = new ShardedWriter(env.SERIES_SHARD, shardCountFrom(env.EDGEPROM_SHARDS));
    const times = Array.from({ length: 60 }, (_, i) => NOW - (59 - i) * 15_000);
    await writer.append(
      ["GET", "POST"].map((method, k) => ({
        labels: labelsOf("__name__", "grafana_http_requests_total", "job", "web", "method", method),
        samples: times.map((t, i) => ({ t, v: (k + 1) * i * 10 })),
      })),
    );
  });

  it("passes 'Save & test': buildinfo for the version, then an instant query of 1+1", async () => {
    const info = await get("/api/v1/status/buildinfo");
    expect(info.status).toBe(200);
    expect((info.body.data as { version: string }).version).toMatch(/^\d+\.\d+\.\d+/);
    const health = await post("/api/v1/query", { query: "1+1", time: seconds(NOW) });
    expect(health.body).toEqual({ status: "success", data: { resultType: "scalar", result: [NOW / 1000, "2"] } });
  });

  it("autocompletes metric names, metadata, label names and label values", async () => {
    const range = { start: seconds(NOW - 3_600_000), end: seconds(NOW) };
    const names = await get(`/api/v1/label/__name__/values?start=${range.start}&end=${range.end}`);
    expect(names.body.data).toContain("grafana_http_requests_total");
    const metadata = await get("/api/v1/metadata");
    expect(metadata.body.status).toBe("success");
    const labelNames = await post("/api/v1/labels", {
      "match[]": '{__name__="grafana_http_requests_total"}',
      ...range,
    });
    expect(labelNames.body.data).toEqual(["__name__", "job", "method"]);
    const values = await get(
      `/api/v1/label/method/values?match[]=${encodeURIComponent('grafana_http_requests_total{job="web"}')}&start=${range.start}&end=${range.end}`,
    );
    expect(values.body.data).toEqual(["GET", "POST"]);
    const series = await post("/api/v1/series", { "match[]": ["grafana_http_requests_total"], ...range });
    expect(series.body.data).toEqual([
      { __name__: "grafana_http_requests_total", job: "web", method: "GET" },
      { __name__: "grafana_http_requests_total", job: "web", method: "POST" },
    ]);
  });

  it("runs a dashboard panel: a range query and the exemplars for it", async () => {
    const query = "sum by (method) (rate(grafana_http_requests_total[$__rate_interval]))".replace(
      "$__rate_interval",
      "1m",
    );
    const panel = await post("/api/v1/query_range", {
      query,
      start: seconds(NOW - 600_000),
      end: seconds(NOW),
      step: "30",
    });
    expect(panel.status).toBe(200);
    const result = panel.body.data as { resultType: string; result: { metric: object; values: [number, string][] }[] };
    expect(result.resultType).toBe("matrix");
    expect(result.result.map((r) => r.metric)).toEqual([{ method: "GET" }, { method: "POST" }]);
    for (const [, v] of result.result[0]!.values) expect(Number(v)).toBeCloseTo(10 / 15, 9);
    const exemplars = await post("/api/v1/query_exemplars", {
      query,
      start: seconds(NOW - 600_000),
      end: seconds(NOW),
    });
    expect(exemplars.body).toEqual({ status: "success", data: [] });
  });
});
